"""Password hashing (Argon2id) and the password policy.

Hashing: Argon2id through argon2-cffi. OWASP ASVS 5.0 V11.4.2 asks for "an approved,
computationally intensive, key derivation function ... with parameter settings
configured based on current guidance"; the OWASP Password Storage Cheat Sheet
(which V11.4 points to) sets the Argon2id floor at m=19 MiB, t=2, p=1. The default
profile here is RFC 9106's second recommended option ("low memory"): m=64 MiB, t=3,
p=4, 16-byte salt, 32-byte tag, which is above that floor on every parameter.
A smaller server may choose the cheat sheet's own minimum (``PASSWORD_HASHING =
"owasp-minimum"``); nothing below it can be configured. Hashes made with other
parameters are re-made at the next successful sign-in (``needs_rehash``).

Policy (ASVS 5.0 V6.2): at least 12 characters (6.2.1 asks for 8, recommends 15),
at most 128 so that hashing cannot be used to tie up the server (checked before
hashing), any characters at all (6.2.5), checked exactly as typed: no trimming,
no case folding, no Unicode normalisation (6.2.8), and refused when it is a common
password, a common word with decorations, a keyboard or counting sequence, or
contains the account's own e-mail name or one of this product's context words
(6.2.4, 6.1.2, 6.2.11). The words are in ``common_passwords.txt`` next to this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128


@dataclass(frozen=True)
class HashingProfile:
    """Argon2id parameters; memory in KiB."""

    time_cost: int
    memory_cost: int
    parallelism: int
    hash_len: int = 32
    salt_len: int = 16


#: The configurable profiles, all at or above the OWASP Argon2id minimum.
PROFILES = {
    # RFC 9106, section 4, second recommended option (argon2-cffi's RFC_9106_LOW_MEMORY).
    "rfc9106-low-memory": HashingProfile(time_cost=3, memory_cost=64 * 1024, parallelism=4),
    # OWASP Password Storage Cheat Sheet, first Argon2id configuration: 19 MiB, 2 passes, 1 lane.
    "owasp-minimum": HashingProfile(time_cost=2, memory_cost=19 * 1024, parallelism=1),
}
DEFAULT_PROFILE = "rfc9106-low-memory"


class PasswordRejected(ValueError):
    """The password does not meet the policy; ``message`` is translated for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@cache
def hasher(profile: str = DEFAULT_PROFILE) -> PasswordHasher:
    """The Argon2id hasher for a named profile.

    :raises KeyError: the profile is not one of :data:`PROFILES` (a configuration error).
    """
    p = PROFILES[profile]
    return PasswordHasher(
        time_cost=p.time_cost,
        memory_cost=p.memory_cost,
        parallelism=p.parallelism,
        hash_len=p.hash_len,
        salt_len=p.salt_len,
        type=Type.ID,
    )


def hash_password(password: str, profile: str = DEFAULT_PROFILE) -> str:
    """An Argon2id hash of `password` (PHC string with its parameters and salt).

    :raises PasswordRejected: the password is longer than :data:`MAX_LENGTH`; the
        length is checked before any hashing work is done.
    """
    _refuse_overlong(password)
    return hasher(profile).hash(password)


def verify_password(password_hash: str, password: str, profile: str = DEFAULT_PROFILE) -> bool:
    """Whether `password` matches `password_hash`; False for malformed hashes and over-long input."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return hasher(profile).verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, profile: str = DEFAULT_PROFILE) -> bool:
    """Whether the hash was made with other parameters than the profile's."""
    try:
        return hasher(profile).check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def dummy_hash(profile: str = DEFAULT_PROFILE) -> str:
    """A hash to verify against when there is no account, so both cases take as long."""
    return hasher(profile).hash("no account has this password: it only spends the same time")


def check_policy(password: str, email: str = "") -> None:
    """Refuse a password that is too short, too long or too easy to guess.

    :param email: the account's address; its name part may not appear in the password.
    :raises PasswordRejected: with a translated message saying what to change.
    """
    _refuse_overlong(password)
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(_l("Use at least %(min)s characters.", min=MIN_LENGTH))
    if is_guessable(password, email):
        raise PasswordRejected(
            _l(
                "This password is too common or too easy to guess. "
                "Please choose another, for example several unrelated words."
            )
        )


def _refuse_overlong(password: str) -> None:
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(
            _l("Use at most %(max)s characters (this one has %(count)s).", max=MAX_LENGTH, count=len(password))
        )


# -- guessability -------------------------------------------------------------------

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                       "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"})
_NOT_LETTER = re.compile(r"[\W\d_]+")
_LETTER_OR_SPACE = re.compile(r"[^\W\d_]|\s")
_INNER = re.compile(r"[^\W\d_].*[^\W\d_]")
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
    "01234567890123456789",
)


@cache
def common_words() -> frozenset[str]:
    """The refused words: common passwords' cores and this product's context words."""
    path = Path(__file__).with_name("common_passwords.txt")
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            words.add(_NOT_LETTER.sub("", line) or line)
    return frozenset(words)


def is_guessable(password: str, email: str = "") -> bool:
    """Whether the password is a common one or a small decoration of one.

    Looks at the letters left after lower-casing and dropping digits and symbols
    ("Password2024!" gives "password"), and again after undoing common digit-for-letter
    swaps ("p@ssw0rd"): refused when they are a listed word, two listed words, one
    short unit repeated, or a stretch of a keyboard row or the alphabet. With fewer
    than four letters, what surrounds them decides: counting ("abc123456789") or
    repetition is refused. The e-mail name counts as a listed word.
    """
    lowered = password.lower()
    if _is_repetition(lowered.replace(" ", "")):
        return True
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and (local in lowered or local in lowered.translate(_LEET)):
        return True
    words = common_words()
    core = _NOT_LETTER.sub("", lowered)
    if len(core) < 4:
        rest = _LETTER_OR_SPACE.sub("", lowered)
        return _is_sequence(re.sub(r"\D", "", rest)) or _is_repetition(rest)
    # Swaps are undone across the whole password and, apart, between its first and last
    # letters, so that decorations after the word ("p@ssw0rd2024") do not become letters.
    inner = _INNER.search(lowered)
    swapped = {lowered.translate(_LEET), inner.group(0).translate(_LEET) if inner else ""}
    return _weak_core(core, words) or any(_weak_core(_NOT_LETTER.sub("", s), words) for s in swapped)


def _weak_core(core: str, words: frozenset[str]) -> bool:
    if len(core) < 4:
        return False
    if core in words or _is_repetition(core) or _is_sequence(core):
        return True
    # Two listed words ("iloveyoudragon", "adminpassword").
    return any(core[:i] in words and core[i:] in words for i in range(3, len(core) - 2))


def _is_repetition(text: str) -> bool:
    """One unit of up to four characters, repeated ("abcabcabcabc", "!!!!!!!!!!!!")."""
    return len(text) >= 4 and any(
        len(text) % n == 0 and text == text[:n] * (len(text) // n) for n in range(1, min(4, len(text) // 2) + 1)
    )


def _is_sequence(text: str) -> bool:
    """A stretch of the alphabet, a keyboard row or counting, either way round."""
    if len(text) < 4:
        return False
    return any(text in seq or text[::-1] in seq for seq in _SEQUENCES)
