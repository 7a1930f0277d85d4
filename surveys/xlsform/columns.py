"""Column headers of the survey, choices and settings sheets: what each column holds, in
which language, and under which spellings (pyxform's aliases, KoboToolbox's bookkeeping)."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.xlsform import languages

#: Columns that may carry a language: ``label::English (en)``.
LOCALIZED = (
    "label", "hint", "guidance_hint", "constraint_message", "required_message",
    "media::image", "media::big-image", "media::audio", "media::video",
    "image", "big-image", "audio", "video",
    "consult::min_label", "consult::max_label",
    "consult::title", "consult::introduction", "consult::consent_text",
)
#: Localized columns whose text consult keeps (the others are reported or ignored).
TEXTS = frozenset({"label", "hint", "consult::min_label", "consult::max_label",
                   "consult::title", "consult::introduction", "consult::consent_text"})
MEDIA = frozenset({"media::image", "media::big-image", "media::audio", "media::video",
                   "image", "big-image", "audio", "video"})

ALIASES = {
    "caption": "label",
    "relevance": "relevant",
    "bind::relevant": "relevant",
    "bind::required": "required",
    "bind::constraint": "constraint",
    "bind::calculate": "calculation",
    "bind::readonly": "read_only",
    "readonly": "read_only",
    "body::appearance": "appearance",
    "control::appearance": "appearance",
    "constraint message": "constraint_message",
    "bind::jr:constraintmsg": "constraint_message",
    "required message": "required_message",
    "bind::jr:requiredmsg": "required_message",
    "list name": "list_name",
    "choice filter": "choice_filter",
    "default_value": "default",
    "jr:count": "repeat_count",
    "control::jr:count": "repeat_count",
}

#: Survey columns consult reads; any other column with content gets a note.
SURVEY_KNOWN = frozenset({
    "type", "name", "required", "relevant", "constraint", "appearance", "parameters",
    "default", "choice_filter", "calculation", "read_only", "repeat_count", "trigger", "disabled",
    "consult::type", "consult::demographic", "consult::options",
}) | frozenset(LOCALIZED)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: what it holds and in which language."""
    index: int
    #: The canonical name ("label", "relevant", "consult::type").
    base: str
    #: The language code, :data:`languages.DEFAULT` for a column without one, or None
    #: when the header names a language Babel does not know.
    language: str | None
    #: The header as written, for messages.
    header: str
    letter: str
    #: The language part as written ("English (en)"), if any.
    language_text: str | None = None

    @property
    def ignored(self) -> bool:
        """KoboToolbox bookkeeping ($kuid, $given_name...) and kobo-- columns."""
        return self.header.startswith("$") or self.base.startswith("kobo--")


def parse_header(index: int, header: str, letter: str) -> Column:
    """What a header names: ``label::Français (fr)`` -> label in "fr"."""
    text = header.strip()
    lowered = text.lower()
    for base in sorted(LOCALIZED, key=len, reverse=True):
        if lowered == base:
            return Column(index, base, languages.DEFAULT, text, letter)
        if lowered.startswith(base + "::"):
            language_text = text[len(base) + 2 :]
            return Column(index, base, languages.resolve(language_text), text, letter, language_text)
    return Column(index, ALIASES.get(lowered, lowered), None, text, letter)
