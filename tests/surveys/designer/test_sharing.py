"""Sharing: the link and its QR code (an SVG made here), and single-use invitation codes
that cannot be linked to the response they unlocked."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy import text as sql
from sqlmodel import select

from surveys.models import Consultation, InvitationBatch, InvitationCode, Response
from surveys.services import invitation_hash
from tests.formclient import open_form
from tests.surveys.designer.conftest import page, post, text


def test_link_and_qr_code(designer, arrange):
    cid = arrange(state="open")
    share = text(designer.get(f"/design/{cid}/share"))
    assert 'value="http://localhost/c/draft-one"' in share
    assert f'<img src="/design/{cid}/qr.svg"' in share
    qr = designer.get(f"/design/{cid}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    svg = qr.get_data(as_text=True)
    assert svg.startswith("<?xml") and "<svg" in svg and "<path" in svg
    assert "<title>http://localhost/c/draft-one</title>" in svg
    assert "http" not in svg.replace("http://localhost/c/draft-one", "").replace("http://www.w3.org/2000/svg", "")
    download = designer.get(f"/design/{cid}/qr.svg?download=1")
    assert download.headers["Content-Disposition"] == 'attachment; filename="draft-one-qr.svg"'


def generate(client, cid, count) -> list[str]:
    response = page(client, f"/design/{cid}/share", "invitations-form").send(("action", "generate"), count=count)
    assert response.status_code == 200 and response.mimetype == "text/csv", text(response)
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["code", "link"]
    return [row[0] for row in rows[1:]]


@pytest.fixture
def invited(designer, session, arrange):
    """An open consultation that needs invitation codes, with 3 generated."""
    cid = arrange(state="open", languages=["en", "fr"], invitation_required=True)
    return cid, generate(designer, cid, 3)


def test_codes_come_as_csv_and_only_their_hashes_are_kept(designer, session, invited):
    cid, codes = invited
    assert len(set(codes)) == 3 and all(re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", c) for c in codes)
    stored = session.exec(select(InvitationCode)).all()
    assert sorted(row.code_hash for row in stored) == sorted(invitation_hash(c) for c in codes)
    dump = _dump(session)
    assert not any(code in dump or code.replace("-", "") in dump for code in codes)
    assert "Generated: 3. Still unused: 3." in text(designer.get(f"/design/{cid}/share"))


def test_bad_counts_are_refused_and_kept(designer, arrange):
    cid = arrange(state="open")
    for count, message in (("0", "Number must be between 1 and 5000."), ("abc", "Not a valid integer value.")):
        response = page(designer, f"/design/{cid}/share", "invitations-form").send(("action", "generate"), count=count)
        assert response.status_code == 400 and message in text(response)
        assert f'value="{count}"' in text(response)


def test_a_code_opens_the_form_once(app, session, invited):
    cid, codes = invited
    respondent = app.test_client()
    form = open_form(respondent, "/c/draft-one?lang=fr").fill(_consent="yes")
    assert "_invitation" in form.fields
    refused = form.press("_action", "next")
    assert refused.status == 400 and 'id="invitation-error"' in refused.html  # no code typed
    refused = refused.fill(_invitation="AAAA-BBBB-CCCC-DDDD").press("_action", "next")
    assert refused.status == 400
    assert refused.fields["_invitation"] == "AAAA-BBBB-CCCC-DDDD"
    assert 'href="#invitation"' in refused.html and 'aria-invalid="true"' in refused.html
    # Typed by hand: lower case, spaces, O for zero are accepted.
    typed = codes[0].lower().replace("-", " ").replace("0", "o")
    form = refused.fill(_invitation=typed).press("_action", "next")
    assert form.status == 200 and form.fields["_invitation"] == typed  # carried like an answer
    receipt = form.fill(q_role="activist").press("_action", "submit")
    assert receipt.status == 200 and "receipt" in receipt.html
    session.expire_all()
    assert len(session.exec(select(Response)).all()) == 1
    assert len(session.exec(select(InvitationCode)).all()) == 2

    # The same code cannot be used again.
    again = open_form(app.test_client(), "/c/draft-one?lang=en").fill(_consent="yes", _invitation=codes[0])
    again = again.press("_action", "next")
    assert again.status == 400
    assert "This invitation code is not valid or has already been used." in again.html


def test_a_code_used_meanwhile_is_refused_at_submission_keeping_the_answers(app, session, invited):
    cid, codes = invited
    first = open_form(app.test_client(), "/c/draft-one?lang=en").fill(_consent="yes", _invitation=codes[1])
    first = first.press("_action", "next").fill(q_role="mediator", q_years="12", q_story="Long story")
    second = open_form(app.test_client(), "/c/draft-one?lang=en").fill(_consent="yes", _invitation=codes[1])
    assert second.press("_action", "next").fill(q_role="activist").press("_action", "submit").status == 200
    refused = first.press("_action", "submit")
    assert refused.status == 400
    assert "This invitation code is not valid or has already been used." in refused.html
    assert refused.fields["q-years"] == "12" and refused.fields["q-story"] == "Long story"
    assert refused.fields["_consent"] == "yes"
    session.expire_all()
    assert len(session.exec(select(Response)).all()) == 1


def test_nothing_links_a_code_to_the_response_it_unlocked(app, session, invited, respond_with_code):
    cid, codes = invited
    # The invitation tables have no column that could hold a response, a time or an order.
    columns = {c["name"] for c in inspect(session.get_bind()).get_columns("invitation_code")}
    assert columns == {"id", "consultation_id", "code_hash"}
    batch_columns = {c["name"] for c in inspect(session.get_bind()).get_columns("invitation_batch")}
    assert batch_columns == {"id", "consultation_id", "created_on", "size"}
    before = _dump(session, exclude={"response", "answer"})
    respond_with_code(codes[0], q_role="activist")
    respond_with_code(codes[2], q_role="mediator")
    after = _dump(session, exclude={"response", "answer"})
    # The only trace of the two submissions outside the responses: two fewer unused codes.
    removed = {invitation_hash(codes[0]), invitation_hash(codes[2])}
    assert after == {line for line in before if not any(h in line for h in removed)}
    assert not any(h in _dump(session) for h in removed)
    if session.get_bind().dialect.name == "sqlite":
        # Nor on disk: the deleted rows are overwritten and the write-ahead log was checkpointed.
        path = Path(session.get_bind().url.database)
        on_disk = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                                       if path.with_name(path.name + "-wal").exists() else b"")
        assert invitation_hash(codes[1]).encode() in on_disk  # the unused one is there, as it should be
        assert not any(h.encode() in on_disk for h in removed)
    if session.get_bind().dialect.name == "postgresql":
        # No remaining row was written by the transaction that stored a response.
        responses = {row[0] for row in session.execute(sql("SELECT xmin::text FROM response"))}
        codes_xmin = {row[0] for row in session.execute(sql("SELECT xmin::text FROM invitation_code"))}
        batches = {row[0] for row in session.execute(sql("SELECT xmin::text FROM invitation_batch"))}
        assert len(responses) == 2 and not responses & (codes_xmin | batches)


def test_revoking_unused_codes(designer, session, invited):
    cid, codes = invited
    response = post(designer, f"/design/{cid}/invitations/revoke")
    assert "3 unused codes were revoked." in text(designer.get(response.headers["Location"]))
    assert session.exec(select(InvitationCode)).all() == []
    assert session.exec(select(InvitationBatch)).one().size == 3
    # Publishing an invitation-only consultation without unused codes is refused.
    post(designer, f"/design/{cid}/state", target="closed")
    response = page(designer, f"/design/{cid}/publish").send(("action", "publish"))
    assert "there is no unused code: generate some first" in text(response)
    session.expire_all()
    assert session.get(Consultation, cid).state == "closed"


@pytest.fixture
def respond_with_code(app):
    def submit(code: str, **answers):
        form = open_form(app.test_client(), "/c/draft-one?lang=en").fill(_consent="yes", _invitation=code)
        form = form.press("_action", "next").fill(**answers)
        assert form.press("_action", "submit").status == 200

    return submit


def _dump(session, exclude=frozenset()) -> set[str]:
    """Every row of every table, as text (to look for traces)."""
    session.expire_all()
    inspector = inspect(session.get_bind())
    lines = set()
    for table in inspector.get_table_names():
        if table in exclude or table == "alembic_version":
            continue
        for row in session.execute(sql(f'SELECT * FROM "{table}"')):  # noqa: S608 - table names from the schema
            lines.add(f"{table}: {tuple(row)}")
    return lines


def test_two_respondents_racing_with_one_code_cannot_both_use_it(app, invited):
    """The redemption is one DELETE: the second waits for the first and finds nothing to delete."""
    import threading

    from sqlmodel import Session

    from surveys.services import redeem_invitation

    cid, codes = invited
    engine = app.extensions["consult.engine"]
    outcome = {}
    with Session(engine) as first, Session(engine) as second:
        assert redeem_invitation(first, first.get(Consultation, cid), codes[0])  # not committed yet
        late = second.get(Consultation, cid)
        second.rollback()  # start the competing transaction afresh, at its DELETE

        def compete():
            outcome["second"] = redeem_invitation(second, late, codes[0])
            second.commit()

        thread = threading.Thread(target=compete)
        thread.start()
        first.commit()
        thread.join(timeout=60)
    assert outcome == {"second": False}
