"""The NAP codebook as versioned data: goals, definitions and lexicons per language.

A codebook is a JSON file in this folder named ``<id>.json``. A later plan is
added as a new file; if its themes differ it declares ``maps_to`` (the id of
another codebook) and a ``mapping`` from each of its goal ids to goal ids of
that codebook, so results can be compared across plans without code changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

DEFAULT_CODEBOOK = "nap-2017"


class CodebookError(ValueError):
    """A codebook file is missing or does not follow the expected shape."""


@dataclass(frozen=True)
class Goal:
    """One theme of a codebook with its labels, definitions and lexicon."""

    id: str
    label: dict[str, str]
    definition: dict[str, str]
    terms: dict[str, tuple[str, ...]]
    weak_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Codebook:
    """A versioned set of goals; ``mapping`` relates its goals to ``maps_to``."""

    id: str
    version: str
    title: dict[str, str]
    languages: tuple[str, ...]
    goals: tuple[Goal, ...]
    maps_to: str | None = None
    mapping: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def goal_ids(self) -> tuple[str, ...]:
        """Goal ids in codebook order (the order of every score vector)."""
        return tuple(goal.id for goal in self.goals)

    @property
    def key(self) -> str:
        """Identifier with version, e.g. ``nap-2017@1.0``."""
        return f"{self.id}@{self.version}"

    def goal(self, goal_id: str) -> Goal:
        """Return the goal with this id.

        :raises KeyError: if the codebook has no such goal.
        """
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise KeyError(f"codebook {self.id} has no goal {goal_id!r}")

    def map_goals(self, goal_ids: list[str] | tuple[str, ...]) -> list[str]:
        """Translate goal ids of this codebook into those of ``maps_to``.

        :param goal_ids: goal ids of this codebook.
        :returns: the mapped ids, deduplicated, in the target codebook's order
            of first appearance.
        :raises CodebookError: if this codebook declares no mapping.
        :raises KeyError: if a goal id is not part of this codebook.
        """
        if self.maps_to is None:
            raise CodebookError(f"codebook {self.id} declares no mapping to another codebook")
        mapped: list[str] = []
        for goal_id in goal_ids:
            if goal_id not in self.mapping:
                raise KeyError(f"codebook {self.id} has no goal {goal_id!r}")
            for target in self.mapping[goal_id]:
                if target not in mapped:
                    mapped.append(target)
        return mapped


def _codebook_dir() -> Path:
    return Path(str(resources.files(__package__)))


def available_codebooks() -> list[str]:
    """Ids of the codebooks shipped in this package."""
    return sorted(path.stem for path in _codebook_dir().glob("*.json"))


def parse_codebook(data: dict) -> Codebook:
    """Build a :class:`Codebook` from its JSON form.

    :param data: the decoded JSON object.
    :raises CodebookError: if a required key is missing, goal ids repeat, or a
        mapping names goals that do not exist.
    """
    try:
        languages = tuple(data["languages"])
        goals = tuple(
            Goal(
                id=raw["id"],
                label=dict(raw["label"]),
                definition=dict(raw["definition"]),
                terms={lang: tuple(terms) for lang, terms in raw.get("terms", {}).items()},
                weak_terms={lang: tuple(terms) for lang, terms in raw.get("weak_terms", {}).items()},
            )
            for raw in data["goals"]
        )
        codebook = Codebook(
            id=data["id"],
            version=str(data["version"]),
            title=dict(data.get("title", {})),
            languages=languages,
            goals=goals,
            maps_to=data.get("maps_to"),
            mapping={key: tuple(value) for key, value in (data.get("mapping") or {}).items()},
        )
    except (KeyError, TypeError) as exc:
        raise CodebookError(f"codebook is missing or misshapes {exc}") from exc
    ids = codebook.goal_ids
    if len(set(ids)) != len(ids) or not ids:
        raise CodebookError(f"codebook {codebook.id} must have distinct, non-empty goal ids")
    if codebook.maps_to is not None:
        missing = set(ids) - set(codebook.mapping)
        if missing:
            raise CodebookError(f"codebook {codebook.id} maps no target for {sorted(missing)}")
    elif codebook.mapping:
        raise CodebookError(f"codebook {codebook.id} has a mapping but no maps_to")
    return codebook


@lru_cache(maxsize=8)
def load_codebook(codebook_id: str = DEFAULT_CODEBOOK) -> Codebook:
    """Load a shipped codebook by id (cached per process).

    :param codebook_id: file name without ``.json``, e.g. ``"nap-2017"``.
    :raises CodebookError: if no such codebook ships or it is malformed; a
        mapping to another codebook is checked against that codebook's goals.
    """
    path = _codebook_dir() / f"{codebook_id}.json"
    if not path.is_file():
        raise CodebookError(f"no codebook {codebook_id!r}; available: {', '.join(available_codebooks())}")
    codebook = parse_codebook(json.loads(path.read_text(encoding="utf-8")))
    if codebook.maps_to is not None:
        target = load_codebook(codebook.maps_to)
        unknown = {t for targets in codebook.mapping.values() for t in targets} - set(target.goal_ids)
        if unknown:
            raise CodebookError(f"codebook {codebook.id} maps to unknown {codebook.maps_to} goals {sorted(unknown)}")
    return codebook
