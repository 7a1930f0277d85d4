"""Free-text PII scrubber, run on every free-text answer before anything is stored.

``scrub_pii(text, lang=None) -> Scrubbed`` replaces each personal item with a typed
placeholder (``[PERSON]``, ``[PHONE]``...) and returns the spans, which index the ORIGINAL
text, sorted and non-overlapping. Pure Python (no Flask); word lists are data files in
``lexicons/``, loaded once and cached.

Rules that decide borderline cases:

* Language: ``lang`` is a hint (en, fr, es, pt, ar, sw; a tag like ``fr-CA`` works).
  English cues are always applied too. None or an unsupported language applies every
  language's rules, in the same single pass.
* Public lines stay: short service numbers (under 7 digits: 911, 116, 1195, 15020) are
  never candidates, and numbers that libphonenumber classifies as toll-free (1-800...,
  0800...) are public hotlines.
* URLs: only public institutions' hosts stay (a listed domain such as un.org,
  unwomen.org, canada.ca, who.int, or a government / intergovernmental suffix: .gov,
  .int, .mil, .gc.ca, .gouv.xx, .gob.xx, .go.xx, .gov.xx). Every other URL may lead to a
  person (a blog, a profile, a small organisation's site) and is scrubbed.
* Dates of birth: a date after a birth cue ("born on", "née le", "nací el", "ولدت",
  "nilizaliwa"), and every full date of that sentence. Ages: the respondent's own ("I am
  34", "j'ai 27 ans", "عمري ٣٦ سنة", "nina miaka 33", "I'm Zainab, 31"), never an age
  group ("women aged 18 to 35") or a third person's age in a law.
* Names: after a cue (self-introduction, relation, title, role, naming verb), or a known
  given name followed by a surname. Titles are kept outside the span. A name inside the
  name of a law or institution ("Lei Maria da Penha", "Marie Stopes International") stays.
  Public figures' names are scrubbed like anyone's: the scrubber cannot tell who is public.
* Addresses: a street word, P.O. box, landmark direction or settlement after a place of
  living, with the address parts that follow. Towns, regions and countries alone stay.
* ORG_PERSONAL: an organisation named right after the respondent's role in it ("I run
  X", "je dirige l'association X", "soy la presidenta de X", "أنا مؤسسة جمعية X").
* Placeholders already in the text are left alone, so scrubbing twice changes nothing
  that the first pass replaced.
"""

from .engine import scrub_pii
from .model import PII_TYPES, Scrubbed, Span

__all__ = ["PII_TYPES", "Scrubbed", "Span", "scrub_pii"]
