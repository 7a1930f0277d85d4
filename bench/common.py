"""Shared helpers of the production benchmarks (page weight, load, crash).

- a scratch database (SQLite file or a PostgreSQL schema of the benchmark's own),
  migrated, with the demo consultation loaded, removed afterwards;
- gunicorn started on a free 127.0.0.1 port in a process group of its own, so that
  stopping it (or killing it with SIGKILL) reaches the master and every worker;
- prepared submissions: valid answers to the demo consultation, with personal
  details in the free text, and the number of answers each one stores;
- a respondent client over ``http.client`` that loads the form (keeping the session
  cookie and the CSRF token) and posts the last page with every answer;
- percentiles and plain-text tables.

Nothing here listens anywhere but on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from consult.settings import normalise_database_url  # noqa: E402

DEMO_SLUG = "wps-2026"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
LANGUAGES = ("en", "fr", "es", "ar")

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
RECEIPT_RE = re.compile(r'<p class="code"[^>]*>([0-9A-Z-]+)</p>')

#: Invented personal details appended to free-text answers, so every submission
#: exercises the scrubber (names, phones, e-mail, handles, addresses, ID numbers).
PERSONAL_DETAILS = {
    "en": [
        "You can reach me at 613-555-0178 or on WhatsApp.",
        "Write to nadia.okoro@example.net if you need more details.",
        "I am Rebecca Nyirenda, coordinator of our network in Lilongwe.",
        "Our office is at 14 Maple Street, near the market.",
        "My passport number is K4829113 and my handle is @nadia_speaks.",
    ],
    "fr": [
        "Vous pouvez m'appeler au +33 6 12 34 56 78 le soir.",
        "Mon adresse est clarisse.mbemba@example.org.",
        "Je suis Clarisse Mbemba, présidente de l'association.",
        "Notre bureau est au 27 rue des Lilas, à Goma.",
    ],
    "es": [
        "Mi teléfono es +52 55 1234 5678, llámeme por la tarde.",
        "Escríbame a valentina.rojas@example.com.",
        "Soy Valentina Rojas y coordino la red de mujeres del barrio.",
        "Vivo en la calle Bolívar 118, cerca de la plaza.",
    ],
    "ar": [
        "يمكنكم الاتصال بي على الرقم ‎+961 3 123 456‎ في المساء.",
        "بريدي الإلكتروني هو layla.haddad@example.org.",
        "اسمي ليلى حداد وأنا منسقة الشبكة في طرابلس.",
    ],
}


# --- figures and tables ---------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0-100) by nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with right-aligned numbers and a rule under the headers."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h)) for i, h in enumerate(headers)]
    numeric = [all(_is_number(row[i]) for row in rows) if rows else False for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True))

    out = [line([str(h) for h in headers]), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    return "\n".join(s.rstrip() for s in out)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) or value is None


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


def verdict(ok: bool) -> str:
    """PASS or MISS for a speed or size target (a miss is reported, not fatal)."""
    return "PASS" if ok else "MISS"


# --- scratch databases ------------------------------------------------------------------


@dataclass
class Database:
    """A scratch database for one benchmark run."""

    kind: str  # "sqlite" or "postgresql"
    url: str
    #: SQLite: the database file (integrity_check runs on it).
    path: Path | None = None


def postgres_reachable(url: str) -> str | None:
    """None if PostgreSQL at `url` answers, else why not (for a SKIP line)."""
    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "not here"
        return f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    finally:
        engine.dispose()
    return None


@contextlib.contextmanager
def scratch_database(kind: str, postgres_url: str = DEFAULT_POSTGRES, suffix: str = "") -> Iterator[Database]:
    """A fresh database of the benchmark's own, removed on exit whatever happens.

    SQLite: a file in a temporary folder. PostgreSQL: a schema named after this
    process (and `suffix`) in the given database, reached through ``search_path``.
    """
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="consult-bench-"))
        path = folder / "consult.sqlite3"
        try:
            yield Database("sqlite", f"sqlite:///{path}", path)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    base = normalise_database_url(postgres_url)
    schema = f"consult_bench_{os.getpid()}{'_' + suffix if suffix else ''}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        url = base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}"
        yield Database("postgresql", url)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()


def make_app(url: str, secret_key: str):
    """The consult app on `url` (in this process: for preparing and checking)."""
    from consult import create_app

    return create_app({"DATABASE_URL": url, "SECRET_KEY": secret_key, "RATELIMIT_ENABLED": False})


def prepare_demo(url: str, secret_key: str, count: int, seed: int) -> list[Submission]:
    """Migrate the database, load the demo consultation and prepare `count` submissions."""
    from consult import db
    from surveys.demo import load_demo

    app = make_app(url, secret_key)
    try:
        db.upgrade(app)
        with app.test_request_context(), db.unit_of_work() as session:
            consultation = load_demo(session)
            return prepare_submissions(consultation, count, seed)
    finally:
        app.extensions["consult.engine"].dispose()


# --- prepared submissions ---------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One respondent's answers, as the last page of the form posts them."""

    language: str
    #: Every answer field (q-*) plus the page fields, without the per-request ones
    #: (csrf_token, _token), which the client adds.
    fields: tuple[tuple[str, str], ...]
    #: Answers the submission service stores for it (relevant, non-empty answers).
    answers: int


