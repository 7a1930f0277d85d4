"""The consultation overview: who answered, how completely, what was said under each goal.

Pure functions of a `Dataset`. Every count is of respondents and comes out of
`analysis.protect` as a `Cell`; shares come from `safe_share`. Definitions:

* **Goal share**: respondents at least one of whose themed answers carries the goal,
  out of every respondent in view (a respondent can raise several goals). Respondents
  whose answers carry none of the goals, and those with no themed answer (no free
  text, or not themed yet), are categories of their own.
* **Completion** of a free-text question: respondents who answered it, out of the
  respondents the skip logic showed it to (a question behind "were you involved in
  mediation?" is not counted against those who said no).
* **Sentiment** of a respondent on a goal: the mean polarity of her answers carrying
  it, in buckets; "none" where the language has no sentiment model (never a guess).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from analysis.dataset import SENTIMENTS, Dataset, Demographic, FreeTextQuestion, Reference, Text, sentiment_bucket
from analysis.protect import HIDDEN, Series, coordinate_fine, protect_pair, protect_series
from consult.privacy.disclosure import Cell, safe_share

#: Category key of "no answer" in a demographic list.
NO_ANSWER = "_none"
#: Category keys of the goal list besides the goals.
NO_GOAL = "_nogoal"
NOT_THEMED = "_notext"
#: Category key of the respondents who answered a question but are in no reference group.
REMAINDER = "_rest"


@dataclass(frozen=True)
class Completion:
    """How many of those shown a free-text question answered it."""

    question: FreeTextQuestion
    shown: Cell
    answered: Cell
    share: float | None


@dataclass(frozen=True)
class Phrase:
    """A recurring phrase; `count` (respondents using it) only when it is at least k."""

    text: str
    lang: str
    count: int | None


@dataclass(frozen=True)
class Attribution:
    """What may be said about who wrote a quote: each part only when at least k
    respondents share it (together), so no quote points at a small group."""

    language: str | None = None
    group: tuple[str, str] | None = None


@dataclass(frozen=True)
class Quote:
    """An answer chosen to show what was said (scrubbed text, as stored)."""

    text: str
    lang: str
    response_id: str
    question_id: int
    question_key: str
    goals: tuple[str, ...]
    approved: bool
    attribution: Attribution
    #: Written by a respondent of an under-represented group (Amplify).
    amplified: bool = False


@dataclass(frozen=True)
class GoalSummary:
    """One goal: respondents raising it, their sentiment, phrases and quotes."""

    goal: str
    cell: Cell
    share: float | None
    #: Buckets of `SENTIMENTS`; None when the goal's count is hidden.
    sentiment: Series | None
    phrases: tuple[Phrase, ...] = ()
    quotes: tuple[Quote, ...] = ()


@dataclass(frozen=True)
class Overview:
    """Everything the overview page and the brief's key figures show."""

    k: int
    #: Respondents in view, or hidden when 1..k-1 (then nothing else is filled).
    population: Cell
    withheld: bool
    languages: Series | None = None
    groups: dict[str, Series] = field(default_factory=dict)
    completion: tuple[Completion, ...] = ()
    goals: Series | None = None
    summaries: tuple[GoalSummary, ...] = ()
    #: ``cooccurrence[i][j]``: respondents raising goals i and j (the diagonal: goal i).
    cooccurrence: tuple[tuple[Cell, ...], ...] = ()
    #: Answers waiting for theming (an operational figure: answers, not respondents).
    unthemed: int = 0


def too_few(dataset: Dataset) -> bool:
    """True when the view holds 1..k-1 respondents: nothing about them may be shown."""
    return 0 < len(dataset.respondents) < dataset.k


def language_series(dataset: Dataset) -> Series:
    """Respondents per response language (the consultation's languages first)."""
    counts = Counter(r.language for r in dataset.respondents)
    order = [lang for lang in dataset.languages] + sorted(set(counts) - set(dataset.languages))
    return protect_series({lang: counts.get(lang, 0) for lang in order}, dataset.k)


