"""Properties that hold for any text: no exception, well-formed spans, stable placeholders."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult.privacy.scrub import PII_TYPES, scrub_pii

# Fragments that trigger the recognisers, mixed with arbitrary text.
FRAGMENTS = [
    "my name is ",
    "je m'appelle ",
    "اسمي ",
    "jina langu ni ",
    "Mrs. ",
    "my sister ",
    "Grace Okafor",
    "Aminata Traoré",
    "فاطمة الحسن",
    "@handle_1",
    "a.b@example.org",
    " at gmail dot com",
    "+254 712 345 678",
    "0917 382 5541",
    "٠٧٩٥٤١٢٣٨٧",
    "192.168.1.20",
    "2001:db8::1",
    "https://blog.example.net/x",
    "www.un.org",
    "born on 12 March 1980",
    "j'ai 27 ans",
    "I am 34",
    "passport ",
    "B1234567",
    "rue ",
    "Calle 45 # 12-30",
    ", apt. 5",
    "near the mosque in ",
    "P.O. Box 12",
    "I run ",
    "Women for Peace",
    "plate ",
    "KDA 123X",
    "1325",
    "2019",
    "5,000 USD",
    "116",
    ", ",
    ". ",
    " ",
    "\n",
    "(",
    ")",
    "'",
    "’",
    "é",
]
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(PII_TYPES) + r")\]")

texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=25).map("".join)
langs = st.sampled_from([None, "en", "fr", "es", "pt", "ar", "sw", "xx", "fr-CA"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=langs)
def test_spans_are_sorted_in_bounds_and_non_overlapping(text, lang):
    result = scrub_pii(text, lang)
    previous_end = 0
    for span in result.spans:
        assert 0 <= previous_end <= span.start < span.end <= len(text)
        assert span.type in PII_TYPES
        previous_end = span.end
    # the scrubbed text is the original with exactly those spans replaced
    rebuilt, pos = [], 0
    for span in result.spans:
        rebuilt += [text[pos : span.start], f"[{span.type}]"]
        pos = span.end
    assert result.text == "".join(rebuilt) + text[pos:]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=langs)
def test_scrubbing_again_leaves_placeholders_alone(text, lang):
    once = scrub_pii(text, lang)
    twice = scrub_pii(once.text, lang)
    placeholders = list(PLACEHOLDER.finditer(once.text))
    for m in placeholders:
        for span in twice.spans:
            assert span.end <= m.start() or span.start >= m.end(), (once.text, span)
    for kind in set(PLACEHOLDER.findall(once.text)):
        assert twice.text.count(kind) >= once.text.count(kind)
