"""Who may use the designer: designers only; every change lands in the audit log."""

from __future__ import annotations

import pytest
from sqlmodel import select

from consult.accounts.models import AuditEntry
from tests.surveys.designer.conftest import page, post, text


def designer_urls(app, cid: int, sid: int, qid: int) -> list[tuple[str, str]]:
    """(method, url) for every route of the designer blueprint, filled with real ids."""
    values = {"cid": cid, "sid": sid, "qid": qid, "kind": "question", "target_id": qid, "lang": "fr"}
    urls = []
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("designer."):
                continue
            url = adapter.build(rule.endpoint, {k: v for k, v in values.items() if k in rule.arguments})
            urls.append(("GET" if "GET" in rule.methods else "POST", url))
    return urls


@pytest.fixture
def ids(arrange, session):
    from surveys.models import Question

    cid = arrange()
    question = session.exec(select(Question).where(Question.consultation_id == cid)).first()
    return cid, question.section_id, question.id


def test_visitors_are_sent_to_sign_in(app, client, ids):
    urls = designer_urls(app, *ids)
    assert len(urls) >= 25
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code in (302, 400), (method, url, response.status_code)
        if response.status_code == 302:
            assert "/staff/login" in response.headers["Location"], url


@pytest.mark.parametrize("roles", [("analyst",), ("admin",)])
def test_other_staff_get_403_everywhere(app, client, login, ids, roles):
    login(client, roles=roles)
    token = page(client, "/staff/account").html.split('name="csrf_token" value="')[1].split('"')[0]
    for method, url in designer_urls(app, *ids):
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (roles, method, url, response.status_code)
    # Nor do they see the designer in the staff navigation.
    assert 'href="/design/"' not in text(client.get("/staff/account"))


def test_designers_reach_every_page(app, designer, ids):
    for method, url in designer_urls(app, *ids):
        if method == "GET" and not url.endswith(("/form.xlsx",)):
            response = designer.get(url)
            assert response.status_code == 200, (url, response.status_code)
    assert 'href="/design/"' in text(designer.get("/design/"))


def test_an_admin_who_also_designs_may_design(client, login, ids):
    login(client, roles=("admin", "designer"))
    assert client.get("/design/").status_code == 200


def test_changes_are_audited_with_who_what_and_when(designer, session, ids):
    cid, sid, qid = ids
    assert post(designer, f"/design/{cid}/questions/{qid}/move", direction="down").status_code == 302
    form = page(designer, f"/design/{cid}/", "settings")
    assert form.send(title="Renamed consultation").status_code == 302
    assert post(designer, f"/design/{cid}/duplicate").status_code == 302

    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    mine = [e for e in entries if e.action.split(".")[0] in ("question", "consultation")]
    assert [e.action for e in mine] == ["question.move", "consultation.update", "consultation.duplicate"]
    assert {e.actor_email for e in mine} == {"designer@example.org"}
    assert all(e.at is not None for e in mine)
    assert mine[0].target == "consultation:draft-one" and mine[0].details["question"] == "role"
    assert mine[1].details["changed"]["title"] == ["Draft consultation", "Renamed consultation"]
    assert mine[2].target == "consultation:draft-one-copy"