def group_counts(dataset: Dataset, demographic: Demographic) -> dict[str, int]:
    """Respondents per choice of a demographic question, and `NO_ANSWER`."""
    counts = Counter()
    for respondent in dataset.respondents:
        chosen = respondent.groups.get(demographic.key, ())
        counts.update(set(chosen) or {NO_ANSWER})
    return {key: counts.get(key, 0) for key, _ in demographic.choices} | {NO_ANSWER: counts.get(NO_ANSWER, 0)}


def is_partition(question: Demographic, references: Sequence[Reference]) -> bool:
    """Whether the reference groups of a single-choice question do not overlap."""
    if question.multiple:
        return False
    seen: set[str] = set()
    for reference in references:
        if seen & set(reference.choice_keys):
            return False
        seen.update(reference.choice_keys)
    return True


def reference_members(question: Demographic, references: Sequence[Reference]) -> dict[str, set[str]]:
    """Category key -> the choice keys it unites: each reference group, `REMAINDER`
    (answered, in no group) and `NO_ANSWER`."""
    members = {r.key: set(r.choice_keys) for r in references}
    grouped = set().union(*members.values()) if members else set()
    members[REMAINDER] = {key for key, _ in question.choices} - grouped
    members[NO_ANSWER] = {NO_ANSWER}
    return members


def group_series(dataset: Dataset, demographic: Demographic, references: Sequence[Reference] = ()) -> Series:
    """The protected `group_counts` (additive for a single-choice question).

    With reference groups on the question, more choices may be hidden so that the
    groups' own counts can be published (`analysis.protect.coordinate_fine`); pass
    them wherever the list is shown so that every page hides the same cells.
    """
    counts = group_counts(dataset, demographic)
    if demographic.multiple:
        return protect_series(counts, dataset.k, total=len(dataset.respondents), additive=False)
    series = protect_series(counts, dataset.k)
    own = [r for r in references if r.question_key == demographic.key]
    if own and is_partition(demographic, own):
        series = coordinate_fine(counts, series, list(reference_members(demographic, own).values()), dataset.k)
    return series


def completion(dataset: Dataset) -> tuple[Completion, ...]:
    """Per free-text question: respondents shown it, those who answered, the share."""
    n = len(dataset.respondents)
    results = []
    for question in dataset.questions:
        answered = sum(1 for r in dataset.respondents if question.key in r.answered)
        shown = sum(1 for r in dataset.respondents if question.key in r.shown or question.key in r.answered)
        series = protect_series(
            {"answered": answered, "skipped": shown - answered, "not_shown": n - shown}, dataset.k
        )
        cells = {row.key: row.cell for row in series.rows}
        # Those shown it are known from its two parts, or from the total and the rest.
        parts_known = not cells["answered"].suppressed and not cells["skipped"].suppressed
        rest_known = not cells["not_shown"].suppressed and not series.total.suppressed
        shown_cell = Cell(shown) if parts_known or rest_known else HIDDEN
        results.append(
            Completion(question, shown_cell, cells["answered"], safe_share(cells["answered"], shown_cell, dataset.k))
        )
    return tuple(results)


def goal_counts(dataset: Dataset) -> dict[str, int]:
    """Respondents per goal, `NO_GOAL` (themed, no goal) and `NOT_THEMED` (no themed answer)."""
    raised = dataset.goals_by_respondent()
    counts = Counter()
    for respondent in dataset.respondents:
        goals = raised.get(respondent.id)
        if goals is None:
            counts[NOT_THEMED] += 1
        elif not goals:
            counts[NO_GOAL] += 1
        else:
            counts.update(goals)
    keys = [*dataset.goal_ids, NO_GOAL, NOT_THEMED]
    return {key: counts.get(key, 0) for key in keys}


