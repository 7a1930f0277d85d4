"""Names of goals, groups, languages and categories in the reader's language.

Goal names come from the codebook, choice and question labels from what staff wrote
(with the consultation's default language as fallback), the platform's own category
names from gettext. Must run inside a Flask app context (pages, CLI commands).
"""

from __future__ import annotations

from flask_babel import gettext as _

from analysis.dataset import SENTIMENTS, Dataset, Reference, localized
from analysis.summaries import NO_ANSWER, NO_GOAL, NOT_THEMED, REMAINDER


class Vocabulary:
    """Display names for one dataset in one language."""

    def __init__(self, dataset: Dataset, language: str):
        from analysis.codebook import load_codebook

        self.dataset = dataset
        self.language = language
        self.fallback = dataset.default_language
        self.codebook = load_codebook()
        self.references: dict[str, Reference] = {}

    def with_references(self, references) -> Vocabulary:
        """Also name the categories of these reference groups."""
        self.references = {r.key: r for r in references}
        return self

    def title(self) -> str:
        """The consultation's title."""
        return localized(self.dataset.title, self.language, self.fallback) or self.dataset.slug

    def goal(self, goal: str) -> str:
        """A goal's short name; the platform's name for the extra goal-list categories."""
        if goal == NO_GOAL:
            return _("None of the goals")
        if goal == NOT_THEMED:
            return _("No themed answer")
        try:
            return localized(self.codebook.goal(goal).label, self.language, "en") or goal
        except KeyError:
            return goal

    def goals(self, goals) -> str:
        """Several goals' names, comma-separated ("" for none)."""
        return ", ".join(self.goal(goal) for goal in goals)

    def goal_definition(self, goal: str) -> str:
        """A goal's definition in the codebook."""
        try:
            return localized(self.codebook.goal(goal).definition, self.language, "en")
        except KeyError:
            return ""

    def question(self, key: str) -> str:
        """A demographic or free-text question's label."""
        demographic = self.dataset.demographic(key)
        if demographic is not None:
            return localized(demographic.label, self.language, self.fallback) or key
        for question in self.dataset.questions:
            if question.key == key:
                return localized(question.label, self.language, self.fallback) or key
        return key

    def choice(self, question: str, choice: str) -> str:
        """A choice's label, or the name of a special category."""
        if choice == NO_ANSWER:
            return _("No answer")
        if choice == REMAINDER:
            return _("In no reference group")
        if choice in self.references:
            return self.references[choice].label
        demographic = self.dataset.demographic(question)
        return demographic.choice_label(choice, self.language, self.fallback) if demographic else choice

    def language_name(self, code: str) -> str:
        """A language's own name ("français")."""
        from consult.i18n import language_name

        return language_name(code)

    def sentiment(self, bucket: str) -> str:
        """A sentiment bucket's name."""
        names = {
            "negative": _("Negative"),
            "neutral": _("Neutral"),
            "positive": _("Positive"),
            "none": _("No sentiment model"),
        }
        return names.get(bucket, bucket)

    def sentiments(self) -> list[tuple[str, str]]:
        """(bucket, name) in display order."""
        return [(bucket, self.sentiment(bucket)) for bucket in SENTIMENTS]

    def category(self, question: str, key: str) -> str:
        """A representation category: a reference group, the rest, or no answer."""
        return self.choice(question, key)
