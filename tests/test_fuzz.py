"""Fuzzing: every POST route takes random form data (1,000 examples each by default;
FUZZ_EXAMPLES to change) from a signed-in admin/designer/analyst and from an anonymous
visitor, and never answers with a 5xx."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
SKIP = {"accounts.logout"}  # signing out ends the fuzzing session; tested elsewhere


class _Names(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self.values: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            self.names.add(attrs["name"])
        if tag in ("input", "option", "button") and attrs.get("value"):
            self.values.add(attrs["value"])


def route_urls(app, values):
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in SKIP:
            continue
        arguments = {}
        for name, converter in rule._converters.items():
            kind = type(converter).__name__
            if kind == "IntegerConverter":
                arguments[name] = values.get(name, 1)
            elif kind == "AnyConverter":
                arguments[name] = sorted(converter.items)[0]
            else:
                arguments[name] = values.get(name, "wps-2026")
        yield rule.endpoint, rule.build(arguments, append_unknown=False)[1]


def form_strategy(names: list[str], values: list[str], token: str):
    value = st.one_of(
        st.text(max_size=200),
        st.sampled_from(values or ["x"]),
        st.integers(min_value=-10**6, max_value=10**9).map(str),
        st.sampled_from(["", " ", "0", "-1", "yes", "no", "next", "submit", "back", "2026-02-30", "1e309", "NaN",
                         "٣", "${q}", "<script>", "'; DROP TABLE response; --", "\x00", "a" * 6000]),
    )
    name = st.one_of(st.sampled_from(names or ["x"]), st.text(min_size=1, max_size=20))
    pairs = st.lists(st.tuples(name, value), max_size=25)
    return st.tuples(pairs, st.booleans()).map(
        lambda item: MultiDict(item[0] + ([("csrf_token", token)] if item[1] or not item[0] else []))
    )


@pytest.fixture
def fuzz_client(app, demo, login):
    client = app.test_client()
    login(client, roles=("admin", "designer", "analyst"))
    return client


# HTTP handling is fuzzed once, on SQLite: every other database test runs on both backends.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_post_route_answers_5xx(app, fuzz_client):
    client = fuzz_client
    app.config["PROPAGATE_EXCEPTIONS"] = False
    routes = list(route_urls(app, {}))
    assert any(endpoint == "surveys.respond" for endpoint, _url in routes)
    failures = []
    for endpoint, url in routes:
        page = client.get(url)
        html = page.get_data(as_text=True) if page.status_code == 200 else client.get("/c/wps-2026").get_data(as_text=True)
        parser = _Names()
        parser.feed(html)
        found = re.search(r'name="csrf_token" value="([^"]+)"', html)
        token = found.group(1) if found else ""

        try:
            _fuzz_route(client, endpoint, url, form_strategy(sorted(parser.names), sorted(parser.values), token))
        except AssertionError as error:
            failures.append(str(error)[:400])
    assert not failures, "\n".join(failures)


def _fuzz_route(client, endpoint: str, url: str, forms) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(form=forms)
    def fuzz(form):
        response = client.post(url, data=form)
        assert response.status_code < 500, (endpoint, response.status_code, list(form.items(multi=True))[:6])

    fuzz()


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(text=st.text(max_size=600), lang=st.sampled_from([None, "en", "fr", "es", "ar", "pt", "sw", "xx", ""]))
def test_scrubber_never_fails_and_spans_index_the_original(text, lang):
    from consult.privacy.scrub import scrub_pii

    result = scrub_pii(text, lang)
    previous_end = 0
    for span in result.spans:
        assert previous_end <= span.start < span.end <= len(text)
        previous_end = span.end


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(data=st.binary(max_size=4096))
def test_xlsform_importer_never_fails_on_random_bytes(data):
    from surveys.xlsform import read_xlsform

    result = read_xlsform(data)
    assert result.problems, "random bytes are never a valid form"


def _workbook_strategy():
    printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)  # what a cell can hold
    cell = st.one_of(st.none(), printable, st.sampled_from(
        ["text", "integer", "select_one l", "select_multiple l", "begin_group", "end_group", "begin_repeat",
         "note", "date", "range", "rank l", "yes", "no", "${a} = 'x'", ". > 3", "label::English (en)", "l", "a"]))
    row = st.lists(cell, min_size=1, max_size=6)
    return st.tuples(st.lists(row, max_size=12), st.lists(row, max_size=8))


@settings(max_examples=EXAMPLES // 4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(sheets=_workbook_strategy())
def test_xlsform_importer_never_fails_on_random_workbooks(sheets):
    import io

    from openpyxl import Workbook

    from surveys.xlsform import read_xlsform

    survey_rows, choice_rows = sheets
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "relevant", "constraint", "required"])
    for row in survey_rows:
        survey.append(row)
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for row in choice_rows:
        choices.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    read_xlsform(buffer.getvalue())  # any outcome but an exception