def goal_series(dataset: Dataset) -> Series:
    """The protected `goal_counts` (not additive: a respondent may raise several goals)."""
    return protect_series(goal_counts(dataset), dataset.k, total=len(dataset.respondents), additive=False)


def sentiment_counts(dataset: Dataset, goal: str) -> dict[str, int]:
    """Respondents raising `goal` per sentiment bucket of their answers carrying it."""
    polarity: dict[str, list[float]] = defaultdict(list)
    raising: set[str] = set()
    for text in dataset.texts:
        if text.themed and goal in text.goals:
            raising.add(text.response_id)
            if text.sentiment is not None:
                polarity[text.response_id].append(text.sentiment)
    counts = Counter()
    for response_id in raising:
        values = polarity.get(response_id)
        counts[sentiment_bucket(sum(values) / len(values)) if values else "none"] += 1
    return {bucket: counts.get(bucket, 0) for bucket in SENTIMENTS}


def sentiment_series(dataset: Dataset, goal: str, goal_cell: Cell) -> Series | None:
    """The protected sentiment buckets of a goal, or None when the goal's count is hidden."""
    if goal_cell.suppressed:
        return None
    return protect_series(sentiment_counts(dataset, goal), dataset.k)


def cooccurrence(dataset: Dataset, goals: Series) -> tuple[tuple[Cell, ...], ...]:
    """Respondents raising each pair of goals; the diagonal holds each goal's own count."""
    raised = dataset.goals_by_respondent()
    totals = goal_counts(dataset)
    n = len(dataset.respondents)
    pairs = Counter()
    for goals_of in raised.values():
        ordered = sorted(goals_of)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                pairs[(first, second)] += 1
    rows = []
    for first in dataset.goal_ids:
        row = []
        for second in dataset.goal_ids:
            if first == second:
                row.append(goals.cell(first))
                continue
            both = pairs.get(tuple(sorted((first, second))), 0)
            row.append(
                protect_pair(both, goals.cell(first), goals.cell(second), totals[first], totals[second], n, dataset.k)
            )
        rows.append(tuple(row))
    return tuple(rows)


def key_phrases_for(dataset: Dataset, goal: str | None = None, per_language: int = 3) -> tuple[Phrase, ...]:
    """Recurring phrases of the answers carrying `goal` (all answers for None), per language.

    Each respondent's answers count as one document, so a phrase's count is of
    respondents; it is shown only when at least k, and phrases used by one
    respondent only are left out (they are hers, not the group's).
    """
    from analysis.theming import SUPPORTED_LANGUAGES, key_phrases

    documents: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for text in dataset.texts:
        if text.themed and (goal is None or goal in text.goals) and text.lang in SUPPORTED_LANGUAGES:
            documents[text.lang][text.response_id].append(text.text)
    phrases = []
    for lang in sorted(documents, key=lambda lang: -len(documents[lang])):
        docs = [" \n".join(parts) for parts in documents[lang].values()]
        for phrase, count in key_phrases(docs, lang, top_n=per_language * 2):
            if count >= 2 and sum(1 for p in phrases if p.lang == lang) < per_language:
                phrases.append(Phrase(phrase, lang, count if count >= dataset.k else None))
    return tuple(phrases)


def attribution_question(dataset: Dataset) -> Demographic | None:
    """The demographic question quotes may be attributed by: the first single-choice one.

    Multiple-choice identity groups are never used to attribute a quote: tying what
    someone wrote to her identity is the disclosure that can hurt most.
    """
    return next((d for d in dataset.demographics if not d.multiple), None)


