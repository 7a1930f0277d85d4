"""Questions answered by choosing: single, multiple, yes/no, rating scale.

Answers store stable choice keys (or the scale number), never display text.
"""

from __future__ import annotations

from flask_babel import gettext as _

from surveys.fields import AnswerError, QuestionType
from surveys.models import localized


class SingleChoice(QuestionType):
    name = "single_choice"
    macro = "single_choice"
    has_choices = True

    def clean(self, question, raw):
        if raw not in {c.key for c in question.choices}:
            raise AnswerError(_("Please choose one of the options shown."))
        return raw

    def display(self, question, value, language, fallback):
        for c in question.choices:
            if c.key == value:
                return localized(c.label, language, fallback)
        return "" if value is None else str(value)


class MultipleChoice(SingleChoice):
    name = "multiple_choice"
    macro = "multiple_choice"
    multiple = True

    def read(self, question, form):
        values = [v for v in form.getlist(question.field_name) if v]
        return values or None

    def clean(self, question, raw):
        keys = [c.key for c in question.choices]
        if any(v not in keys for v in raw):
            raise AnswerError(_("Please choose among the options shown."))
        chosen = [k for k in keys if k in set(raw)]  # form order, no duplicates
        low, high = question.options.get("min_choices"), question.options.get("max_choices")
        if high and len(chosen) > high:
            raise AnswerError(_("Please choose at most %(count)s options.", count=high))
        if low and len(chosen) < low:
            raise AnswerError(_("Please choose at least %(count)s options.", count=low))
        return chosen

    def display(self, question, value, language, fallback):
        labels = {c.key: localized(c.label, language, fallback) for c in question.choices}
        return "; ".join(labels.get(v, v) for v in value or [])


class YesNo(QuestionType):
    name = "yes_no"
    macro = "yes_no"

    def clean(self, question, raw):
        if raw not in ("yes", "no"):
            raise AnswerError(_("Please answer yes or no."))
        return raw

    def display(self, question, value, language, fallback):
        return {"yes": _("Yes"), "no": _("No")}.get(value, "")


class Rating(QuestionType):
    """A scale from `min` to `max` (default 1-5) with optional end labels."""

    name = "rating"
    macro = "rating"

    @staticmethod
    def scale(question) -> range:
        return range(int(question.options.get("min", 1)), int(question.options.get("max", 5)) + 1)

    def clean(self, question, raw):
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value not in self.scale(question):
            scale = self.scale(question)
            raise AnswerError(
                _("Please choose a value from %(min)s to %(max)s.", min=scale.start, max=scale.stop - 1)
            )
        return value


class Matrix(QuestionType):
    """Rows (``options.rows``: key and label) each answered on the same scale (the choices).

    The answer is ``{row_key: choice_key}``; a required matrix needs every row.
    """

    name = "matrix"
    macro = "matrix"
    has_choices = True
    multiple = True

    @staticmethod
    def rows(question) -> list[dict]:
        return question.options.get("rows", [])

    def field_names(self, question):
        return [f"{question.field_name}-{row['key']}" for row in self.rows(question)]

    def read(self, question, form):
        answer = {
            row["key"]: form.get(f"{question.field_name}-{row['key']}", "").strip()
            for row in self.rows(question)
        }
        answer = {k: v for k, v in answer.items() if v}
        return answer or None

    def clean(self, question, raw):
        scale = {c.key for c in question.choices}
        if any(v not in scale for v in raw.values()):
            raise AnswerError(_("Please choose one of the options shown."))
        if question.required and len(raw) < len(self.rows(question)):
            raise AnswerError(_("Please answer every row."))
        return raw

    def display(self, question, value, language, fallback):
        labels = {c.key: localized(c.label, language, fallback) for c in question.choices}
        return "; ".join(
            f"{localized(row['label'], language, fallback)}: {labels.get(value[row['key']], '')}"
            for row in self.rows(question)
            if value and row["key"] in value
        )


class Ranking(QuestionType):
    """Put the choices in order of importance; each gets a position from a list.

    Works without JavaScript: one select per choice. The answer is the list of
    choice keys, most important first (unranked choices are left out unless required).
    """

    name = "ranking"
    macro = "ranking"
    has_choices = True
    multiple = True

    def field_names(self, question):
        return [f"{question.field_name}-{c.key}" for c in question.choices]

    def read(self, question, form):
        positions = {c.key: form.get(f"{question.field_name}-{c.key}", "").strip() for c in question.choices}
        positions = {k: v for k, v in positions.items() if v}
        return positions or None

    def clean(self, question, raw):
        count = len(question.choices)
        try:
            ranks = {key: int(value) for key, value in raw.items()}
        except ValueError:
            raise AnswerError(_("Please give each option a different position.")) from None
        if any(not 1 <= r <= count for r in ranks.values()) or len(set(ranks.values())) != len(ranks):
            raise AnswerError(_("Please give each option a different position."))
        if question.required and len(ranks) < count:
            raise AnswerError(_("Please give every option a position."))
        return [key for key, _rank in sorted(ranks.items(), key=lambda item: item[1])]

    def display(self, question, value, language, fallback):
        labels = {c.key: localized(c.label, language, fallback) for c in question.choices}
        return " > ".join(labels.get(k, k) for k in value or [])
