"""Load on the submission path: simulated respondents against gunicorn, on SQLite and PostgreSQL.

    python bench/load.py [--clients 20] [--seconds 60] [--backend both|sqlite|postgresql]

Each simulated respondent loads the form (GET /c/wps-2026, keeping the session
cookie and the CSRF token), then posts the last page with every answer, free text
with personal details included (so the scrubber runs). gunicorn runs as in
production (`consult.gunicorn_conf`, 2 sync workers) on 127.0.0.1. The baseline
is a bare Flask app (in this file) that parses a form of the same size and answers
200, under the same gunicorn settings, measured in the same run: it is also the
ceiling of this client on this machine.

The servers are measured in interleaved slices, so that a change in the machine's
other load hits them alike; `--compare SPEC` adds another consult app (a module that
patches one function, then calls consult.create_app) to the rotation, for a
before/after figure from one run.

Prints submissions per second, latency percentiles of the submission POST,
errors, the ratio ours/bare and server CPU per respondent (gunicorn's processes,
from /proc: the figure that does not depend on the machine's other load), with
PASS/MISS per target. Exits 1 only when
a correctness check fails: an acknowledged response missing from the database,
a stored response with a different number of answers than were submitted, or a
receipt that does not match its form token.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DEFAULT_POSTGRES,
    DEMO_SLUG,
    Outcome,
    Respondent,
    Server,
    Submission,
    consult_server,
    percentile,
    postgres_reachable,
    prepare_demo,
    scratch_database,
    stored_responses,
    table,
    verdict,
    warm,
)

TARGETS = {"ratio": 0.35, "p99_ms": 150.0}


# --- the baseline: a bare Flask app ------------------------------------------------------


def create_bare_app():
    """A bare Flask app with the same two requests: a form with a token, and a POST that parses it."""
    from flask import Flask, make_response, request

    app = Flask("bare")

    @app.get("/healthz")
    def health():
        """Ready."""
        return "ok"

    @app.get("/c/<slug>")
    def form(slug: str):
        """A small form page carrying a token, with a cookie."""
        token = secrets.token_urlsafe(24)
        response = make_response(
            f'<!doctype html><form method="post"><input type="hidden" name="csrf_token" value="{token}"></form>'
        )
        response.set_cookie("session", token, httponly=True, samesite="Lax")
        return response

    @app.post("/c/<slug>")
    def submit(slug: str):
        """Parse the form as the real view does, answer with a receipt-shaped code."""
        fields = request.form
        if fields.get("csrf_token") != request.cookies.get("session"):
            return "bad token", 400
        size = sum(len(v) for _k, v in fields.items(multi=True))
        code = secrets.token_hex(10).upper()
        return f'<p class="code" dir="ltr">{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:16]}-{code[16:20]}</p>' \
               f"<!-- {size} -->"

    return app


# --- one timed run -------------------------------------------------------------------------


@dataclass
class Run:
    """The outcomes of one timed run against one server."""

    name: str
    seconds: float
    outcomes: list[Outcome] = field(default_factory=list)
    #: Outcomes that finished inside the measured window (after the warm-up).
    measured: list[Outcome] = field(default_factory=list)
    client_cpu: float = 0.0
    #: CPU seconds the server's processes used during the measured window.
    server_cpu: float = 0.0

    @property
    def acknowledged(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.acknowledged]

    def rate(self) -> float:
        """Acknowledged submissions per measured second."""
        return sum(o.acknowledged for o in self.measured) / self.seconds

    def post_ms(self, p: float) -> float | None:
        """The p-th percentile of the submission POST's latency, ms."""
        value = percentile([o.post_seconds for o in self.measured if o.post_seconds is not None], p)
        return None if value is None else value * 1000

    def get_ms(self, p: float) -> float | None:
        """The p-th percentile of the form GET's latency, ms."""
        value = percentile([o.get_seconds for o in self.measured if o.get_seconds is not None], p)
        return None if value is None else value * 1000

    def server_cpu_ms(self) -> float | None:
        """Server CPU per acknowledged respondent (GET + POST), ms: independent of the machine's other load."""
        done = sum(o.acknowledged for o in self.measured)
        return self.server_cpu / done * 1000 if done else None

    def errors(self) -> Counter:
        return Counter(o.error for o in self.outcomes if o.error)


