"""E-mail addresses (also spelled out), URLs, IP addresses and social-media handles.

URL rule: a URL stays only when its host is a public institution's (see `is_public_url`);
every other URL (a blog, a profile page, a small organisation's site) may identify a
person and is scrubbed.
"""

from __future__ import annotations

import ipaddress
import re
from functools import cache

from . import lexicon
from .model import KEEP, Candidate
from .textutil import Doc

_EMAIL = re.compile(r"[\w.%+\-]*\w@[^\W_](?:[\w\-]*[^\W_])?(?:\.[^\W_](?:[\w\-]*[^\W_])?)*\.[A-Za-z]{2,24}(?![\w@])")
# The first character comes before the look-behind so that the regex engine can skip
# quickly to places that start with a digit.
_IPV4 = re.compile(r"\d(?<![\w.]\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?!\w|\.\d)")
_IPV6 = re.compile(r"(?<![\w:])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{2,39}(?![\w:])")
_HANDLE = re.compile(r"@(?<![\w@.\-/]@)[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
# Signal usernames end in a dot and two or more digits ("amani.42").
_SIGNAL_NAME = re.compile(r"[A-Za-z](?<![\w@.][A-Za-z])[A-Za-z0-9_]{2,31}\.\d{2,9}(?![\w.])")
_HANDLE_TOKEN = re.compile(r"\s*:?\s*[\"“«]?(@?[A-Za-z0-9_][A-Za-z0-9_.\-]{2,40}[A-Za-z0-9_])")
_HANDLE_MARK = re.compile(r"[0-9_.@]")
_SPACED_AT = re.compile(r"\s@\s")
_URL_HINT = re.compile(r"[a-z0-9]\.[a-z]{2}|://")
_TRAILING = ".,;:!?)]}'\"»”’>"


@cache
def _url_regex() -> re.Pattern[str]:
    tlds = "|".join(sorted(lexicon.common()["url_tlds"], key=len, reverse=True))
    host = rf"(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{tlds})(?![a-z0-9\-])"
    return re.compile(
        r"(?:(?:https?|ftp)://[^\s<>\"]+"  # with a scheme: everything up to a space
        r"|www\.[^\s<>\"]+"
        rf"|{host}(?::\d{{2,5}})?(?:/[^\s<>\"]*)?)"  # a bare host, with or without a path
    )


@cache
def _public_host_suffix_regex() -> re.Pattern[str]:
    return re.compile("|".join(lexicon.common()["public_suffix_patterns"]))


def is_public_url(url: str) -> bool:
    """True when `url` is on a public institutional host.

    Rule: the host is a listed public domain (un.org, unwomen.org, canada.ca, who.int...) or
    a subdomain of one, or ends in a government or intergovernmental suffix (.gov, .int,
    .mil, .gc.ca, .gouv.xx, .gob.xx, .go.xx, .gov.xx...).
    """
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split(":", 1)[0]
    labels = host.removeprefix("www.").split(".")
    public = _public_hosts()
    # the host itself or any parent domain of it ("peacekeeping.un.org" -> "un.org", "org")
    if any(".".join(labels[i:]) in public for i in range(len(labels))):
        return True
    return bool(_public_host_suffix_regex().search(host))


@cache
def _public_hosts() -> frozenset[str]:
    common = lexicon.common()
    return frozenset(common["public_domains"]) | {s.lstrip(".") for s in common["public_suffixes"]}


def _trim(text: str, start: int, end: int) -> int:
    """End of a URL without trailing punctuation, keeping balanced brackets."""
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


@cache
def _spelled_email_parts(langs: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(local part before an at-word, domain after it), both on the lower-cased text."""
    dot = lexicon.phrase_regex(langs, "email_dot")
    tlds = r"(?:com|org|net|info|me|io|edu|fr|es|pt|br|ca|co|ke|tz|cd|sn|uk|ng|de|mx|ar|cl|pe)"
    piece = r"[a-z0-9][a-z0-9_\-]*"
    sep = rf"(?:\s*\.\s*|\s+{dot}\s+|\s*{dot}\s*(?=[a-z0-9]))"
    local = re.compile(rf"(?<![\w@.]){piece}(?:{sep}{piece}){{0,3}}\s*$")
    domain = re.compile(rf"\s*{piece}(?:{sep}{piece}){{0,2}}{sep}{tlds}(?![\w/])")
    return local, domain


def find(doc: Doc, langs: tuple[str, ...]) -> list[Candidate]:
    """EMAIL, URL, IP and HANDLE candidates in the answer."""
    text, low = doc.text, doc.low
    out: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    if "@" in text:
        for start, end in _tokens_around(text, "@"):
            for m in _EMAIL.finditer(text, start, end):
                taken.append((m.start(), m.end()))
                out.append(Candidate(m.start(), m.end(), "EMAIL", 100))
        for m in _HANDLE.finditer(text):
            if len(m.group()) > 2 and not any(s <= m.start() < e for s, e in taken):
                out.append(Candidate(m.start(), m.end(), "HANDLE", 85))
    out.extend(_spelled_emails(doc, langs))
    if _URL_HINT.search(low):
        url = _url_regex()
        for start, end in _tokens_around(low, None):
            for m in url.finditer(low, start, end):
                if m.start() > 0 and (low[m.start() - 1].isalnum() or low[m.start() - 1] in "@.-"):
                    continue
                end = _trim(text, m.start(), m.end())
                found = text[m.start() : end]
                if "@" in found and "/" not in found or any(s <= m.start() < e for s, e in taken):
                    continue  # an e-mail address, found above
                kind = KEEP if is_public_url(found) else "URL"
                out.append(Candidate(m.start(), end, kind, 90))
    if "." in text:
        for m in doc.finditer_near_digits(_IPV4, doc.digits, digit_first=True):
            if _valid_ip(m.group()):
                out.append(Candidate(m.start(), m.end(), "IP", 92))
        if "signal" in low:
            for m in _SIGNAL_NAME.finditer(text):
                out.append(Candidate(m.start(), m.end(), "HANDLE", 40))
    if text.count(":") >= 2:
        for m in _IPV6.finditer(text):
            if m.group().count(":") >= 2 and _valid_ip(m.group()):
                out.append(Candidate(m.start(), m.end(), "IP", 92))
    for cue in doc.cues_of("handle_name_cues", "handle_cues"):
        m = _HANDLE_TOKEN.match(text, cue.end)
        if not m:
            continue
        token = m.group(1)
        platform_only = "handle_name_cues" not in cue.keys
        if platform_only and ":" not in text[cue.end : m.start(1)]:
            continue  # "Telegram: @x" counts, "Telegram groups" does not
        # a cue followed by an ordinary word ("on Facebook as well") is not a handle
        if _HANDLE_MARK.search(token) or any(c.isupper() for c in token[1:]):
            out.append(Candidate(m.start(1), m.end(1), "HANDLE", 80))
    return out


def _tokens_around(text: str, char: str | None) -> list[tuple[int, int]]:
    """Whitespace-delimited tokens that hold `char` (or, for None, a URL hint)."""
    spots = (
        [m.start() for m in re.finditer(re.escape(char), text)]
        if char
        else [m.start() for m in _URL_HINT.finditer(text)]
    )
    out: list[tuple[int, int]] = []
    for pos in spots:
        if out and pos < out[-1][1]:
            continue
        start = max(text.rfind(c, 0, pos) for c in " \n\t") + 1
        ends = [e for e in (text.find(c, pos) for c in " \n\t") if e != -1]
        out.append((start, min(ends) if ends else len(text)))
    return out


def _spelled_emails(doc: Doc, langs: tuple[str, ...]) -> list[Candidate]:
    """'amina dot yusuf at gmail dot com', 'prenom point nom arobase yahoo point fr'."""
    low = doc.low
    ats = [(c.start, c.end) for c in doc.cues_of("email_at")]
    if " @ " in low:
        ats += [(m.start() + 1, m.end() - 1) for m in _SPACED_AT.finditer(low)]
    if not ats:
        return []
    local_re, domain_re = _spelled_email_parts(langs)
    out = []
    for start, end in ats:
        domain = domain_re.match(low, end)  # cheap, and fails at once for "at the market"
        if not domain:
            continue
        local = local_re.search(low, max(0, start - 60), start)
        if local:
            out.append(Candidate(local.start(), domain.end(), "EMAIL", 95))
    return out


def _valid_ip(s: str) -> bool:
    try:
        ipaddress.ip_address(s)
    except ValueError:
        return False
    return True
