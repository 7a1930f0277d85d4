"""E-mail addresses (also spelled out), URLs, IP addresses and social-media handles."""

from __future__ import annotations

import ipaddress
import re
from functools import cache

from . import lexicon
from .model import KEEP, Candidate

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w][\w.%+\-]*@[^\W_](?:[\w\-]*[^\W_])?(?:\.[^\W_](?:[\w\-]*[^\W_])?)*\.[A-Za-z]{2,24}(?![\w@])"
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:])(?=[0-9A-Fa-f:]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{2,39}(?![\w:])")
_HANDLE = re.compile(r"(?<![\w@.\-/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
# Signal usernames end in a dot and two or more digits ("amani.42").
_SIGNAL_NAME = re.compile(r"(?<![\w@.])[A-Za-z][A-Za-z0-9_]{2,31}\.\d{2,9}(?![\w.])")
_TRAILING = ".,;:!?)]}'\"»”’>"


@cache
def _url_regex() -> re.Pattern[str]:
    tlds = "|".join(sorted(lexicon.common()["url_tlds"], key=len, reverse=True))
    host = rf"(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{tlds})(?![a-z0-9\-])"
    return re.compile(
        r"(?<![\w@.\-])(?:"
        r"(?:https?|ftp)://[^\s<>\"]+"  # with a scheme: take everything up to a space
        r"|www\.[^\s<>\"]+"
        rf"|{host}(?::\d{{2,5}})?(?:/[^\s<>\"]*)?"  # bare host, any case of path
        r")",
        re.IGNORECASE,
    )


@cache
def _public_host_suffix_regex() -> re.Pattern[str]:
    return re.compile("|".join(lexicon.common()["public_suffix_patterns"]))


def is_public_url(url: str) -> bool:
    """True when `url` is on a public institutional host (government, intergovernmental).

    Rule: a URL stays only if its host is a listed public domain or a subdomain of one,
    or ends in a government / intergovernmental suffix (.gov, .int, .gc.ca, .gouv.xx,
    .gob.xx, .go.xx...). Every other URL may identify a person (a blog, a profile, a
    small organisation's site) and is scrubbed.
    """
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/", 1)[0].split(":", 1)[0]
    host = host.removeprefix("www.")
    common = lexicon.common()
    for domain in common["public_domains"]:
        if host == domain or host.endswith("." + domain):
            return True
    if any(host.endswith(s) for s in common["public_suffixes"]):
        return True
    return bool(_public_host_suffix_regex().search(host))


def _trim(text: str, start: int, end: int) -> int:
    """End of a URL without trailing punctuation, keeping balanced brackets."""
    while end > start and text[end - 1] in _TRAILING:
        ch = text[end - 1]
        if ch == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


@cache
def _spelled_email_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    at = lexicon.phrase_regex(langs, "email_at")
    dot = lexicon.phrase_regex(langs, "email_dot")
    tlds = r"(?:com|org|net|info|me|io|edu|fr|es|pt|br|ca|co|ke|tz|cd|sn|uk|ng|de|mx|ar|cl|pe)"
    piece = r"[A-Za-z0-9][A-Za-z0-9_\-]*"
    sep = rf"(?:\s*\.\s*|\s+{dot}\s+|\s*{dot}\s*(?=[A-Za-z0-9]))"
    local = rf"{piece}(?:{sep}{piece}){{0,3}}"
    domain = rf"{piece}(?:{sep}{piece}){{0,2}}{sep}{tlds}(?![\w])"
    return re.compile(
        rf"(?<![\w@.]){local}(?:\s*{at}\s*|\s+@\s+){domain}", re.IGNORECASE
    )


@cache
def _handle_cue_regex(langs: tuple[str, ...]) -> re.Pattern[str]:
    cue = lexicon.phrase_regex(langs, "handle_name_cues")
    platform = lexicon.phrase_regex(langs, "handle_cues")
    # "on Facebook as mama.neema_7", "my Signal username is amani.42", "Telegram: @x"
    token = r"(@?[A-Za-z0-9_][A-Za-z0-9_.\-]{2,40}[A-Za-z0-9_])"
    return re.compile(rf"(?:{cue}|{platform}\s*:)\s*[\"“«]?{token}", re.IGNORECASE)


def find(text: str, langs: tuple[str, ...]) -> list[Candidate]:
    """EMAIL, URL, IP and HANDLE candidates in `text`."""
    out: list[Candidate] = []
    emails = []
    if "@" in text:
        for m in _EMAIL.finditer(text):
            emails.append((m.start(), m.end()))
            out.append(Candidate(m.start(), m.end(), "EMAIL", 100))
    for m in _spelled_email_regex(langs).finditer(text):
        out.append(Candidate(m.start(), m.end(), "EMAIL", 95))
    if "." in text:
        for m in _url_regex().finditer(text):
            end = _trim(text, m.start(), m.end())
            url = text[m.start() : end]
            if "@" in url and "/" not in url:
                continue  # an e-mail address, found above
            if any(s <= m.start() < e for s, e in emails):
                continue
            if is_public_url(url):
                out.append(Candidate(m.start(), end, KEEP, 90))
            else:
                out.append(Candidate(m.start(), end, "URL", 90))
        for m in _IPV4.finditer(text):
            if _valid_ip(m.group()):
                out.append(Candidate(m.start(), m.end(), "IP", 92))
        for m in _SIGNAL_NAME.finditer(text):
            out.append(Candidate(m.start(), m.end(), "HANDLE", 40))
    if text.count(":") >= 2:
        for m in _IPV6.finditer(text):
            if m.group().count(":") >= 2 and _valid_ip(m.group()):
                out.append(Candidate(m.start(), m.end(), "IP", 92))
    if "@" in text:
        for m in _HANDLE.finditer(text):
            if len(m.group()) > 2 and not any(s <= m.start() < e for s, e in emails):
                out.append(Candidate(m.start(), m.end(), "HANDLE", 85))
    for m in _handle_cue_regex(langs).finditer(text):
        token = m.group(1)
        # a cue followed by an ordinary word ("on Facebook as well") is not a handle
        if re.search(r"[0-9_.@]", token) or any(c.isupper() for c in token[1:]):
            out.append(Candidate(m.start(1), m.end(1), "HANDLE", 80))
    return out


def _valid_ip(s: str) -> bool:
    try:
        ipaddress.ip_address(s)
    except ValueError:
        return False
    return True
