"""Question types as a registry of classes.

Each type knows how to read its answer from a submitted form, clean and validate
it (with a translated message), whether it holds free text (which is scrubbed
before it is stored), how to show a stored answer, and which template macro
renders it (``templates/surveys/_fields.html``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from werkzeug.datastructures import MultiDict

if TYPE_CHECKING:
    from surveys.models import Question


class AnswerError(ValueError):
    """A respondent's answer is not acceptable; the message is already translated."""


class QuestionType:
    """Base of every question type; subclasses register themselves by `name`."""

    name: ClassVar[str]
    #: Template macro that renders the input.
    macro: ClassVar[str]
    #: Free text passes through the PII scrubber before it is persisted.
    free_text: ClassVar[bool] = False
    has_choices: ClassVar[bool] = False
    #: Information text collects nothing.
    collects_answer: ClassVar[bool] = True
    #: Values submitted under several form fields (checkboxes, matrix rows).
    multiple: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            registry[cls.name] = cls()

    def field_names(self, question: Question) -> list[str]:
        """Form field names this question submits (carried between pages)."""
        return [question.field_name]

    def read(self, question: Question, form: MultiDict) -> Any:
        """The raw answer from the form, or None when left empty."""
        value = form.get(question.field_name, "").strip()
        return value or None

    def clean(self, question: Question, raw: Any) -> Any:
        """Validate a non-empty raw answer and return the value to store.

        :raises AnswerError: with a translated message for the respondent.
        """
        return raw

    def display(self, question: Question, value: Any, language: str, fallback: str) -> str:
        """A stored answer as text for exports and reviews."""
        return "" if value is None else str(value)

    def is_answered(self, value: Any) -> bool:
        return value not in (None, "", [], {})


#: name -> QuestionType instance
registry: dict[str, QuestionType] = {}

# Importing the modules registers the types.
from surveys.fields import basic, choice  # noqa: E402,F401
