"""Fixtures for the designer: a signed-in designer's client, forms by id, arranged consultations."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from consult import db
from surveys.models import Consultation
from tests.formclient import FormPage


class Page(FormPage):
    """A staff page with one of its forms (chosen by id) ready to fill and send."""

    def __init__(self, client, response, form_id=None):
        super().__init__(client, response, form_id=form_id)
        # Browsers drop the newline right after <textarea> (WTForms writes one).
        self.fields = MultiDict(
            (name, value[2:] if value.startswith("\r\n") else value) for name, value in self.fields.items(multi=True)
        )

    def send(self, button: tuple[str, str] = ("action", "save"), **values):
        """Fill fields by name and submit with `button`; returns the raw response."""
        self.fill(**values)
        data = MultiDict(self.fields)
        if button:
            data.add(*button)
        return self.client.post(self.action, data=data)


def page(client, url: str, form_id: str | None = None, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, f"GET {url}: {response.status_code}"
    return Page(client, response, form_id=form_id)


def post(client, url: str, **data):
    """POST with a valid CSRF token taken from a staff page (buttons in lists have no form id)."""
    token = csrf_token(client)
    return client.post(url, data={"csrf_token": token, **data})


def csrf_token(client) -> str:
    html = client.get("/design/new").get_data(as_text=True)
    return re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def designer(client, login):
    """The test client, signed in as a designer."""
    login(client, role="designer")
    return client


@pytest.fixture
def consultation_id(app):
    """Id of a consultation by slug (after it was made through the designer)."""

    def find(slug: str) -> int:
        with app.app_context(), db.unit_of_work() as s:
            return s.exec(select(Consultation.id).where(Consultation.slug == slug)).one()

    return find


@pytest.fixture
def arrange(app):
    """Create a consultation from a definition (state draft unless said otherwise); returns its id."""
    from surveys.services import create_consultation

    def make(**overrides) -> int:
        definition = {
            "slug": "draft-one",
            "state": "draft",
            "default_language": "en",
            "languages": ["en", "fr"],
            "title": {"en": "Draft consultation", "fr": "Consultation brouillon"},
            "sections": [
                {
                    "title": {"en": "First", "fr": "Premier"},
                    "questions": [
                        {"key": "role", "type": "single_choice", "label": {"en": "Your role", "fr": "Votre rôle"},
                         "choices": [{"key": "activist", "label": {"en": "Activist", "fr": "Militante"}},
                                     {"key": "mediator", "label": {"en": "Mediator", "fr": "Médiatrice"}}]},
                        {"key": "years", "type": "number", "options": {"min": 0, "max": 70},
                         "label": {"en": "Years of work", "fr": "Années de travail"}},
                        {"key": "story", "type": "long_text", "label": {"en": "Your story", "fr": "Votre histoire"}},
                    ],
                }
            ],
        }
        definition.update(overrides)
        with app.app_context(), db.unit_of_work() as s:
            return create_consultation(s, definition).id

    return make


@pytest.fixture
def respond(client):
    """Submit one response through the respondent form: answers by field name."""
    from tests.formclient import open_form

    def submit(slug: str, lang: str = "en", **answers):
        form = open_form(client, f"/c/{slug}?lang={lang}").fill(_consent="yes")
        form = form.press("_action", "next")
        assert form.status == 200, form.html[:2000]
        form.fill(**answers)
        while ("_action", "submit") not in [(b[0], b[1]) for b in form.buttons]:
            form = form.press("_action", "next")
            assert form.status == 200
        result = form.press("_action", "submit")
        assert result.status == 200 and "receipt" in result.html, result.html[:3000]
        return result

    return submit
