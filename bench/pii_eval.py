"""Measure the PII scrubber: recall, character precision and F2 per type and language,
and throughput against a baseline measured in the same run. Prints tables; asserts nothing.

    python bench/pii_eval.py [--shared PATH] [--team PATH] [--show-misses] [--seconds N]

Recall: the share of labelled items whose every character is covered by predicted spans
(of any type: an item that is removed is removed). Type-exact recall is shown beside it.
Precision: predicted characters that fall inside some labelled item / all predicted
characters. F2 weighs recall four times as much as precision (a missed phone number can
hurt a respondent; a scrubbed word only costs a little meaning).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consult.privacy.scrub import PII_TYPES, scrub_pii  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared" / "data" / "pii_dev.jsonl"
DEFAULT_TEAM = ROOT / "bench" / "data" / "pii_team.jsonl"
LANGS = ("en", "fr", "es", "pt", "ar", "sw")
TARGETS = {"recall": 0.95, "strict_recall": 0.98, "precision": 0.90, "throughput": 2000}
STRICT_TYPES = ("EMAIL", "PHONE", "URL", "IP", "HANDLE")


def load(path: Path) -> list[dict]:
    """Labelled rows of a JSON Lines file."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Tally:
    """Counts for one cell of the tables."""

    def __init__(self) -> None:
        self.items = self.found = self.typed = 0
        self.pred_chars = self.pred_in_gold = 0

    def recall(self) -> float | None:
        return self.found / self.items if self.items else None

    def precision(self) -> float | None:
        return self.pred_in_gold / self.pred_chars if self.pred_chars else None


def f2(p: float | None, r: float | None) -> float | None:
    if p is None or r is None or p + r == 0:
        return None
    return 5 * p * r / (4 * p + r)


def evaluate(rows: list[dict], show_misses: bool = False) -> dict:
    """Per type, per language and overall tallies for `rows`."""
    by_type: dict[str, Tally] = defaultdict(Tally)
    by_lang: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    for row in rows:
        text = row["text"]
        result = scrub_pii(text, row.get("lang"))
        covered = [None] * len(text)
        for s in result.spans:
            for i in range(s.start, s.end):
                covered[i] = s.type
        gold = [False] * len(text)
        for item in row["pii"]:
            assert text[item["start"] : item["end"]] == item["value"], row["id"]
            for i in range(item["start"], item["end"]):
                gold[i] = True
            chars = covered[item["start"] : item["end"]]
            hit = all(c is not None for c in chars)
            typed = all(c == item["type"] for c in chars)
            for t in (by_type[item["type"]], by_lang[row["lang"]], overall):
                t.items += 1
                t.found += hit
                t.typed += typed
            if show_misses and not hit:
                print(f"  MISS {row['id']} {item['type']}: {item['value']!r}\n       {result.text}")
        for s in result.spans:
            inside = sum(gold[s.start : s.end])
            for t in (by_type[s.type], by_lang[row["lang"]], overall):
                t.pred_chars += s.end - s.start
                t.pred_in_gold += inside
            if show_misses and inside < s.end - s.start:
                print(f"  EXTRA {row['id']} {s.type}: {text[s.start : s.end]!r}")
    return {"type": by_type, "lang": by_lang, "overall": overall}


