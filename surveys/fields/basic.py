"""Text, number, date, consent and information questions."""

from __future__ import annotations

import math
import re
from datetime import date

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

from surveys.fields import AnswerError, QuestionType

_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _normalise_digits(text: str) -> str:
    """Accept Arabic-Indic and Persian digits, and a comma as decimal separator."""
    text = text.translate(_ASCII_DIGITS).replace("٫", ".").replace("\u066c", "")
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    return text.replace("\u00a0", "").replace(" ", "")


class ShortText(QuestionType):
    name = "short_text"
    macro = "short_text"
    free_text = True
    default_limit = 300

    def clean(self, question, raw):
        limit = min(
            int(question.options.get("max_length") or self.default_limit),
            current_app.config["MAX_ANSWER_LENGTH"],
        )
        if len(raw) > limit:
            raise AnswerError(
                _(
                    "Please shorten your answer to %(limit)s characters or fewer (it has %(count)s).",
                    limit=format_decimal(limit),
                    count=format_decimal(len(raw)),
                )
            )
        return raw


class LongText(ShortText):
    name = "long_text"
    macro = "long_text"
    default_limit = 5000

    def read(self, question, form):
        # Keep the respondent's line breaks, normalised.
        value = form.get(question.field_name, "").replace("\r\n", "\n").strip()
        return value or None


class Number(QuestionType):
    name = "number"
    macro = "number"

    def clean(self, question, raw):
        text = _normalise_digits(raw)
        try:
            number = float(text)
        except ValueError:
            raise AnswerError(_("Please enter a number, for example 12.")) from None
        if not math.isfinite(number):
            raise AnswerError(_("Please enter a number, for example 12."))
        integer = question.options.get("integer", True)
        if integer:
            if number != int(number):
                raise AnswerError(_("Please enter a whole number."))
            number = int(number)
        low, high = question.options.get("min"), question.options.get("max")
        if low is not None and number < low or high is not None and number > high:
            raise AnswerError(
                _(
                    "Please enter a number between %(min)s and %(max)s.",
                    min=format_decimal(low if low is not None else -math.inf),
                    max=format_decimal(high if high is not None else math.inf),
                )
            )
        return number


class Date(QuestionType):
    name = "date"
    macro = "date"

    def clean(self, question, raw):
        try:
            value = date.fromisoformat(_normalise_digits(raw))
        except ValueError:
            raise AnswerError(_("Please enter a date as year-month-day, for example 2026-03-08.")) from None
        low, high = question.options.get("min"), question.options.get("max")
        if (low and value < date.fromisoformat(low)) or (high and value > date.fromisoformat(high)):
            raise AnswerError(
                _("Please enter a date between %(min)s and %(max)s.", min=low or "…", max=high or "…")
            )
        return value.isoformat()


class Consent(QuestionType):
    """An acknowledgement the respondent must tick (required by nature)."""

    name = "consent"
    macro = "consent"

    def read(self, question, form):
        return "yes" if form.get(question.field_name) == "yes" else None

    def clean(self, question, raw):
        return True


class Information(QuestionType):
    """Text shown to the respondent; collects nothing."""

    name = "info"
    macro = "info"
    collects_answer = False

    def field_names(self, question):
        return []

    def read(self, question, form):
        return None