class _Attributor:
    """Decides `Attribution`s with counts over a dataset (each part at least k)."""

    def __init__(self, dataset: Dataset):
        self.k = dataset.k
        self.question = attribution_question(dataset)
        self.by_id = dataset.respondent_map()
        self.languages = Counter(r.language for r in dataset.respondents)
        self.groups: Counter = Counter()
        self.pairs: Counter = Counter()
        for respondent in dataset.respondents:
            group = self._group(respondent)
            if group:
                self.groups[group] += 1
                self.pairs[(respondent.language, group)] += 1

    def _group(self, respondent) -> str | None:
        if self.question is None:
            return None
        chosen = respondent.groups.get(self.question.key, ())
        return chosen[0] if chosen else None

    def group_of(self, response_id: str) -> str | None:
        respondent = self.by_id.get(response_id)
        return self._group(respondent) if respondent else None

    def __call__(self, response_id: str) -> Attribution:
        respondent = self.by_id.get(response_id)
        if respondent is None:
            return Attribution()
        group = self._group(respondent)
        language = respondent.language
        if group and self.pairs[(language, group)] >= self.k:
            return Attribution(language, (self.question.key, group))
        if group and self.groups[group] >= self.k:
            return Attribution(None, (self.question.key, group))
        if self.languages[language] >= self.k:
            return Attribution(language, None)
        return Attribution()


#: Typicality scores of recent candidate groups, by a digest of their texts: numbers
#: only (no text is kept), and a changed group has another digest, so never stale.
_TYPICALITY: dict[bytes, tuple[float, ...]] = {}
_TYPICALITY_LIMIT = 256


def _typicality(texts: list[Text]) -> dict[tuple[str, int], float]:
    """Cosine similarity of each text to the centroid of the texts in its language."""
    result: dict[tuple[str, int], float] = {}
    by_lang: dict[str, list[Text]] = defaultdict(list)
    for text in texts:
        by_lang[text.lang].append(text)
    for group in by_lang.values():
        if len(group) < 3:
            result.update({t.key: 0.5 for t in group})
            continue
        result.update(zip((t.key for t in group), _group_typicality([t.text for t in group]), strict=True))
    return result


def _group_typicality(texts: list[str]) -> tuple[float, ...]:
    """Each text's similarity to the group's centroid (char n-gram TF-IDF), cached by content."""
    digest = hashlib.blake2b("\x00".join(texts).encode(), digest_size=20).digest()
    scores = _TYPICALITY.get(digest)
    if scores is None:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(texts)
        centroid = np.asarray(matrix.mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid) or 1.0
        similarity = matrix @ (centroid / norm)  # rows are L2-normalised already
        scores = tuple(float(s) for s in np.asarray(similarity).ravel())
        if len(_TYPICALITY) >= _TYPICALITY_LIMIT:
            _TYPICALITY.pop(next(iter(_TYPICALITY), None), None)  # the oldest (another thread may have taken it)
        _TYPICALITY[digest] = scores
    return scores


#: Candidates per language that quotes are chosen from (the strongest for the goal).
CANDIDATES_PER_LANGUAGE = 150


def _strongest(texts: list[Text], goal: str | None) -> list[Text]:
    """At most `CANDIDATES_PER_LANGUAGE` texts per language, by the goal's score then length:
    enough to find typical ones, without vectorising thousands of answers per page."""
    by_lang: dict[str, list[Text]] = defaultdict(list)
    for text in texts:
        by_lang[text.lang].append(text)
    kept = []
    for group in by_lang.values():
        group.sort(key=lambda t: (-(t.scores.get(goal, 0.0) if goal else max(t.scores.values(), default=0.0)),
                                  -len(t.text), t.key))
        kept.extend(group[:CANDIDATES_PER_LANGUAGE])
    return kept