def prepare_submissions(consultation, count: int, seed: int) -> list[Submission]:
    """Valid, varied answers to `consultation`, each with personal details to scrub.

    The answers come from the demo's synthetic generator (skips, branches, four
    languages); each gets one or two invented personal details in its free text.
    The form is read once here with the platform's own reader, which says which
    sections the respondent saw (so which page is the last) and how many answers
    the service will store.

    :raises ValueError: if a prepared form does not validate (a bench bug).
    """
    from surveys.services import read_form
    from surveys.synthetic import synthetic_form

    rng = random.Random(seed)
    prepared = []
    for _ in range(count):
        language, form = synthetic_form(consultation, rng)
        texts = [q.field_name for q in consultation.questions if q.kind.free_text and q.field_name in form]
        for name in rng.sample(texts, k=min(len(texts), rng.choice((1, 2)))):
            form[name] = f"{form[name]} {rng.choice(PERSONAL_DETAILS[language])}"
        reading = read_form(consultation, form)
        if reading.errors:
            raise ValueError(f"prepared answers do not validate: {sorted(reading.errors)}")
        last = reading.sections[-1]
        shown = [q.key for q in last.questions if q.key in reading.relevant]
        fields = [
            (name, value) for name, values in form.lists() if name.startswith("q-") for value in values
        ] + [
            ("_lang", language),
            ("_page", str(last.id)),
            ("_shown", ",".join(shown)),
            ("_consent", "yes"),
            ("_action", "submit"),
        ]
        prepared.append(Submission(language, tuple(fields), len(reading.answers)))
    return prepared


