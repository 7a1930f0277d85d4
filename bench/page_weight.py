"""Page weight of every respondent page: bytes of HTML, CSS and JavaScript, raw and gzip.

    python bench/page_weight.py [--languages en,fr,es,ar] [--budget-kb 30] [--gzip-budget-kb 10]

Walks the demo consultation `wps-2026` in each language with the app's test client
(no server needed), as a respondent without JavaScript would: the consent page,
every section page (answers chosen so that every section is shown and every
question answered: the heaviest path, since each page carries the earlier answers
as hidden fields), the receipt page, the withdrawal page and its confirmation.

A page's weight is its HTML plus every stylesheet and script it links (and any
inline script, which there should be none of), uncompressed and gzip level 6 as
a server would send them. 1 KB = 1,000 bytes. Budget: 30 KB uncompressed, 10 KB
gzip, per page. Prints a table and the maximum; exits 1 if a page is over budget
or a page of the walk cannot be reached.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import secrets
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEMO_SLUG, LANGUAGES, RECEIPT_RE, make_app, scratch_database, table, verdict  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402


class PageParser(HTMLParser):
    """What a page links and what its form would send back untouched (hidden fields)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.inline_scripts = 0
        self.images: list[str] = []
        self.hidden: list[tuple[str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "link" and "stylesheet" in attrs.get("rel", "").split():
            self.stylesheets.append(attrs["href"])
        elif tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            else:
                self._in_script = True
        elif tag == "img" and attrs.get("src") and not attrs["src"].startswith("data:"):
            self.images.append(attrs["src"])
        elif tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.hidden.append((attrs["name"], attrs.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_scripts += len(data.encode())

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


@dataclass
class Weight:
    """One page's bytes."""

    language: str
    page: str
    status: int
    html: int
    css: int
    js: int
    html_gz: int
    css_gz: int
    js_gz: int
    #: Images or CSS url() references (fetched separately; there should be none).
    other_resources: int

    @property
    def total(self) -> int:
        return self.html + self.css + self.js

    @property
    def total_gz(self) -> int:
        return self.html_gz + self.css_gz + self.js_gz


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weigh(client, language: str, page: str, response) -> tuple[Weight, PageParser]:
    """Weigh a response and the resources it links (fetched through the same client)."""
    html = response.get_data()
    parser = PageParser()
    parser.feed(html.decode("utf-8"))
    css = [client.get(href).get_data() for href in parser.stylesheets]
    js = [client.get(src).get_data() for src in parser.scripts]
    css_urls = sum(len(re.findall(rb"url\((?!\s*['\"]?data:)", sheet)) for sheet in css)
    weight = Weight(
        language, page, response.status_code,
        len(html), sum(map(len, css)), sum(map(len, js)) + parser.inline_scripts,
        gzipped(html), sum(map(gzipped, css)), sum(map(gzipped, js)) + (parser.inline_scripts and 1),
        len(parser.images) + css_urls,
    )
    return weight, parser


def full_answers(consultation, language: str, seed: int) -> MultiDict:
    """Answers in `language` that open every section and answer every question (the heaviest walk).

    :raises RuntimeError: if the demo's generator never produces such a set.
    """
    from surveys.services import read_form
    from surveys.synthetic import synthetic_form

    rng = random.Random(seed)
    best, best_score = None, (-1, -1)
    wanted = sum(q.kind.collects_answer for q in consultation.questions)
    for _ in range(20000):
        lang, form = synthetic_form(consultation, rng)
        if lang != language:
            continue
        reading = read_form(consultation, form)
        score = (len(reading.sections), len(reading.answers))
        if not reading.errors and score > best_score:
            best, best_score = form, score
            if score == (len(consultation.sections), wanted):
                return form
    if best is None:
        raise RuntimeError(f"no valid answers in {language}")
    return best


def page_fields(form: MultiDict, keys: list[str]) -> list[tuple[str, str]]:
    """The answer fields of the questions `keys` (matrix and ranking rows included)."""
    names = {f"q-{k}" for k in keys}
    prefixes = tuple(f"q-{k}-" for k in keys)
    return [(n, v) for n, values in form.lists() for v in values if n in names or n.startswith(prefixes)]


def walk(app, language: str, seed: int) -> list[Weight]:
    """Every respondent page in `language`, weighed in the order a respondent meets them.

    :raises RuntimeError: if a page of the walk is not what it should be.
    """
    from consult import db
    from surveys.services import get_consultation

    with app.test_request_context(), db.unit_of_work() as session:
        consultation = get_consultation(session, DEMO_SLUG)
        answers = full_answers(consultation, language, seed)
        titles = {str(s.id): s.position + 1 for s in consultation.sections}

    client = app.test_client()
    weights = []
    response = client.get(f"/c/{DEMO_SLUG}?lang={language}")
    weight, parser = weigh(client, language, "consent", response)
    weights.append(weight)
    fields = MultiDict(parser.hidden)
    fields.update({"_consent": "yes", "_action": "next"})
    for _step in range(len(titles) + 1):
        response = client.post(f"/c/{DEMO_SLUG}", data=fields)
        html = response.get_data(as_text=True)
        if response.status_code != 200:
            raise RuntimeError(f"{language}: HTTP {response.status_code} after page {fields.get('_page')}")
        receipt = RECEIPT_RE.search(html)
        if receipt:
            weights.append(weigh(client, language, "receipt", response)[0])
            break
        parser = PageParser()
        parser.feed(html)
        hidden = MultiDict(parser.hidden)
        page = hidden.get("_page", "")
        weights.append(weigh(client, language, f"section {titles.get(page, page)}", response)[0])
        shown = [k for k in hidden.get("_shown", "").split(",") if k]
        fields = MultiDict(parser.hidden)
        for name, value in page_fields(answers, shown):
            fields.add(name, value)
        fields["_action"] = "submit" if 'value="submit"' in html else "next"
    else:
        raise RuntimeError(f"{language}: no receipt after {len(titles)} section pages")

    response = client.get(f"/c/{DEMO_SLUG}/withdraw?lang={language}")
    weight, parser = weigh(client, language, "withdraw", response)
    weights.append(weight)
    data = MultiDict(parser.hidden)
    data["receipt"] = receipt.group(1)
    response = client.post(f"/c/{DEMO_SLUG}/withdraw", data=data)
    if response.status_code != 200:
        raise RuntimeError(f"{language}: withdrawal answered HTTP {response.status_code}")
    weights.append(weigh(client, language, "withdrawn", response)[0])
    return weights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--languages", default=",".join(LANGUAGES), help="comma-separated (default en,fr,es,ar)")
    parser.add_argument("--budget-kb", type=float, default=30, help="uncompressed budget per page, KB (default 30)")
    parser.add_argument("--gzip-budget-kb", type=float, default=10, help="gzip budget per page, KB (default 10)")
    parser.add_argument("--seed", type=int, default=3, help="seed for the answers typed on the way")
    args = parser.parse_args(argv)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or not languages:
        parser.error(f"--languages: the demo is in {', '.join(LANGUAGES)}; got {', '.join(unknown) or 'none'}")
    budget, gzip_budget = args.budget_kb * 1000, args.gzip_budget_kb * 1000

    from consult import db
    from surveys.demo import load_demo

    with scratch_database("sqlite") as database:
        app = make_app(database.url, secrets.token_hex(32))
        try:
            db.upgrade(app)
            with app.app_context(), db.unit_of_work() as session:
                load_demo(session)
            weights = [w for code in languages for w in walk(app, code, args.seed)]
        except RuntimeError as error:
            print(f"FAIL the walk through the respondent pages broke: {error}")
            return 1
        finally:
            app.extensions["consult.engine"].dispose()

    rows = []
    for w in weights:
        over = w.total > budget or w.total_gz > gzip_budget
        rows.append([w.language, w.page, w.status, w.html, w.css, w.js, w.total, w.html_gz, w.css_gz, w.js_gz,
                     w.total_gz, "OVER" if over else "ok"])
    print(table(["lang", "page", "status", "HTML B", "CSS B", "JS B", "total B", "HTML gz", "CSS gz", "JS gz",
                 "total gz", "budget"], rows))
    heaviest = max(weights, key=lambda w: w.total)
    heaviest_gz = max(weights, key=lambda w: w.total_gz)
    print()
    print(table(["", "page", "bytes", "budget", "result"], [
        ["max uncompressed", f"{heaviest.language} {heaviest.page}", heaviest.total, int(budget),
         verdict(heaviest.total <= budget)],
        ["max gzip", f"{heaviest_gz.language} {heaviest_gz.page}", heaviest_gz.total_gz, int(gzip_budget),
         verdict(heaviest_gz.total_gz <= gzip_budget)],
        ["JavaScript on any page", "", max(w.js for w in weights), 0, verdict(all(w.js == 0 for w in weights))],
    ]))
    others = [w for w in weights if w.other_resources]
    if others:
        print(f"\nnote: {len(others)} pages reference images or CSS url() resources not counted above")
    over = [w for w in weights if w.total > budget or w.total_gz > gzip_budget]
    print()
    if over:
        print(f"FAIL {len(over)} of {len(weights)} pages over budget")
        return 1
    print(f"PASS all {len(weights)} pages within {args.budget_kb:g} KB / {args.gzip_budget_kb:g} KB gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
