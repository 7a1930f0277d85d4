"""The plain data every analysis works on, and the workspace's filters over it.

`analysis.queries.load_dataset` fills a `Dataset` from the database; everything
else in the workspace (summaries, breakdowns, Amplify, exports) is a pure function
of it. The unit of every count is the respondent (a response), never the answer:
disclosure control protects people, and one person may write several answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

#: Sentiment buckets, in display order. "none": the language has no sentiment model.
SENTIMENTS = ("negative", "neutral", "positive", "none")
#: TextBlob-style polarity within this distance of 0 reads as neutral.
NEUTRAL_BAND = 0.1


def sentiment_bucket(value: float | None) -> str:
    """The bucket of a polarity in [-1, 1]; None (no model for the language) is "none"."""
    if value is None:
        return "none"
    if value < -NEUTRAL_BAND:
        return "negative"
    if value > NEUTRAL_BAND:
        return "positive"
    return "neutral"


def localized(texts: Mapping[str, str] | None, language: str, fallback: str = "en") -> str:
    """Staff- or codebook-written text in `language`, else `fallback`, else any."""
    if not texts:
        return ""
    return texts.get(language) or texts.get(fallback) or next((t for t in texts.values() if t), "")


@dataclass(frozen=True)
class Demographic:
    """A demographic (quasi-identifying) choice question."""

    key: str
    label: dict[str, str]
    #: Several choices per respondent (a multiple-choice question).
    multiple: bool
    #: (choice key, label per language), in the designer's order.
    choices: tuple[tuple[str, dict[str, str]], ...]

    def choice_label(self, choice: str, language: str, fallback: str = "en") -> str:
        """The label of one of its choices (the key itself when unknown)."""
        for key, label in self.choices:
            if key == choice:
                return localized(label, language, fallback) or key
        return choice


@dataclass(frozen=True)
class FreeTextQuestion:
    """A free-text question (its answers are scrubbed, themed and quoted)."""

    id: int
    key: str
    label: dict[str, str]


@dataclass(frozen=True)
class Respondent:
    """One response, reduced to what analysis needs (no free text, no receipt)."""

    id: str
    language: str
    day: date
    #: Demographic question key -> chosen choice keys (empty: not answered).
    groups: Mapping[str, tuple[str, ...]]
    #: Keys of the free-text questions shown to her (skip logic), and those she answered.
    shown: frozenset[str] = frozenset()
    answered: frozenset[str] = frozenset()

    def in_group(self, question: str, choices: Iterable[str]) -> bool:
        """True when her answer to `question` includes one of `choices`."""
        wanted = set(choices)
        return any(choice in wanted for choice in self.groups.get(question, ()))


@dataclass(frozen=True)
class Text:
    """One scrubbed free-text answer with its theming (if themed yet)."""

    response_id: str
    question_id: int
    question_key: str
    text: str
    #: The language the themer worked in (the response's language before theming).
    lang: str
    themed: bool = False
    goals: tuple[str, ...] = ()
    scores: Mapping[str, float] = field(default_factory=dict)
    explanation: Mapping[str, Any] = field(default_factory=dict)
    sentiment: float | None = None
    confidence: float = 0.0
    #: "auto" (the machine) or "analyst" (decided in the review).
    source: str = "auto"
    model_version: str = ""
    #: An analyst approved it for quotation in briefs and exports.
    approved: bool = False

    @property
    def key(self) -> tuple[str, int]:
        """(response id, question id): the answer's identity."""
        return self.response_id, self.question_id

    @property
    def bucket(self) -> str:
        """Its sentiment bucket (see `sentiment_bucket`)."""
        return sentiment_bucket(self.sentiment)


@dataclass(frozen=True)
class Reference:
    """A reference group as plain data (see `analysis.models.ReferenceGroup`)."""

    id: int | None
    label: str
    question_key: str
    choice_keys: tuple[str, ...]
    share: float

    @property
    def key(self) -> str:
        """Its category key in the representation list."""
        return f"ref:{self.id}" if self.id is not None else f"ref:{self.label}"


