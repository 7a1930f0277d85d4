"""The transparent part of theming: codebook terms matched on stems."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from analysis.codebook import Codebook
from analysis.theming.text import content_tokens

STRONG_WEIGHT = 1.0
WEAK_WEIGHT = 0.4
# A multi-word term matches when all its stems occur within this many content
# words of its first stem, in any order ("participation des femmes" and
# "les femmes ... participation" both count).
PHRASE_SLACK = 3


@dataclass(frozen=True)
class _Term:
    goal: int
    weight: float
    surface: str
    stems: tuple[str, ...]
    rest: frozenset[str] = frozenset()  # the stems after the first, for a quick presence test


@dataclass(frozen=True)
class LexiconHit:
    """One codebook term found in a text."""

    goal: str
    term: str
    weight: float


def _better(current: _Term | None, candidate: _Term) -> _Term:
    if current is None:
        return candidate
    if (candidate.weight, len(candidate.stems)) > (current.weight, len(current.stems)):
        return candidate
    return current


def _span(stems: list[str], term: _Term, position: int) -> frozenset[int]:
    """Positions a matched term covers: its first stem, and each other stem nearest to it."""
    if len(term.stems) == 1:
        return frozenset((position,))
    start = max(0, position - len(term.stems) - PHRASE_SLACK)
    end = min(len(stems), position + len(term.stems) + PHRASE_SLACK)
    covered = {position}
    for part in term.stems[1:]:
        places = [i for i in range(start, end) if stems[i] == part and i != position]
        if places:
            covered.add(min(places, key=lambda i: abs(i - position)))
    return frozenset(covered)


class Lexicon:
    """Per-language index of a codebook's terms, keyed by stem."""

    def __init__(self, codebook: Codebook) -> None:
        """Compile the terms of every goal and language of ``codebook``."""
        self.goal_ids = codebook.goal_ids
        self._index: dict[str, dict[str, list[_Term]]] = defaultdict(lambda: defaultdict(list))
        seen: set[tuple[str, int, tuple[str, ...]]] = set()
        for goal_index, goal in enumerate(codebook.goals):
            for weight, table in ((STRONG_WEIGHT, goal.terms), (WEAK_WEIGHT, goal.weak_terms)):
                for lang, terms in table.items():
                    for surface in terms:
                        # Acronyms (GBV, VIH) and terms are matched on the same stems as text.
                        stems = tuple(stem for _, stem in content_tokens(surface, lang))
                        # Spelling variants that stem alike ("négociation(s)") count once;
                        # strong terms come first, so a weak duplicate is the one dropped.
                        if not stems or (lang, goal_index, stems) in seen:
                            continue
                        seen.add((lang, goal_index, stems))
                        term = _Term(goal_index, weight, surface, stems, frozenset(stems[1:]))
                        self._index[lang][stems[0]].append(term)
        self.languages = tuple(sorted(self._index))

    def match_stems(self, stems: list[str], lang: str) -> list[tuple[_Term, int]]:
        """Terms of ``lang`` found in a stem sequence, with the position of their first stem.

        At one position, only the heaviest (then longest) term of each goal is kept, so
        "violences sexuelles" is not counted again as "violences". A term whose words
        all lie inside a longer term of another goal is dropped too: "women's rights"
        inside "women's rights organisations" is evidence of participation, not rights.
        """
        index = self._index.get(lang)
        if not index:
            return []
        found: list[tuple[_Term, int]] = []
        best: dict[int, _Term] = {}
        present = set(stems)
        for position, current in enumerate(stems):
            candidates = index.get(current)
            if not candidates:
                continue
            for term in candidates:
                if len(term.stems) == 1:
                    best[term.goal] = _better(best.get(term.goal), term)
                    continue
                if not term.rest <= present:
                    continue  # most phrases fail here, without building a window
                window = stems[
                    max(0, position - len(term.stems) - PHRASE_SLACK) : position + len(term.stems) + PHRASE_SLACK
                ]
                if all(part in window for part in term.stems[1:]):
                    best[term.goal] = _better(best.get(term.goal), term)
            found.extend((term, position) for term in best.values())
            best.clear()
        # Only a multi-word term can contain another, and only one of another goal matters.
        if len({term.goal for term, _ in found}) < 2:
            return found
        containers = [(term.goal, _span(stems, term, position)) for term, position in found if len(term.stems) > 1]
        if not containers:
            return found
        return [
            (term, position)
            for term, position in found
            if not any(
                goal != term.goal and span < container
                for span in (_span(stems, term, position),)
                for goal, container in containers
            )
        ]

    def goal_weights(self, stems: list[str], lang: str) -> list[float]:
        """Summed term weight per goal (codebook order) for a stem sequence."""
        totals = [0.0] * len(self.goal_ids)
        for term, _ in self.match_stems(stems, lang):
            totals[term.goal] += term.weight
        return totals

    def hits(self, text: str, lang: str) -> list[LexiconHit]:
        """The codebook terms found in ``text`` read as ``lang``, in text order."""
        stems = [stem for _, stem in content_tokens(text, lang)]
        return [
            LexiconHit(self.goal_ids[term.goal], term.surface, term.weight) for term, _ in self.match_stems(stems, lang)
        ]