def fmt(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def print_tables(title: str, res: dict) -> None:
    print(f"\n## {title}\n")
    for key, names in (("type", PII_TYPES), ("lang", LANGS)):
        print(f"| {key:<13} | items | recall | typed  | prec.  |   F2   |")
        print("|---------------|------:|-------:|-------:|-------:|-------:|")
        for name in names:
            t = res[key].get(name)
            if t is None:
                continue
            typed = t.typed / t.items if t.items else None
            print(
                f"| {name:<13} | {t.items:5d} | {fmt(t.recall())} | {fmt(typed)} | "
                f"{fmt(t.precision())} | {fmt(f2(t.precision(), t.recall()))} |"
            )
        print()
    o = res["overall"]
    print(
        f"overall: items {o.items}, recall {fmt(o.recall())}, typed {fmt(o.typed / o.items)}, "
        f"precision {fmt(o.precision())}, F2 {fmt(f2(o.precision(), o.recall()))}"
    )
    checks = [("recall >= 0.95", (o.recall() or 0) >= TARGETS["recall"])]
    checks.append(("precision >= 0.90", (o.precision() or 0) >= TARGETS["precision"]))
    for t in STRICT_TYPES:
        r = res["type"][t].recall() if t in res["type"] else None
        if r is not None:
            checks.append((f"{t} recall >= 0.98", r >= TARGETS["strict_recall"]))
    print("targets: " + ", ".join(f"{name} {'OK' if ok else 'MISSED'}" for name, ok in checks))


def throughput(texts: list[str], seconds: float, rounds: int = 5) -> None:
    """Answers per second on one core: the scrubber against two simple baselines.

    CPU time of this single-threaded process; the rounds of each contender are interleaved
    and the best round is kept (as `timeit` does), so that other processes on the machine
    weigh as little as possible. The ratio to the baselines is the figure to compare
    between machines.
    """
    word = re.compile(r"\w+")
    one_regex = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d \-]{6,}\d|https?://\S+")
    contenders = [
        ("baseline: str.lower + re.findall(words)", lambda t: word.findall(t.lower())),
        ("baseline: one compiled regex pass", one_regex.findall),
        ("scrub_pii(text) (language unknown: all six)", scrub_pii),
        ("scrub_pii(text, lang) (language given)", None),
    ]
    langs = LANG_OF
    for t in texts[:20]:
        scrub_pii(t)  # compile and cache the rules before timing
    best = [0.0] * len(contenders)
    for _ in range(rounds):
        for i, (_name, fn) in enumerate(contenders):
            n, start = 0, time.process_time()
            while time.process_time() - start < seconds / rounds:
                if fn is None:
                    for t in texts:
                        scrub_pii(t, langs.get(t))
                else:
                    for t in texts:
                        fn(t)
                n += len(texts)
            best[i] = max(best[i], n / (time.process_time() - start))
    avg = sum(map(len, texts)) / len(texts)
    print(f"\n## Throughput (one core, {len(texts)} answers, mean {avg:.0f} characters)\n")
    print("| what | answers/s | ratio to scrub_pii(text) |")
    print("|---|---:|---:|")
    scrub_rate = best[2]
    for (name, _fn), rate in zip(contenders, best, strict=True):
        print(f"| {name} | {rate:,.0f} | {rate / scrub_rate:.2f}x |")
    verdict = "OK" if scrub_rate >= TARGETS["throughput"] else "MISSED"
    print(f"\ntarget >= {TARGETS['throughput']} answers/s (language unknown): {verdict}")


LANG_OF: dict[str, str] = {}


def answers_of(rows: list[dict], size: int = 300) -> list[str]:
    """Answers of about `size` characters, made by joining consecutive labelled texts of
    one language (remembered in LANG_OF for the language-given run)."""
    out = []
    by_lang: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_lang[r["lang"]].append(r["text"])
    for lang, texts in by_lang.items():
        cur = ""
        for t in texts:
            cur = f"{cur} {t}" if cur else t
            if len(cur) >= size:
                out.append(cur)
                LANG_OF[cur] = lang
                cur = ""
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("PII_DEV", DEFAULT_SHARED)))
    ap.add_argument("--team", type=Path, default=DEFAULT_TEAM)
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--seconds", type=float, default=2.0, help="time per throughput row")
    args = ap.parse_args()

    texts: list[dict] = []
    if args.shared.exists():
        rows = load(args.shared)
        print_tables(
            f"Shared development set ({args.shared.name}, {len(rows)} answers)", evaluate(rows, args.show_misses)
        )
        texts += rows
    else:
        print(f"\n(shared development set not found at {args.shared}: skipped)")
    team = load(args.team)
    print_tables(f"Team set ({args.team.name}, {len(team)} answers)", evaluate(team, args.show_misses))
    texts += team
    throughput(answers_of(texts), args.seconds)


if __name__ == "__main__":
    main()