def drive(server: Server, pool: list[Submission], clients: int, seconds: float, warmup: float, timeout: float,
          name: str) -> Run:
    """`clients` threads, each a stream of respondents, for `warmup` + `seconds` seconds."""
    port = server.port
    run = Run(name, seconds)
    lock = threading.Lock()
    counter = iter(range(10**9))
    start = time.monotonic()
    window = (start + warmup, start + warmup + seconds)

    def respondent_stream() -> None:
        respondent = Respondent(port, timeout=timeout)
        try:
            while time.monotonic() < window[1]:
                with lock:
                    submission = pool[next(counter) % len(pool)]
                outcome = respondent.respond(DEMO_SLUG, submission)
                finished = time.monotonic()
                with lock:
                    run.outcomes.append(outcome)
                    if window[0] <= finished <= window[1]:
                        run.measured.append(outcome)
        finally:
            respondent.close()

    cpu = time.process_time()
    threads = [threading.Thread(target=respondent_stream, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, window[0] - time.monotonic()))
    server_cpu = server.cpu_seconds()
    time.sleep(max(0.0, window[1] - time.monotonic()))
    run.server_cpu = server.cpu_seconds() - server_cpu
    for thread in threads:
        thread.join()
    wall = time.monotonic() - start
    run.client_cpu = (time.process_time() - cpu) / wall * 100
    return run


def check_stored(run: Run, url: str, secret_key: str) -> tuple[list[str], int]:
    """Hard checks against the database; returns (failures, stored count)."""
    from surveys.services import receipt_for, receipt_hash

    stored = stored_responses(url)
    failures = []
    acknowledged = run.acknowledged
    wrong_receipt = [o for o in acknowledged if o.receipt != receipt_for(o.token, secret_key)]
    if wrong_receipt:
        failures.append(f"{len(wrong_receipt)} receipts do not match their form token")
    missing = [o for o in acknowledged if receipt_hash(o.receipt) not in stored]
    if missing:
        failures.append(f"{len(missing)} acknowledged responses are missing from the database")
    attempted = {receipt_hash(receipt_for(o.token, secret_key)): o.submission.answers for o in run.outcomes}
    partial = [h for h, n in stored.items() if h in attempted and attempted[h] != n]
    if partial:
        failures.append(f"{len(partial)} stored responses do not have the number of answers submitted")
    unknown = [h for h in stored if h not in attempted]
    if unknown:
        failures.append(f"{len(unknown)} stored responses match no submission")
    return failures, len(stored)


def figures_row(run: Run, bare: Run | None, stored: int | None) -> list[object]:
    ratio = run.rate() / bare.rate() if bare and bare.rate() else None
    errors = sum(run.errors().values())
    return [run.name, len(run.acknowledged), stored, run.rate(), ratio, run.get_ms(50), run.post_ms(50),
            run.post_ms(95), run.post_ms(99), run.post_ms(100), errors, run.server_cpu_ms(), run.client_cpu]


HEADERS = ["server", "acknowledged", "stored", "subm/s", "ours/bare", "GET p50 ms", "POST p50 ms", "p95 ms",
           "p99 ms", "max ms", "errors", "server CPU ms/resp", "client CPU %"]


