"""Crash safety: SIGKILL gunicorn (master and workers at once) again and again under load.

    python bench/crash.py [--kills 20] [--clients 20] [--backend both|sqlite|postgresql]

Simulated respondents submit continuously (as in bench/load.py). Once the fresh
server has acknowledged a first submission, it is killed at a random moment with
SIGKILL sent to its whole process group, then restarted. After each kill:

- the database is sound: SQLite ``PRAGMA integrity_check`` says ok; PostgreSQL answers;
- every acknowledged receipt is stored (the client keeps the receipt codes it was
  shown; the database keeps only their SHA-256);
- no response is partial: every stored response has exactly the number of answers
  its submission sent, and matches a submission that was made.

At the end every submission the kills interrupted is sent again with the same form
token (the respondent pressing "Submit" once more): it must get the receipt of its
own token, and be stored exactly once.

Prints a table per kill and a summary. Exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    DEFAULT_POSTGRES,
    DEMO_SLUG,
    Database,
    Outcome,
    Respondent,
    Submission,
    consult_server,
    make_app,
    postgres_reachable,
    prepare_demo,
    scratch_database,
    stored_responses,
    table,
)
from sqlalchemy import create_engine, text  # noqa: E402

from surveys.services import receipt_for, receipt_hash  # noqa: E402


def database_sound(database: Database) -> str:
    """'ok', or what is wrong: SQLite's own integrity check, PostgreSQL answering a query."""
    try:
        if database.kind == "sqlite":
            connection = sqlite3.connect(database.path, timeout=30)
            try:
                rows = connection.execute("PRAGMA integrity_check").fetchall()
            finally:
                connection.close()
            return "ok" if rows == [("ok",)] else "; ".join(r[0] for r in rows)[:200]
        engine = create_engine(database.url)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT count(*) FROM response")).scalar_one()
        finally:
            engine.dispose()
        return "ok"
    except Exception as error:  # noqa: BLE001 - the verdict is the output
        return f"{type(error).__name__}"


def durability_settings(database: Database, secret_key: str) -> str:
    """The durability settings in force: SQLite's as the app's own engine sets them, PostgreSQL's server's."""
    from sqlalchemy import text as sql

    app = make_app(database.url, secret_key)
    queries = (("journal_mode", "PRAGMA journal_mode"), ("synchronous", "PRAGMA synchronous")) \
        if database.kind == "sqlite" else (("fsync", "SHOW fsync"), ("synchronous_commit", "SHOW synchronous_commit"))
    levels = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
    try:
        with app.extensions["consult.engine"].connect() as connection:
            values = [(name, connection.execute(sql(query)).scalar_one()) for name, query in queries]
    finally:
        app.extensions["consult.engine"].dispose()
    return ", ".join(f"{name}={levels.get(value, value) if name == 'synchronous' else value}" for name, value in values)


class Load:
    """Respondents submitting continuously until stopped; every attempt is kept."""

    def __init__(self, port: int, pool: list[Submission], clients: int, rng: random.Random):
        self.port = port
        self.pool = pool
        self.clients = clients
        self.rng = rng
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.outcomes: list[Outcome] = []
        self.first_ack = threading.Event()
        self.threads = [threading.Thread(target=self._stream, daemon=True) for _ in range(clients)]

    def _stream(self) -> None:
        respondent = Respondent(self.port, timeout=30)
        try:
            while not self.stop.is_set():
                with self.lock:
                    submission = self.rng.choice(self.pool)
                outcome = respondent.respond(DEMO_SLUG, submission)
                with self.lock:
                    self.outcomes.append(outcome)
                if outcome.acknowledged:
                    self.first_ack.set()
                elif outcome.error:
                    self.stop.wait(0.05)  # the server is gone: do not spin
        finally:
            respondent.close()

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def check(database: Database, outcomes: list[Outcome], secret_key: str) -> dict[str, int]:
    """Compare what the clients were told with what the database holds."""
    stored = stored_responses(database.url)
    sent = {receipt_hash(receipt_for(o.token, secret_key)): o.submission.answers for o in outcomes if o.posted}
    acknowledged = [o for o in outcomes if o.acknowledged]
    return {
        "stored": len(stored),
        "lost": sum(receipt_hash(o.receipt) not in stored for o in acknowledged),
        "wrong_receipt": sum(o.receipt != receipt_for(o.token, secret_key) for o in acknowledged),
        "partial": sum(1 for h, n in stored.items() if h in sent and sent[h] != n),
        "unknown": sum(1 for h in stored if h not in sent),
        "stored_unacknowledged": sum(
            1 for o in outcomes if not o.acknowledged and receipt_hash(receipt_for(o.token, secret_key)) in stored
        ),
    }


