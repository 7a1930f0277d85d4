"""Result types of the scrubber."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

PII_TYPES: tuple[str, ...] = (
    "PERSON",
    "EMAIL",
    "PHONE",
    "ADDRESS",
    "ID_NUMBER",
    "HANDLE",
    "URL",
    "IP",
    "DATE_OF_BIRTH",
    "ORG_PERSONAL",
    "PLATE",
)


class Span(NamedTuple):
    """One PII item: `text[start:end]` of the ORIGINAL text is of type `type`."""

    start: int
    end: int
    type: str

    def as_dict(self) -> dict:
        """JSON form used by the `consult scrub` contract."""
        return {"start": self.start, "end": self.end, "type": self.type}


@dataclass(frozen=True)
class Scrubbed:
    """Scrubbed text plus the spans (sorted, non-overlapping) that were replaced."""

    text: str
    spans: list[Span] = field(default_factory=list)


class Candidate(NamedTuple):
    """A recogniser's proposal; higher `priority` wins an overlap."""

    start: int
    end: int
    type: str
    priority: int


# Type of a candidate that marks public text (a hotline, an institution's URL): it wins
# overlaps like any candidate but is never reported or replaced.
KEEP = "_KEEP"


def placeholder(pii_type: str) -> str:
    """Typed placeholder that replaces one PII item, readable in every language."""
    return f"[{pii_type}]"
