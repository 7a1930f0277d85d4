"""Accuracy on the team's labelled set (bench/data/pii_team.jsonl) stays at the targets."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from consult.privacy.scrub import scrub_pii

TEAM_SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "pii_team.jsonl"


@pytest.fixture(scope="module")
def measured() -> dict:
    rows = [json.loads(line) for line in TEAM_SET.read_text("utf-8").splitlines() if line]
    items, found = defaultdict(int), defaultdict(int)
    predicted = inside = 0
    for row in rows:
        text = row["text"]
        result = scrub_pii(text, row["lang"])
        covered = [False] * len(text)
        for span in result.spans:
            covered[span.start : span.end] = [True] * (span.end - span.start)
        gold = [False] * len(text)
        for item in row["pii"]:
            assert text[item["start"] : item["end"]] == item["value"], row["id"]
            gold[item["start"] : item["end"]] = [True] * (item["end"] - item["start"])
            items[item["type"]] += 1
            found[item["type"]] += all(covered[item["start"] : item["end"]])
        for span in result.spans:
            predicted += span.end - span.start
            inside += sum(gold[span.start : span.end])
    return {"items": items, "found": found, "precision": inside / predicted, "rows": rows}


def test_the_team_set_is_large_and_covers_every_language(measured):
    rows = measured["rows"]
    assert len(rows) >= 400
    assert {r["lang"] for r in rows} == {"en", "fr", "es", "pt", "ar", "sw"}
    assert len(measured["items"]) == 11


def test_overall_recall_is_at_least_95_percent(measured):
    recall = sum(measured["found"].values()) / sum(measured["items"].values())
    assert recall >= 0.95


@pytest.mark.parametrize("pii_type", ["EMAIL", "PHONE", "URL", "IP", "HANDLE"])
def test_recall_of_machine_readable_types_is_at_least_98_percent(measured, pii_type):
    assert measured["found"][pii_type] / measured["items"][pii_type] >= 0.98


def test_character_precision_is_at_least_90_percent(measured):
    assert measured["precision"] >= 0.90
