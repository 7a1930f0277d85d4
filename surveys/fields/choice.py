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
