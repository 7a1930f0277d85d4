"""The review queue: which machine assignments an analyst should look at first.

Order: answers analysts disagree on (two analysts' latest decisions differ), then
answers where the machine's top goals nearly tie (two scores within `TIE_MARGIN`, the
second at least `TIE_FLOOR`: it hesitates between goals), then the least confident
(`confidence`: how far the closest score sits from the 0.5 threshold), lowest first.
Answers an analyst has decided leave the queue unless they are disputed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.dataset import Dataset, Text

TIE_MARGIN = 0.1
TIE_FLOOR = 0.4
LOW_CONFIDENCE = 0.3
#: Queue views: what is still to do, what was decided, everything.
SHOW = ("open", "reviewed", "all")


@dataclass(frozen=True)
class QueueItem:
    """An answer in the queue, with why it is there."""

    text: Text
    #: Codes: "disputed", "near_tie", "low_confidence", "reviewed".
    reasons: tuple[str, ...]
    #: Its review records, oldest first.
    reviews: tuple = ()


def near_tie(text: Text) -> bool:
    """True when the machine's two highest goal scores nearly tie."""
    top = sorted(text.scores.values(), reverse=True)[:2]
    return len(top) == 2 and top[1] >= TIE_FLOOR and top[0] - top[1] < TIE_MARGIN


def disputed(reviews: Sequence) -> bool:
    """True when analysts' latest decisions on one answer differ."""
    latest = {}
    for review in reviews:
        latest[review.analyst_id] = frozenset(review.after)
    return len(set(latest.values())) > 1


def review_queue(dataset: Dataset, reviews: Sequence, show: str = "open") -> list[QueueItem]:
    """The themed answers to review, most urgent first.

    :param reviews: review records (with ``response_id``, ``question_id``,
        ``analyst_id``, ``after``), oldest first.
    :param show: "open" (not decided yet, or disputed), "reviewed" or "all".
    """
    by_answer = defaultdict(list)
    for review in reviews:
        by_answer[(review.response_id, review.question_id)].append(review)
    items = []
    for text in dataset.texts:
        if not text.themed:
            continue
        history = by_answer.get(text.key, [])
        reasons = []
        if disputed(history):
            reasons.append("disputed")
        if near_tie(text):
            reasons.append("near_tie")
        if text.confidence < LOW_CONFIDENCE:
            reasons.append("low_confidence")
        if history:
            reasons.append("reviewed")
        is_open = not history or "disputed" in reasons
        if (show == "open" and not is_open) or (show == "reviewed" and not history):
            continue
        items.append(QueueItem(text, tuple(reasons), tuple(history)))

    def urgency(item: QueueItem):
        reasons = item.reasons
        rank = 0 if "disputed" in reasons else 1 if "near_tie" in reasons else 2
        return (rank, item.text.confidence, item.text.key)

    return sorted(items, key=urgency)
