"""Exports: anonymised responses (CSV, XLSX), protected aggregate tables, the brief as DOCX.

* **Responses**: one row per response, in random order (response ids are random; they
  are not exported, nor the submission day, nor closed answers other than the
  demographic ones). Columns: the response language and demographic answers (the
  quasi-identifiers, made k-anonymous with `k_anonymize`: rare values climb to the
  reference group they belong to, then to "*"), each free-text answer as stored
  (scrubbed) with its goals and sentiment, and one 0/1 column per goal.
* **Aggregate tables**: the workspace's tables with their suppression, a hidden cell
  written as `MARKER`.
* Text cells that a spreadsheet would run as a formula (starting with = + - @) get a
  leading apostrophe: a respondent's text must never execute on an analyst's machine.

Writers return bytes; they need an app context for translated headings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from analysis.brief import Brief
from analysis.dataset import Dataset, Reference
from analysis.labels import Vocabulary
from analysis.summaries import is_partition
from consult.privacy.disclosure import TOP, AnonymizationReport, Cell, k_anonymize

#: What a hidden cell reads in machine-readable exports.
MARKER = "suppressed"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowExport:
    """The anonymised response rows and what anonymisation did."""

    headers: list[str]
    rows: list[list[Any]]
    report: AnonymizationReport
    quasi_identifiers: list[str]


@dataclass(frozen=True)
class Table:
    """One aggregate table: a name (sheet), a title, headers and rows of plain values."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def safe_text(value: Any) -> Any:
    """A text cell that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cell_value(cell: Cell) -> int | str:
    """A protected count as exported: the number, or `MARKER`."""
    return MARKER if cell.suppressed else cell.value


def share_value(share: float | None) -> float | str:
    """A share as exported: a proportion rounded to 4 places, or `MARKER`."""
    return MARKER if share is None else round(share, 4)


def _hierarchies(dataset: Dataset, references: Sequence[Reference]) -> dict[str, dict[str, str]]:
    """Generalisation steps: a choice climbs to its reference group (single-choice
    questions whose groups do not overlap), then to "*"."""
    steps: dict[str, dict[str, str]] = {}
    for question in dataset.demographics:
        own = [r for r in references if r.question_key == question.key]
        if own and is_partition(question, own):
            steps[question.key] = {c: f"group:{r.label}" for r in own for c in r.choice_keys}
    return steps


def response_rows(dataset: Dataset, references: Sequence[Reference] = ()) -> RowExport:
    """The k-anonymous response rows of the whole consultation.

    :raises consult.privacy.disclosure.cells.DisclosureError: with 1..k-1 responses.
    """
    raised = dataset.goals_by_respondent()
    texts: dict[str, dict[str, Any]] = {}
    for text in dataset.texts:
        texts.setdefault(text.response_id, {})[text.question_key] = text
    quasi = ["language", *(d.key for d in dataset.demographics)]
    plain = []
    for respondent in dataset.respondents:
        row: dict[str, Any] = {"language": respondent.language}
        for demographic in dataset.demographics:
            chosen = respondent.groups.get(demographic.key, ())
            row[demographic.key] = tuple(sorted(chosen)) if demographic.multiple else (chosen[0] if chosen else "")
        for question in dataset.questions:
            text = texts.get(respondent.id, {}).get(question.key)
            row[question.key] = text.text if text else ""
            row[f"{question.key}_goals"] = ";".join(text.goals) if text and text.themed else ""
            row[f"{question.key}_sentiment"] = text.bucket if text and text.themed else ""
        for goal in dataset.goal_ids:
            row[f"goal_{goal}"] = int(goal in raised.get(respondent.id, ()))
        plain.append(row)
    published, report = k_anonymize(
        plain, quasi, k=dataset.k, hierarchies=_hierarchies(dataset, references), suppression="star"
    )
    headers = [
        "row",
        *quasi,
        *(f"{q.key}{suffix}" for q in dataset.questions for suffix in ("", "_goals", "_sentiment")),
        *(f"goal_{g}" for g in dataset.goal_ids),
    ]
    rows = []
    for number, row in enumerate(published, start=1):
        values = [number]
        for header in headers[1:]:
            value = row.get(header, "")
            if isinstance(value, tuple):
                value = ";".join(value)
            values.append(safe_text(value))
        rows.append(values)
    return RowExport(headers, rows, report, quasi)


def export_notes(export: RowExport, vocabulary: Vocabulary) -> list[str]:
    """What the reader of a response export must know, in her language."""
    report = export.report
    notes = [
        _("Each row is one response, in random order. Free text is as stored: personal details were "
          "removed when it was submitted. Response ids, submission dates and closed answers other than "
          "the demographic ones are not exported."),
        _("Language and demographic answers are k-anonymous with k = %(k)s: every combination of them "
          "is shared by at least %(k)s rows.", k=report.k),
    ]
    for column, count in report.generalised.items():
        if count:
            name = _("language") if column == "language" else vocabulary.question(column)
            notes.append(
                _("%(column)s: %(count)s values published less precisely (a reference group or \"%(top)s\").",
                  column=name, count=count, top=TOP)
            )
    if report.rows_suppressed:
        notes.append(
            _("%(count)s rows have every demographic answer replaced by \"%(top)s\" (their combination was too rare).",
              count=report.rows_suppressed, top=TOP)
        )
    notes.append(
        _("Text that a spreadsheet would read as a formula starts with an added apostrophe (').")
    )
    return notes


def responses_csv(export: RowExport) -> bytes:
    """The response rows as UTF-8 CSV (with a byte-order mark, so spreadsheets read it right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export.headers)
    writer.writerows(export.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def tables_csv(tables: Sequence[Table]) -> bytes:
    """Aggregate tables in long form: table, row, column, value (hidden cells: `MARKER`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["table", "row", "column", "value"])
    for table in tables:
        for row in table.rows:
            for header, value in zip(table.headers[1:], row[1:], strict=True):
                writer.writerow([table.name, safe_text(row[0]), safe_text(header), value])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def workbook(export: RowExport | None, tables: Sequence[Table], notes: Sequence[str], codes: Table) -> bytes:
    """An XLSX workbook: notes, the response rows (if any), the codes and every aggregate table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Notes"
    for line in notes:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 120

    def add(name: str, headers: Sequence[Any], rows: Sequence[Sequence[Any]], title: str | None = None):
        page = book.create_sheet(name[:31])
        if title:
            page.append([title])
            page["A1"].font = Font(bold=True)
        page.append(list(headers))
        for cell in page[page.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            page.append([safe_text(v) for v in row])
        for column in page.iter_cols(min_row=1, max_row=page.max_row):
            for cell in column:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
        return page

    if export is not None:
        add("Responses", export.headers, export.rows)
    add(codes.name, codes.headers, codes.rows, codes.title)
    for table in tables:
        add(table.name, table.headers, table.rows, table.title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def codes_table(dataset: Dataset, vocabulary: Vocabulary) -> Table:
    """The codes used in exports and their names in the reader's language."""
    rows: list[list[Any]] = [["goal", goal, vocabulary.goal(goal)] for goal in dataset.goal_ids]
    rows += [["language", code, vocabulary.language_name(code)] for code in dataset.languages]
    for demographic in dataset.demographics:
        rows += [[demographic.key, key, vocabulary.choice(demographic.key, key)] for key, _label in demographic.choices]
    rows += [["question", q.key, vocabulary.question(q.key)] for q in dataset.questions]
    rows += [["sentiment", bucket, name] for bucket, name in vocabulary.sentiments()]
    return Table("Codes", _("Codes and their meaning"), ["kind", "code", "meaning"], rows)


# -- aggregate tables -------------------------------------------------------------------------------


def aggregate_tables(
    dataset: Dataset, references: Sequence[Reference], brief: Brief, vocabulary: Vocabulary
) -> list[Table]:
    """The protected aggregate tables of the whole consultation (those the brief rests on)."""
    from analysis.breakdowns import breakdown

    view = brief.overview
    tables: list[Table] = []
    if view.withheld:
        return tables
    tables.append(
        Table(
            "languages",
            _("Respondents by language"),
            ["language", "respondents", "share"],
            [[r.key, cell_value(r.cell), share_value(r.share)] for r in view.languages.rows]
            + [["total", cell_value(view.languages.total), ""]],
        )
    )
    for demographic in dataset.demographics:
        series = view.groups[demographic.key]
        tables.append(
            Table(
                f"group_{demographic.key}",
                vocabulary.question(demographic.key),
                [demographic.key, "respondents", "share"],
                [[r.key, cell_value(r.cell), share_value(r.share)] for r in series.rows]
                + [["total", cell_value(series.total), ""]],
            )
        )
    tables.append(
        Table(
            "completion",
            _("Completion of the free-text questions"),
            ["question", "shown", "answered", "share"],
            [[c.question.key, cell_value(c.shown), cell_value(c.answered), share_value(c.share)]
             for c in view.completion],
        )
    )
    tables.append(
        Table(
            "goals",
            _("Respondents raising each goal"),
            ["goal", "respondents", "share", "weighted_share"],
            [[f.goal, cell_value(f.cell), share_value(f.share), share_value(f.weighted)] for f in brief.findings]
            + [[r.key, cell_value(r.cell), share_value(r.share), ""] for r in view.goals.rows
               if r.key not in dataset.goal_ids],
        )
    )
    tables.append(
        Table(
            "sentiment",
            _("Sentiment of the respondents raising each goal"),
            ["goal", *(bucket for bucket, _name in vocabulary.sentiments())],
            [
                [f.goal, *(cell_value(r.cell) for r in f.sentiment.rows)]
                if f.sentiment
                else [f.goal, *([MARKER] * len(vocabulary.sentiments()))]
                for f in brief.findings
            ],
        )
    )
    tables.append(
        Table(
            "cooccurrence",
            _("Respondents raising both goals"),
            ["goal", *dataset.goal_ids],
            [[goal, *(cell_value(c) for c in row)] for goal, row in zip(dataset.goal_ids, view.cooccurrence,
                                                                         strict=True)],
        )
    )
    for demographic in dataset.demographics:
        table = breakdown(dataset, demographic, references)
        rows = []
        for goal, cells in table.rows:
            rows.append([goal, *(cell_value(c.cell) for c in cells)])
        for goal, cells in table.rows:
            rows.append([f"{goal} lift", *("" if c.lift is None else c.lift for c in cells)])
            rows.append([f"{goal} q", *("" if c.q_value is None else round(c.q_value, 4) for c in cells)])
        tables.append(
            Table(
                f"by_{demographic.key}",
                _("Goals by %(question)s", question=vocabulary.question(demographic.key)),
                ["goal", *table.columns],
                rows,
            )
        )
    for rep in brief.amplify.representations:
        tables.append(
            Table(
                f"representation_{rep.question.key}",
                _("Representation: %(question)s", question=vocabulary.question(rep.question.key)),
                ["group", "respondents", "sample_share", "reference_share", "status"],
                [
                    [
                        row.reference.label if row.reference else row.key,
                        cell_value(row.cell),
                        share_value(row.sample_share),
                        "" if row.reference_share is None else round(row.reference_share, 4),
                        row.status,
                    ]
                    for row in rep.rows
                ],
            )
        )
    agreement = brief.agreement
    tables.append(
        Table(
            "agreement",
            _("Agreement of the machine with the analysts (%(n)s reviewed answers)", n=agreement.n),
            ["goal", "precision", "recall", "kappa"],
            [[g.goal, _round(g.precision), _round(g.recall), _round(g.kappa)] for g in agreement.goals],
        )
    )
    return tables


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 3)


# -- the brief as DOCX --------------------------------------------------------------------------------


def brief_docx(brief: Brief, vocabulary: Vocabulary, sections: dict[str, Any]) -> bytes:
    """The brief as a Word document.

    :param sections: the translated texts the HTML brief uses too (see
        `analysis.routes.brief_texts`), so both say the same.
    """
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    document.add_heading(sections["title"], level=0)
    document.add_paragraph(sections["subtitle"])

    document.add_heading(sections["key_figures"], level=1)
    _docx_table(document, sections["figures_headers"], sections["figures_rows"])

    document.add_heading(sections["findings"], level=1)
    for finding in sections["goal_sections"]:
        document.add_heading(finding["title"], level=2)
        document.add_paragraph().add_run(finding["definition"]).italic = True
        for line in finding["lines"]:
            document.add_paragraph(line, style="List Bullet")
        for quote in finding["quotes"]:
            paragraph = document.add_paragraph(style="Quote")
            paragraph.add_run(f"“{quote['text']}”")
            if quote["source"]:
                paragraph.add_run(f" — {quote['source']}").italic = True
        if not finding["quotes"]:
            document.add_paragraph(sections["no_quotes"])

    document.add_heading(sections["amplify"], level=1)
    for line in sections["amplify_lines"]:
        document.add_paragraph(line)
    for table in sections["amplify_tables"]:
        document.add_paragraph(table["title"]).runs[0].bold = True
        _docx_table(document, table["headers"], table["rows"])
    for quote in sections["amplified_quotes"]:
        paragraph = document.add_paragraph(style="Quote")
        paragraph.add_run(f"“{quote['text']}”")
        if quote["source"]:
            paragraph.add_run(f" — {quote['source']}").italic = True

    document.add_heading(sections["methodology"], level=1)
    for line in sections["method_lines"]:
        document.add_paragraph(line)
    _docx_table(document, sections["agreement_headers"], sections["agreement_rows"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


# -- the brief's text, shared by the HTML page and the DOCX ------------------------------------------


def percent(value: float | None, marker: str) -> str:
    """A share as the reader's locale writes percentages, or the marker."""
    from flask_babel import format_percent

    return marker if value is None else format_percent(value)


def count(cell: Cell, marker: str) -> str:
    """A protected count as the reader's locale writes numbers, or the marker."""
    from flask_babel import format_decimal

    return marker if cell.suppressed else format_decimal(cell.value)


def quote_source(quote, vocabulary: Vocabulary) -> str:
    """What may be said of a quote's author: language and group, where each is safe."""
    parts = []
    if quote.attribution.language:
        parts.append(vocabulary.language_name(quote.attribution.language))
    if quote.attribution.group:
        parts.append(vocabulary.choice(*quote.attribution.group))
    return " · ".join(parts)


def brief_sections(brief: Brief, vocabulary: Vocabulary, title: str, marker: str) -> dict[str, Any]:
    """The brief's translated text and tables, for the HTML template and the DOCX writer."""
    from flask_babel import format_date, format_decimal

    from consult.privacy.disclosure import safe_share

    k = brief.k
    view = brief.overview
    figures: list[list[str]] = [[_("Respondents"), count(view.population, marker)]]
    if view.languages:
        for row in view.languages.rows:
            figures.append(
                [_("Responses in %(language)s", language=vocabulary.language_name(row.key)),
                 f"{count(row.cell, marker)} ({percent(row.share, marker)})"]
            )
    # Answers themed, decided and approved are the analysts' own work, said in the methodology.
    goal_sections = []
    for finding in brief.findings:
        lines = []
        if finding.share is not None:
            lines.append(
                _("%(share)s of respondents raised this goal (%(count)s respondents).",
                  share=percent(finding.share, marker), count=count(finding.cell, marker))
            )
        else:
            lines.append(
                _("How many respondents raised this goal cannot be shown: the count, or the number who did "
                  "not raise it, is under %(k)s respondents (or protects such a count).", k=k)
            )
        if finding.weighted is not None:
            lines.append(
                _("Re-weighted to the reference groups: %(share)s.", share=percent(finding.weighted, marker))
            )
        if finding.sentiment is not None:
            parts = [
                f"{vocabulary.sentiment(row.key)} {percent(safe_share(row.cell, finding.cell, k), marker)}"
                for row in finding.sentiment.rows
            ]
            lines.append(_("Sentiment of these respondents: %(parts)s.", parts=", ".join(parts)))
        if finding.phrases:
            lines.append(
                # Isolated (U+2068...U+2069): an Arabic phrase must not reorder the sentence around it.
                _("Recurring phrases: %(phrases)s.",
                  phrases="; ".join(f"“\u2068{p.text}\u2069”" for p in finding.phrases))
            )
        for difference in finding.differences:
            lines.append(
                _("%(group)s (%(question)s): %(share)s raise it, %(lift)s times the share of all respondents "
                  "(q = %(q)s).",
                  group=vocabulary.choice(difference.question, difference.choice),
                  question=vocabulary.question(difference.question),
                  share=percent(difference.cell.share, marker),
                  lift=format_decimal(difference.cell.lift, format="0.00"),
                  q=format_decimal(difference.cell.q_value, format="0.000"))
            )
        goal_sections.append(
            {
                "goal": finding.goal,
                "title": vocabulary.goal(finding.goal),
                "definition": vocabulary.goal_definition(finding.goal),
                "lines": lines,
                "quotes": [{"text": q.text, "lang": q.lang, "source": quote_source(q, vocabulary)}
                           for q in finding.quotes],
            }
        )

    amplify_view = brief.amplify
    amplify_lines = []
    amplify_tables = []
    if not brief.references:
        amplify_lines.append(
            _("No reference groups were set, so representation could not be compared with a fair sample.")
        )
    for rep in amplify_view.representations:
        vocabulary.with_references(brief.references)
        amplify_tables.append(
            {
                "title": _("Representation: %(question)s", question=vocabulary.question(rep.question.key)),
                "headers": [_("Group"), _("Respondents"), _("Share of respondents"), _("Reference share"),
                            _("Status")],
                "rows": [
                    [
                        row.reference.label if row.reference else vocabulary.category(rep.question.key, row.key),
                        count(row.cell, marker),
                        percent(row.sample_share, marker),
                        percent(row.reference_share, marker) if row.reference_share is not None else "",
                        status_name(row.status),
                    ]
                    for row in rep.rows
                ],
            }
        )
    under = [r.label for rep in amplify_view.representations for r in rep.under]
    if brief.references:
        amplify_lines.append(
            _("Under-represented against the reference: %(groups)s.", groups=", ".join(under))
            if under
            else _("No reference group is under-represented (below 0.8 times its reference share).")
        )
    weighting = amplify_view.weighting
    if weighting is not None and not weighting.refused:
        amplify_lines.append(weighting_explanation(k))
        amplify_tables.append(
            {
                "title": _("Goal shares, raw and re-weighted"),
                "headers": [_("Goal"), _("Raw share"), _("Re-weighted share")],
                "rows": [[vocabulary.goal(g.goal), percent(g.raw, marker), percent(g.weighted, marker)]
                         for g in amplify_view.goals],
            }
        )
    elif weighting is not None:
        amplify_lines.append(refusal_text(weighting.refused, k))
    if weighting is not None and weighting.absent:
        amplify_lines.append(
            _("Nobody answered from %(groups)s: weighting cannot create voices that are absent.",
              groups=", ".join(weighting.absent))
        )
    for item in amplify_view.underheard:
        if item.notable:
            amplify_lines.append(
                _("%(group)s raise %(goal)s more than others: %(share)s against %(overall)s of all respondents.",
                  group=item.reference.label, goal=vocabulary.goal(item.goal),
                  share=percent(item.share, marker), overall=percent(item.overall, marker))
            )

    agreement = brief.agreement
    method = [
        _("Each free-text answer was themed by the machine against the five goals of the NAP codebook "
          "(model %(models)s); %(decided)s of %(themed)s themed answers were checked and decided by an analyst, "
          "whose decision replaces the machine's; %(approved)s answers are approved for quotation.",
          models=", ".join(brief.models) or "–", decided=format_decimal(brief.decided),
          themed=format_decimal(brief.themed), approved=format_decimal(brief.approved)),
        _("On the %(n)s answers analysts reviewed, the machine's goals were exactly the analyst's in %(exact)s "
          "of cases; per goal, precision, recall and Cohen's kappa are in the table below.",
          n=format_decimal(agreement.n), exact=percent(agreement.exact, marker))
        if agreement.n
        else _("No answer has been reviewed yet: how well the machine did on this consultation is not known."),
        _("Every count covers at least %(k)s respondents or is suppressed, with enough other cells that it "
          "cannot be worked out from totals; a share is withheld where its count, or the number it leaves "
          "out, is under %(k)s. Suppressed values read \"%(marker)s\".", k=k, marker=marker),
        _("Quotes are answers an analyst approved for quotation; personal details were removed before "
          "anything was stored. A quote's author is described only by a language or group that at least "
          "%(k)s respondents share.", k=k),
        _("Sentiment is measured only where a model exists for the language (English, French); other "
          "answers count as \"no sentiment model\", never as neutral."),
        _("Differences between groups are tested with Fisher's exact test, corrected for the number of "
          "comparisons (Benjamini-Hochberg); only groups of at least 30 respondents are compared."),
    ]
    return {
        "title": _("Policy brief: %(title)s", title=title),
        "subtitle": _("Consultation %(slug)s, brief generated on %(date)s. Counts under %(k)s respondents are "
                      "suppressed.", slug=brief.slug, date=format_date(brief.generated_on), k=k),
        "key_figures": _("Key figures"),
        "figures_headers": [_("Figure"), _("Value")],
        "figures_rows": figures,
        "findings": _("What respondents said, goal by goal"),
        "goal_sections": goal_sections,
        "no_quotes": _("No quote approved for this goal yet."),
        "amplify": _("Amplify: whose voices are in the data"),
        "amplify_lines": amplify_lines,
        "amplify_tables": amplify_tables,
        "amplified_quotes": [{"text": q.text, "lang": q.lang, "source": quote_source(q, vocabulary)}
                             for q in brief.amplified_quotes],
        "methodology": _("Methodology and limits"),
        "method_lines": method,
        "agreement_headers": [_("Goal"), _("Precision"), _("Recall"), _("Cohen's kappa")],
        "agreement_rows": [
            [vocabulary.goal(g.goal), _fmt(g.precision, marker), _fmt(g.recall, marker), _fmt(g.kappa, marker)]
            for g in agreement.goals
        ],
    }


def _fmt(value: float | None, marker: str) -> str:
    from flask_babel import format_decimal

    return "–" if value is None else format_decimal(value, format="0.00")


def status_name(status: str) -> str:
    """A representation status in words."""
    names = {
        "under": _("Under-represented"),
        "over": _("Over-represented"),
        "fair": _("Close to the reference"),
        "absent": _("Absent"),
        "hidden": _("Too few to show"),
    }
    return names.get(status, "")


def weighting_explanation(k: int) -> str:
    """What re-weighting does and cannot do, in plain words."""
    return _(
        "Re-weighting counts each respondent as if her group had its reference share: a respondent from a "
        "group with half its reference share counts twice. It cannot create voices that are absent, it "
        "multiplies the chance views of a small group along with its real ones (so it is refused for groups "
        "under %(k)s respondents), it corrects one question at a time, respondents who did not answer that "
        "question keep a weight of one, and it is only as right as the reference shares.",
        k=k,
    )


def refusal_text(code: str, k: int) -> str:
    """Why no re-weighting is shown."""
    texts = {
        "overlap": _("Re-weighting needs groups that do not overlap, on a single-choice question."),
        "small": _("Re-weighting is not shown: a group counts fewer than %(k)s respondents, and weighting it "
                   "up would multiply a handful of voices (and could expose them). Gather more answers "
                   "from it instead.", k=k),
        "hidden": _("Re-weighting is not shown: some group counts cannot be published."),
        "none": _("Re-weighting needs reference groups with respondents in them."),
    }
    return texts.get(code, "")
