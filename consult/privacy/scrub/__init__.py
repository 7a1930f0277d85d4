"""Free-text PII scrubber: ``scrub_pii(text, lang)`` replaces each personal item with a
typed placeholder such as ``[PHONE]`` before anything is stored. Pure Python, no Flask."""

from .engine import scrub_pii
from .model import PII_TYPES, Scrubbed, Span

__all__ = ["PII_TYPES", "Scrubbed", "Span", "scrub_pii"]