def crash_backend(kind: str, args: argparse.Namespace, logs: Path) -> bool:
    """Run the kills on one backend; True if every check held."""
    rng = random.Random(args.seed)
    secret_key = secrets.token_hex(32)
    ok = True
    with scratch_database(kind, args.postgres) as database:
        pool = prepare_demo(database.url, secret_key, args.pool, args.seed)
        server = consult_server(database, secret_key, logs / f"{kind}.log", args.workers)
        outcomes: list[Outcome] = []
        rows = []
        try:
            for kill in range(1, args.kills + 1):
                started = time.monotonic()
                server.start()
                ready = time.monotonic() - started
                with Load(server.port, pool, args.clients, rng) as load:
                    if not load.first_ack.wait(args.first_ack_timeout):
                        print(f"FAIL {kind}: no submission acknowledged within {args.first_ack_timeout:g} s "
                              f"of start; see {server.log}")
                        return False
                    time.sleep(rng.uniform(0, args.spread))
                    up = time.monotonic() - started
                    load.stop.set()  # no new respondent starts; those in flight are cut off by the kill
                    server.kill()
                outcomes += load.outcomes
                sound = database_sound(database)
                figures = check(database, outcomes, secret_key)
                cycle_acked = sum(o.acknowledged for o in load.outcomes)
                cycle_cut = sum(1 for o in load.outcomes if o.posted and not o.acknowledged)
                bad = sound != "ok" or figures["lost"] or figures["partial"] or figures["unknown"] \
                    or figures["wrong_receipt"]
                ok = ok and not bad
                rows.append([kill, ready, up, cycle_acked, cycle_cut, sum(o.acknowledged for o in outcomes),
                             figures["stored"], sound, figures["lost"], figures["partial"] + figures["unknown"],
                             "FAIL" if bad else "ok"])
                print(f"  kill {kill:>3}: up {up:5.1f} s, {cycle_acked} acknowledged, {cycle_cut} cut off, "
                      f"{figures['stored']} stored, integrity {sound}", flush=True)

            after_kills = check(database, outcomes, secret_key)
            # The respondents whose submission was cut off press "Submit" again, same form token.
            server.start()
            cut = [o for o in outcomes if o.posted and not o.acknowledged]
            respondent = Respondent(server.port, timeout=60)
            retried = [respondent.respond(DEMO_SLUG, o.submission, token=o.token) for o in cut]
            respondent.close()
            server.stop()
        finally:
            server.kill()
        sound = database_sound(database)
        final = check(database, outcomes + retried, secret_key)
        settings = durability_settings(database, secret_key)

    print()
    print(table(["kill", "ready s", "killed at s", "acknowledged", "cut off", "acknowledged total", "stored",
                 "integrity", "lost", "partial", "check"], rows))
    print()
    same_receipt = sum(r.receipt is not None and r.receipt == receipt_for(r.token, secret_key) for r in retried)
    tokens = {o.token for o in outcomes if o.posted}
    summary = [
        ["kills (SIGKILL to the master and its workers at once)", args.kills],
        ["submissions acknowledged under load", sum(o.acknowledged for o in outcomes)],
        ["submissions cut off by a kill (answers sent, no receipt back)", len(cut)],
        ["  of which stored anyway (committed, receipt never shown)", after_kills["stored_unacknowledged"]],
        ["acknowledged receipts missing (lost)", final["lost"]],
        ["stored responses partial, or matching no submission", final["partial"] + final["unknown"]],
        ["cut-off submissions sent again: receipt of their own token", f"{same_receipt} / {len(retried)}"],
        ["responses stored at the end / submissions sent (distinct form tokens)", f"{final['stored']} / {len(tokens)}"],
        ["database after the last kill", sound],
        ["durability settings", settings],
    ]
    print(table(["summary", kind], summary))
    ok = (ok and sound == "ok" and not (final["lost"] or final["partial"] or final["unknown"] or final["wrong_receipt"])
          and same_receipt == len(retried) and final["stored"] == len(tokens))
    print()
    print(f"{kind}: " + ("PASS: no acknowledged response lost, none partial, none duplicated" if ok else "FAIL"))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs per backend (default 20)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent simulated respondents (default 20)")
    parser.add_argument("--spread", type=float, default=5.0,
                        help="the kill comes 0 to this many seconds after the first acknowledgment (default 5)")
    parser.add_argument("--first-ack-timeout", type=float, default=120,
                        help="seconds a fresh server may take to acknowledge a first submission (default 120)")
    parser.add_argument("--backend", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help=f"PostgreSQL server (default {DEFAULT_POSTGRES})")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--pool", type=int, default=200, help="distinct prepared answer sets (default 200)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if args.kills < 1 or args.clients < 1 or args.spread < 0 or args.pool < 1:
        parser.error("--kills, --clients and --pool must be >= 1, --spread >= 0")

    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and (why := postgres_reachable(args.postgres)):
        print(f"SKIP postgresql: not reachable at {args.postgres} ({why})")
        backends.remove("postgresql")
    logs = Path(tempfile.mkdtemp(prefix="consult-crash-"))
    print(f"{args.kills} kills per backend, {args.clients} clients, gunicorn {args.workers} workers; logs in {logs}")
    results = {}
    for kind in backends:
        print(f"\n== {kind} ==")
        results[kind] = crash_backend(kind, args, logs)
    print()
    print(table(["backend", "result"], [[k, "PASS" if v else "FAIL"] for k, v in results.items()]))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