@dataclass(frozen=True)
class Dataset:
    """A consultation's responses as plain data, possibly narrowed by `Filters`."""

    slug: str
    title: dict[str, str]
    default_language: str
    languages: tuple[str, ...]
    #: The consultation's disclosure threshold (already passed through `effective_k`).
    k: int
    goal_ids: tuple[str, ...]
    demographics: tuple[Demographic, ...]
    questions: tuple[FreeTextQuestion, ...]
    respondents: tuple[Respondent, ...]
    texts: tuple[Text, ...]

    def demographic(self, key: str) -> Demographic | None:
        """The demographic question with this key, or None."""
        return next((d for d in self.demographics if d.key == key), None)

    def respondent_map(self) -> dict[str, Respondent]:
        """Respondents by response id."""
        return {r.id: r for r in self.respondents}

    @property
    def themed_texts(self) -> tuple[Text, ...]:
        """The texts the machine (or an analyst) has themed."""
        return tuple(t for t in self.texts if t.themed)

    def goals_by_respondent(self) -> dict[str, frozenset[str]]:
        """Response id -> the goals raised in any of her themed answers (respondents with
        at least one themed answer only, so an empty set means "none of the goals").

        Computed once per dataset (every summary, breakdown and Amplify figure asks);
        the dict is shared, so callers only read it.
        """
        return self._goals_by_respondent

    @cached_property
    def _goals_by_respondent(self) -> dict[str, frozenset[str]]:
        raised: dict[str, set[str]] = {}
        for text in self.texts:
            if text.themed:
                raised.setdefault(text.response_id, set()).update(text.goals)
        return {response_id: frozenset(goals) for response_id, goals in raised.items()}


@dataclass(frozen=True)
class Filters:
    """What the analyst narrowed the view to (GET parameters, so URLs can be shared)."""

    goal: str | None = None
    language: str | None = None
    #: (demographic question key, choice key)
    group: tuple[str, str] | None = None
    sentiment: str | None = None
    search: str | None = None
    #: Key of one free-text question (what was said in answer to it).
    question: str | None = None

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return self.on_texts or bool(self.language or self.group)

    @property
    def on_texts(self) -> bool:
        """True when a filter selects answers (not only respondents)."""
        return any((self.goal, self.sentiment, self.search, self.question))

    def args(self) -> dict[str, str]:
        """The filters as GET parameters (empty ones left out)."""
        args = {
            "goal": self.goal,
            "language": self.language,
            "group": f"{self.group[0]}:{self.group[1]}" if self.group else None,
            "sentiment": self.sentiment,
            "q": self.search,
            "question": self.question,
        }
        return {name: value for name, value in args.items() if value}

    def text_matches(self, text: Text) -> bool:
        """Whether one answer passes the answer filters (question, goal, sentiment, search)."""
        if self.question and text.question_key != self.question:
            return False
        if self.goal and self.goal not in text.goals:
            return False
        if self.sentiment and (not text.themed or text.bucket != self.sentiment):
            return False
        return not (self.search and self.search.casefold() not in text.text.casefold())

    def respondent_matches(self, respondent: Respondent) -> bool:
        """Whether one respondent passes the respondent filters (language, group)."""
        if self.language and respondent.language != self.language:
            return False
        return not (self.group and not respondent.in_group(self.group[0], (self.group[1],)))


def parse_filters(args: Mapping[str, str], dataset: Dataset) -> tuple[Filters, list[str]]:
    """Read filters from GET parameters, dropping (and naming) the values that are not valid.

    :returns: the filters and the names of the parameters that were ignored, so the
        page can say so instead of silently showing something else.
    """
    ignored: list[str] = []
    goal = (args.get("goal") or "").strip() or None
    if goal and goal not in dataset.goal_ids:
        ignored.append("goal")
        goal = None
    # Not "lang": that parameter chooses the page's own language (consult.i18n).
    language = (args.get("language") or "").strip() or None
    if language and language not in dataset.languages:
        ignored.append("language")
        language = None
    group = None
    raw_group = (args.get("group") or "").strip()
    if raw_group:
        question, _, choice = raw_group.partition(":")
        demographic = dataset.demographic(question)
        if demographic is not None and choice in {key for key, _ in demographic.choices}:
            group = (question, choice)
        else:
            ignored.append("group")
    sentiment = (args.get("sentiment") or "").strip() or None
    if sentiment and sentiment not in SENTIMENTS:
        ignored.append("sentiment")
        sentiment = None
    search = (args.get("q") or "").strip()[:200] or None
    question = (args.get("question") or "").strip() or None
    if question and question not in {q.key for q in dataset.questions}:
        ignored.append("question")
        question = None
    return Filters(goal, language, group, sentiment, search, question), ignored


def apply_filters(dataset: Dataset, filters: Filters) -> Dataset:
    """The dataset narrowed to the filtered population.

    Respondents pass the respondent filters (language, group) and, when an answer
    filter is set (question, goal, sentiment, search), have at least one answer that passes it;
    only the passing answers are kept. Counts on a filtered view are thus counts of
    the respondents who said something matching, which is what the analyst asked.
    """
    if not filters.active:
        return dataset
    texts = [t for t in dataset.texts if filters.text_matches(t)] if filters.on_texts else list(dataset.texts)
    with_match = {t.response_id for t in texts}
    respondents = tuple(
        r
        for r in dataset.respondents
        if filters.respondent_matches(r) and (not filters.on_texts or r.id in with_match)
    )
    kept = {r.id for r in respondents}
    return replace(dataset, respondents=respondents, texts=tuple(t for t in texts if t.response_id in kept))