def merge(name: str, runs: list[Run], warm_up: list[Outcome]) -> Run:
    """One run made of several interleaved slices against the same server, and its warm-up (unmeasured)."""
    merged = Run(name, sum(r.seconds for r in runs), outcomes=list(warm_up))
    for run in runs:
        merged.outcomes += run.outcomes
        merged.measured += run.measured
        merged.server_cpu += run.server_cpu
    wall = sum(r.seconds for r in runs)
    merged.client_cpu = sum(r.client_cpu * r.seconds for r in runs) / wall if wall else 0.0
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20, help="concurrent simulated respondents (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="measured seconds per server (default 60)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="slices per server, interleaved bare/sqlite/postgresql so that a change in the "
                             "machine's load hits all alike (default 3)")
    parser.add_argument("--warmup", type=float, default=2,
                        help="unmeasured seconds of full load per server first, after a few respondents have "
                             "warmed each worker (default 2)")
    parser.add_argument("--backend", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help=f"PostgreSQL server (default {DEFAULT_POSTGRES})")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (default 1: sync)")
    parser.add_argument("--timeout", type=float, default=10, help="client timeout per request, s (default 10)")
    parser.add_argument("--pool", type=int, default=300, help="distinct prepared answer sets (default 300)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--compare", metavar="SPEC",
                        help="also serve this WSGI app (e.g. a module that patches one function of consult, then "
                             "calls consult.create_app) on each backend, interleaved with the rest: a before/after "
                             "comparison in one run")
    parser.add_argument("--pythonpath", type=Path, action="append", default=[],
                        help="folder to add to the servers' import path (for --compare)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.warmup < 0 or args.rounds < 1 or args.pool < 1:
        parser.error("--clients, --rounds and --pool must be >= 1, --seconds > 0, --warmup >= 0")

    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and (why := postgres_reachable(args.postgres)):
        print(f"SKIP postgresql: not reachable at {args.postgres} ({why})")
        backends.remove("postgresql")
    # (name, backend, WSGI app) of every consult server measured.
    variants = [(kind, kind, "consult:create_app()") for kind in backends]
    if args.compare:
        variants += [(f"{kind} [{args.compare}]", kind, args.compare) for kind in backends]
    secret_key = secrets.token_hex(32)
    logs = Path(tempfile.mkdtemp(prefix="consult-load-"))
    print(f"{args.clients} clients; {args.seconds:g} s measured per server in {args.rounds} interleaved slices, "
          f"after {args.warmup:g} s warm-up; gunicorn {args.workers} workers x {args.threads} threads on "
          f"127.0.0.1; logs in {logs}")
    print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} cores")

    failures: list[str] = []
    with contextlib.ExitStack() as stack:
        pool_db = stack.enter_context(scratch_database("sqlite"))
        pool = prepare_demo(pool_db.url, secret_key, args.pool, args.seed)
        servers: dict[str, Server] = {}
        databases = {}
        bare = Server("load:create_bare_app()", {}, logs / "bare.log", args.workers, args.threads,
                      pythonpath=[Path(__file__).resolve().parent])
        stack.callback(bare.stop)
        servers["bare"] = bare.start()
        for index, (name, kind, spec) in enumerate(variants):
            # A database per server; PostgreSQL schemas are named after this process, so number them.
            databases[name] = stack.enter_context(scratch_database(kind, args.postgres, suffix=str(index)))
            prepare_demo(databases[name].url, secret_key, 0, args.seed)
            server = consult_server(databases[name], secret_key, logs / f"server{index}.log", args.workers,
                                    args.threads, app=spec, pythonpath=args.pythonpath)
            stack.callback(server.stop)  # runs before the database is dropped
            servers[name] = server.start()

        labels = {"bare": "bare Flask", **{name: f"consult {name}" for name, _k, _s in variants}}
        warmed = {name: warm(server.port, pool, 4 * args.workers) for name, server in servers.items()}
        slices: dict[str, list[Run]] = {name: [] for name in servers}
        for index in range(args.rounds):
            for name, server in servers.items():
                warmup = args.warmup if index == 0 else 0
                slices[name].append(drive(server, pool, args.clients, args.seconds / args.rounds, warmup,
                                          args.timeout, labels[name]))
        runs = {name: merge(labels[name], slices[name], warmed[name]) for name in servers}
        for server in servers.values():
            server.stop()
        stored = {}
        for name, _kind, _spec in variants:
            problems, stored[name] = check_stored(runs[name], databases[name].url, secret_key)
            failures += [f"{name}: {p}" for p in problems]

    bare_run = runs["bare"]
    names = [name for name, _k, _s in variants]
    print(f"load average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print()
    print(table(HEADERS, [figures_row(bare_run, None, None)]
                + [figures_row(runs[name], bare_run, stored[name]) for name in names]))
    print()
    error_rows = [[name, error, n] for name, run in runs.items() for error, n in run.errors().most_common()]
    if error_rows:
        print(table(["server", "error", "count"], error_rows))
        print()
    print(f"Client ceiling: against the bare endpoint this client reached {bare_run.rate():,.0f} respondents/s "
          f"({2 * bare_run.rate():,.0f} requests/s) using {bare_run.client_cpu:.0f}% of one core (consult runs: "
          + ", ".join(f"{name} {runs[name].client_cpu:.0f}%" for name in names)
          + "). The client is not what limits a server whose rate is well below that ceiling.")
    print()
    target_rows = []
    for name in names:
        run = runs[name]
        ratio = run.rate() / bare_run.rate() if bare_run.rate() else 0.0
        p99 = run.post_ms(99) or float("inf")
        errors = sum(run.errors().values())
        target_rows += [
            [name, f"ours/bare >= {TARGETS['ratio']}", f"{ratio:.2f}", verdict(ratio >= TARGETS["ratio"])],
            [name, f"POST p99 <= {TARGETS['p99_ms']:.0f} ms", f"{p99:.1f}", verdict(p99 <= TARGETS["p99_ms"])],
            [name, "errors == 0", str(errors), verdict(errors == 0)],
            [name, "stored == acknowledged", f"{stored[name]} / {len(run.acknowledged)}",
             verdict(stored[name] == len(run.acknowledged))],
        ]
    print(table(["server", "target", "measured", "result"], target_rows))
    print()
    if failures:
        for failure in failures:
            print(f"FAIL {failure}")
        return 1
    print("Correctness: every acknowledged response is stored, complete, under the receipt of its own form token.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
