"""The seed corpus: labelled sentences per language shipped in ``analysis/data/seed``."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.codebook import load_codebook

SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "seed"


class CorpusError(ValueError):
    """A seed file has a line that is not a valid labelled example."""


@dataclass(frozen=True)
class Example:
    """One labelled text: ``goals`` empty means it fits no goal."""

    id: str
    text: str
    lang: str | None
    goals: tuple[str, ...]


def load_seed_corpus(directory: Path | None = None, codebook_id: str = "nap-2017") -> list[Example]:
    """Read every ``<lang>.jsonl`` in the seed folder (language = file name).

    :param directory: folder to read; the shipped seed folder by default.
    :param codebook_id: codebook whose goal ids the labels must use.
    :returns: examples ordered by file name, then line.
    :raises CorpusError: on a line that is not JSON, lacks ``text``/``goals``,
        or names a goal the codebook does not have (file and line are named).
    """
    folder = directory or SEED_DIR
    known = set(load_codebook(codebook_id).goal_ids)
    examples: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        lang = path.stem
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path.name}:{number}"
                try:
                    row = json.loads(line)
                    text, goals = row["text"], row["goals"]
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise CorpusError(f"{where}: not a labelled example ({exc})") from exc
                if not isinstance(text, str) or not isinstance(goals, list):
                    raise CorpusError(f"{where}: text must be a string and goals a list")
                unknown = set(goals) - known
                if unknown:
                    raise CorpusError(f"{where}: unknown goals {sorted(unknown)}")
                examples.append(Example(str(row.get("id", where)), text, lang, tuple(dict.fromkeys(goals))))
    return examples


def split_corpus(
    examples: Sequence[Example], held_out: float = 0.2, seed: int = 13
) -> tuple[list[Example], list[Example]]:
    """Split into train and held-out parts, stratified by language, reproducibly.

    :param examples: the corpus.
    :param held_out: share of each language's examples to hold out.
    :param seed: random seed of the shuffle.
    """
    by_lang: dict[str | None, list[Example]] = {}
    for example in examples:
        by_lang.setdefault(example.lang, []).append(example)
    train: list[Example] = []
    test: list[Example] = []
    rng = random.Random(seed)
    for lang in sorted(by_lang, key=str):
        items = sorted(by_lang[lang], key=lambda e: e.id)
        rng.shuffle(items)
        cut = round(len(items) * held_out)
        test.extend(items[:cut])
        train.extend(items[cut:])
    return train, test


def as_triples(examples: Iterable[Example]) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """``(text, lang, goals)`` triples, the form :func:`train_themer` takes."""
    return [(e.text, e.lang, e.goals) for e in examples]