def representative_quotes(
    dataset: Dataset,
    goal: str | None,
    limit: int = 4,
    *,
    approved_only: bool = False,
    first: Collection[str] = (),
    attribution_from: Dataset | None = None,
) -> tuple[Quote, ...]:
    """Answers that show what was said under `goal` (any goal for None).

    Chosen to be typical (high machine score for the goal, close to the centroid of
    the goal's answers in their language) and to span languages and groups: each pick
    is penalised for every earlier quote in the same language or from the same group,
    so the most frequent voice does not fill the list. Respondents in `first` (the
    under-represented, for Amplify) come before the others. One quote per respondent.

    :param approved_only: only answers an analyst approved for quotation (briefs).
    :param attribution_from: the dataset whose counts decide what may be said about
        a quote's author (default: `dataset`; pass the unfiltered one for briefs).
    """
    if limit <= 0:
        return ()
    candidates = [
        t
        for t in dataset.texts
        if t.themed and (goal is None or goal in t.goals) and t.goals and (t.approved or not approved_only)
    ]
    if not candidates:
        return ()
    candidates = _strongest(candidates, goal)
    attribute = _Attributor(attribution_from or dataset)
    typical = _typicality(candidates)
    first = set(first)

    def quality(text: Text) -> float:
        score = max(text.scores.values(), default=0.0) if goal is None else text.scores.get(goal, 0.0)
        if text.source == "analyst":
            score = max(score, 0.75)  # confirmed by a person
        length = len(text.text)
        penalty = 0.3 if length < 40 else 0.2 if length > 600 else 0.0
        return 0.5 * score + 0.5 * typical.get(text.key, 0.0) - penalty

    base = {t.key: quality(t) for t in candidates}
    chosen: list[Text] = []
    languages: Counter = Counter()
    groups: Counter = Counter()
    authors: set[str] = set()
    remaining = sorted(candidates, key=lambda t: t.key)
    while remaining and len(chosen) < limit:
        pool = [t for t in remaining if t.response_id not in authors]
        if not pool:
            break

        def value(text: Text) -> float:
            group = attribute.group_of(text.response_id)
            bonus = 1.0 if text.response_id in first else 0.0
            return base[text.key] + bonus - 0.35 * languages[text.lang] - 0.25 * groups[group]

        best = max(pool, key=value)
        chosen.append(best)
        remaining.remove(best)
        languages[best.lang] += 1
        groups[attribute.group_of(best.response_id)] += 1
        authors.add(best.response_id)
    return tuple(
        Quote(
            text=t.text,
            lang=t.lang,
            response_id=t.response_id,
            question_id=t.question_id,
            question_key=t.question_key,
            goals=t.goals,
            approved=t.approved,
            attribution=attribute(t.response_id),
            amplified=t.response_id in first,
        )
        for t in chosen
    )


def goal_summary(
    dataset: Dataset,
    goal: str,
    goals: Series,
    quotes: int = 4,
    phrases: bool = True,
    first: Iterable[str] = (),
) -> GoalSummary:
    """Share, sentiment, phrases and quotes of one goal."""
    cell = goals.cell(goal)
    return GoalSummary(
        goal=goal,
        cell=cell,
        share=goals.share(goal),
        sentiment=sentiment_series(dataset, goal, cell),
        phrases=key_phrases_for(dataset, goal) if phrases and not cell.suppressed else (),
        quotes=representative_quotes(dataset, goal, quotes, first=tuple(first)) if not cell.suppressed else (),
    )


def overview(
    dataset: Dataset, references: Sequence[Reference] = (), quotes: int = 3, phrases: bool = True
) -> Overview:
    """The whole overview of a (possibly filtered) dataset.

    When 1..k-1 respondents are in view, nothing but that fact is returned.
    """
    n = len(dataset.respondents)
    unthemed = sum(1 for t in dataset.texts if not t.themed)
    if too_few(dataset):
        return Overview(dataset.k, HIDDEN, True, unthemed=unthemed)
    goals = goal_series(dataset)
    return Overview(
        k=dataset.k,
        population=Cell(n),
        withheld=False,
        languages=language_series(dataset),
        groups={d.key: group_series(dataset, d, references) for d in dataset.demographics},
        completion=completion(dataset),
        goals=goals,
        summaries=tuple(goal_summary(dataset, g, goals, quotes, phrases) for g in dataset.goal_ids),
        cooccurrence=cooccurrence(dataset, goals),
        unthemed=unthemed,
    )
