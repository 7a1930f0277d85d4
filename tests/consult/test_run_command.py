"""`consult run`: what the README's first command promises (schema, demo, the URL printed)."""

from __future__ import annotations

from sqlmodel import select

from consult.cli import run_command
from surveys.models import Consultation


def test_run_migrates_loads_the_demo_and_prints_where_to_go(runner, session, monkeypatch, make_user):
    served = []
    monkeypatch.setattr("consult.cli.run_simple", lambda host, port, app, **options: served.append((host, port)))

    result = runner.invoke(run_command, ["--port", "5055"])

    assert result.exit_code == 0, result.output
    assert served == [("127.0.0.1", 5055)]
    assert "consult is running: http://127.0.0.1:5055/" in result.output
    assert "Demo consultation: http://127.0.0.1:5055/c/wps-2026" in result.output
    assert session.exec(select(Consultation).where(Consultation.slug == "wps-2026")).one().state == "open"
    # Without a staff account, it says how to make one; with one, it does not.
    assert "consult user create" in result.output
    make_user(email="ana@example.org", roles=("admin",))
    assert "consult user create" not in runner.invoke(run_command, ["--port", "5055"]).output


def test_run_beyond_loopback_warns(runner, monkeypatch):
    monkeypatch.setattr("consult.cli.run_simple", lambda *args, **options: None)
    result = runner.invoke(run_command, ["--host", "0.0.0.0", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert "listening beyond this machine" in result.output
    assert "Demo consultation" not in result.output