# --- gunicorn ---------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in a process group of its own on 127.0.0.1.

    :param app: the WSGI app spec, e.g. ``consult:create_app()``.
    :param env: extra environment (DATABASE_URL, SECRET_KEY...).
    :param log: file that receives gunicorn's output (access log included).
    """

    def __init__(self, app: str, env: dict[str, str], log: Path, workers: int = 2, threads: int = 1,
                 pythonpath: Sequence[Path] = ()):
        self.app = app
        self.env = env
        self.log = log
        self.workers = workers
        self.threads = threads
        self.pythonpath = [str(p) for p in pythonpath]
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self, timeout: float = 60) -> Server:
        """Start gunicorn and wait until /healthz (or /) answers.

        :raises RuntimeError: if gunicorn exits or does not answer within `timeout` s.
        """
        self.port = free_port()
        env = {
            **os.environ,
            **self.env,
            "CONSULT_BIND": f"127.0.0.1:{self.port}",
            "CONSULT_WORKERS": str(self.workers),
            "CONSULT_THREADS": str(self.threads),
            # Every simulated respondent comes from 127.0.0.1: a per-address rate
            # limit would measure the limiter, not the submission path.
            "RATELIMIT_ENABLED": "0",
            "PYTHONPATH": os.pathsep.join([str(ROOT), *self.pythonpath, os.environ.get("PYTHONPATH", "")]),
        }
        # No control socket: its default path is shared by every gunicorn of this user.
        command = [sys.executable, "-m", "gunicorn", "-c", "python:consult.gunicorn_conf", "--no-control-socket",
                   self.app]
        with self.log.open("ab") as out:
            # start_new_session: gunicorn leads a new process group, so one killpg
            # reaches the master and all its workers (and nothing of ours).
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log}:\n{self.tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log}:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers at once), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._reap_group()

    def stop(self) -> None:
        """Stop gracefully (SIGTERM to the group), then SIGKILL whatever is left."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=25)
        self.kill()

    def _reap_group(self) -> None:
        # Workers orphaned by a killed master keep the group alive; SIGKILL them too.
        if self.process is None:
            return
        for _ in range(50):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            time.sleep(0.02)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the live processes of the group (master and workers)."""
        if self.process is None:
            return 0.0
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[2]) == self.process.pid:  # fields[2]: process group id
                total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def consult_server(database: Database, secret_key: str, log: Path, workers: int = 2, threads: int = 1,
                   app: str = "consult:create_app()", pythonpath: Sequence[Path] = ()) -> Server:
    """gunicorn serving consult on `database`, configured as in production.

    :param app: the WSGI app spec; another one wrapping consult compares a change in one run.
    """
    env = {"DATABASE_URL": database.url, "SECRET_KEY": secret_key}
    return Server(app, env, log, workers=workers, threads=threads, pythonpath=pythonpath)


# --- the respondent client --------------------------------------------------------------


class ClientError(Exception):
    """A request that did not give the expected page (status or content)."""


@dataclass
class Outcome:
    """What one simulated respondent got."""

    token: str
    submission: Submission
    get_seconds: float | None = None
    post_seconds: float | None = None
    status: int | None = None
    receipt: str | None = None
    #: Why it failed ("HTTP 500", "timeout", "ConnectionRefusedError"...), None if acknowledged.
    error: str | None = None
    #: The answers were sent (the POST began): a failure after this may or may not have stored them.
    posted: bool = False

    @property
    def acknowledged(self) -> bool:
        return self.receipt is not None


class Respondent:
    """A browser without JavaScript on one keep-alive connection (reopened when the server closes it)."""

    def __init__(self, port: int, timeout: float = 10.0):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def close(self) -> None:
        self.connection.close()

    def _request(self, method: str, path: str, body: str | None = None,
                 headers: dict[str, str] | None = None) -> tuple[int, dict[str, list[str]], str]:
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            data = response.read()
        except BaseException:
            self.connection.close()  # a half-read response must not poison the next request
            raise
        if response.will_close:
            self.connection.close()
        cookies = response.headers.get_all("Set-Cookie") or []
        return response.status, {"set-cookie": cookies}, data.decode("utf-8", "replace")

    def respond(self, slug: str, submission: Submission, token: str | None = None) -> Outcome:
        """Load the form, then post the last page with every answer; never raises for the server's faults."""
        token = token or secrets.token_urlsafe(18)
        outcome = Outcome(token, submission)
        try:
            started = time.perf_counter()
            status, headers, page = self._request("GET", f"/c/{slug}?lang={submission.language}")
            outcome.get_seconds = time.perf_counter() - started
            if status != 200:
                raise ClientError(f"GET {status}")
            match = CSRF_RE.search(page)
            if match is None:
                raise ClientError("no csrf_token on the form")
            cookie = "; ".join(c.split(";", 1)[0] for c in headers["set-cookie"])
            body = urlencode([*submission.fields, ("csrf_token", match.group(1)), ("_token", token)])
            request_headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            outcome.posted = True
            started = time.perf_counter()
            status, _headers, page = self._request("POST", f"/c/{slug}", body, request_headers)
            outcome.post_seconds = time.perf_counter() - started
            outcome.status = status
            if status != 200:
                raise ClientError(f"HTTP {status}")
            receipt = RECEIPT_RE.search(page)
            if receipt is None:
                raise ClientError("no receipt on the page")
            outcome.receipt = receipt.group(1)
        except ClientError as error:
            outcome.error = str(error)
        except TimeoutError:
            outcome.error = "timeout"
        except (OSError, http.client.HTTPException) as error:
            outcome.error = type(error).__name__
        return outcome


def warm(port: int, pool: Sequence[Submission], count: int, threads: int = 4) -> list[Outcome]:
    """Send `count` respondents through a fresh server before timing it.

    A worker's first requests load templates, catalogs and the scrubber's lexicons;
    they are a start-up cost, not the submission path's.
    """
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    numbers = iter(range(count))

    def stream() -> None:
        respondent = Respondent(port, timeout=60)
        try:
            while True:
                with lock:
                    index = next(numbers, None)
                if index is None:
                    return
                outcome = respondent.respond(DEMO_SLUG, pool[index % len(pool)])
                with lock:
                    outcomes.append(outcome)
        finally:
            respondent.close()

    workers = [threading.Thread(target=stream, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes


# --- what the database holds ------------------------------------------------------------


def stored_responses(url: str) -> dict[str, int]:
    """receipt hash -> number of answers, for every stored response."""
    engine = create_engine(normalise_database_url(url), poolclass=_null_pool())
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT r.receipt_hash, count(a.question_id) FROM response r "
                "LEFT JOIN answer a ON a.response_id = r.id GROUP BY r.receipt_hash"
            )).all()
    finally:
        engine.dispose()
    return {digest: count for digest, count in rows}


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool
