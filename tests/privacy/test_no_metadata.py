"""Promise 1: nothing of a respondent's request but her answers is kept, anywhere.

Canary values sent in every identifying header, and personal details written in
answers, are searched for in the raw database file and its WAL (or every row of
the PostgreSQL schema), in everything the app logged, and in the dev server's and
gunicorn's access logs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text
from werkzeug.serving import make_server

from consult.cli import PrivateRequestHandler
from consult.models_registry import import_all_models
from tests.formclient import open_form

HEADER_CANARIES = {
    "User-Agent": "ZqCanaryAgent/9.41",
    "Referer": "https://zq-canary-referrer.example/path",
    "Accept-Language": "fr-CA, es;q=0.8, x-zqcanary;q=0.5",
    "X-Forwarded-For": "198.51.100.23",
    "X-Real-IP": "198.51.100.24",
    "Forwarded": "for=198.51.100.25",
}
REMOTE_ADDR = "203.0.113.77"
ANSWER_CANARIES = ["Quenneville", "613 555 0199", "zq.canary@example.org"]
CANARY_ANSWER = (
    "Nobody listens to us. My name is Zuleika Quenneville, call me on +1 613 555 0199 "
    "or write to zq.canary@example.org."
)
FORBIDDEN = [*HEADER_CANARIES.values(), "x-zqcanary", "ZqCanaryAgent", REMOTE_ADDR, "198.51.100", *ANSWER_CANARIES]


def stored_bytes(app) -> bytes:
    """Everything the database holds, as bytes: the SQLite file and WAL, or every PostgreSQL row."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    from sqlmodel import SQLModel

    import_all_models()
    engine = app.extensions["consult.engine"]
    chunks = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(text(f'SELECT row_to_json(t)::text FROM "{table.name}" t')):
                chunks.append(row[0])
    return "\n".join(chunks).encode()


def submit_with_canaries(client, slug: str) -> str:
    headers = dict(HEADER_CANARIES)
    env = {"REMOTE_ADDR": REMOTE_ADDR}
    response = client.get(f"/c/{slug}", headers=headers, environ_base=env)
    page = open_form(client, f"/c/{slug}", **headers)
    page = page.fill(_consent="yes").press("_action", "next", **headers)
    page = page.fill(q_role="activist").press("_action", "next", **headers)
    page = page.fill(q_participation_text=CANARY_ANSWER).press("_action", "next", **headers)
    page = page.press("_action", "next", **headers)
    page = page.fill(q_message=CANARY_ANSWER[:290]).press("_action", "next", **headers)
    page = page.press("_action", "submit", **headers)
    assert page.status == 200, page.html
    assert response.status_code == 200
    return re.search(r'<p class="code"[^>]*>([0-9A-Z-]+)</p>', page.html).group(1)


def assert_clean(blob: bytes | str, where: str) -> None:
    data = blob if isinstance(blob, bytes) else blob.encode()
    for canary in FORBIDDEN:
        assert canary.encode() not in data, f"{canary!r} found in {where}"


def test_headers_and_personal_details_reach_neither_database_nor_logs(app, client, demo, capfd, monkeypatch):
    submit_with_canaries(client, demo)
    # An error in the middle of a submission is logged without what was typed.
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def failing(consultation, form, *args, **kwargs):
        raise RuntimeError(f"boom while handling {form.get('q-message')}")

    monkeypatch.setattr("surveys.services.navigate", failing)
    response = client.post(f"/c/{demo}", data={"q-message": CANARY_ANSWER}, headers=HEADER_CANARIES)
    assert response.status_code == 500
    assert_clean(response.get_data(), "the error page")

    out, err = capfd.readouterr()
    assert "RuntimeError" in err  # the error was logged...
    assert_clean(out + err, "the logs")  # ...without the answer or any header
    blob = stored_bytes(app)
    assert_clean(blob, "the database")
    assert b"[PHONE]" in blob and b"[EMAIL]" in blob and b"[PERSON]" in blob


def test_no_exact_time_is_stored(app, client, demo):
    submit_with_canaries(client, demo)
    now = dt.datetime.now(dt.UTC)
    blob = stored_bytes(app).decode("utf-8", "replace")
    for moment in (now, now - dt.timedelta(minutes=1)):
        assert moment.strftime("%Y-%m-%d %H:%M") not in blob
        assert moment.strftime("%Y-%m-%dT%H:%M") not in blob
    assert now.strftime("%Y-%m-%d") in blob or (now - dt.timedelta(days=1)).strftime("%Y-%m-%d") in blob


def test_response_ids_are_random(app, client, demo, session):
    from sqlmodel import select

    from surveys.models import Response

    submit_with_canaries(client, demo)
    client2 = app.test_client()
    submit_with_canaries(client2, demo)
    ids = [r.id for r in session.exec(select(Response))]
    assert len(ids) == 2
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert abs(int(ids[0], 16) - int(ids[1], 16)) > 2**64


def test_withdrawal_leaves_no_trace_of_the_scrubbed_answer(app, client, demo):
    receipt = submit_with_canaries(client, demo)
    assert b"Nobody listens to us" in stored_bytes(app)
    page = open_form(client, f"/c/{demo}/withdraw").fill(receipt=receipt)
    assert client.post(page.action, data=page.fields).status_code == 200
    with app.app_context():
        engine = app.extensions["consult.engine"]
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"Nobody listens to us" not in stored_bytes(app)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_development_server_access_log_has_no_address_agent_or_time(app, demo, capfd):
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=PrivateRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/c/{demo}?lang=fr&zqquery=1", headers=HEADER_CANARIES)
        assert urllib.request.urlopen(request, timeout=10).status == 200
    finally:
        server.shutdown()
    _out, err = capfd.readouterr()
    assert f'"GET /c/{demo}" 200' in err
    assert_clean(err, "the development server log")
    assert "127.0.0.1" not in err and "zqquery" not in err
    assert not re.search(r"\d{2}:\d{2}:\d{2}", err)


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs on POSIX")
def test_gunicorn_access_log_has_no_address_agent_or_time(app, demo, tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "x" * 32,
           "CONSULT_BIND": f"127.0.0.1:{port}", "CONSULT_WORKERS": "1"}
    log = tmp_path / "gunicorn.log"
    with log.open("w") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:consult.gunicorn_conf", "consult:create_app()"],
            env=env, stdout=handle, stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(100):
                try:
                    request = urllib.request.Request(f"http://127.0.0.1:{port}/c/{demo}?zqquery=1", headers=HEADER_CANARIES)
                    assert urllib.request.urlopen(request, timeout=5).status == 200
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail("gunicorn did not start")
        finally:
            server.terminate()
            server.wait(timeout=10)
    logged = log.read_text()
    assert f'"GET /c/{demo}" 200' in logged
    access = [line for line in logged.splitlines() if '"GET' in line]
    assert_clean("\n".join(access), "the gunicorn access log")
    assert "zqquery" not in logged
    assert not any(re.search(r"\d{2}:\d{2}:\d{2}", line) for line in access)
