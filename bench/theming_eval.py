"""Quality of the theming engine: F1 per goal and per language, lexicon baseline beside it.

Run: python bench/theming_eval.py [--dev PATH]

Two evaluations are printed:

1. the team's own seed corpus, split by language with a fixed seed: the model is
   trained (and its thresholds calibrated) on the training part only and
   measured on the held-out part;
2. the shared development set (real sentences from public WPS documents), if
   present: the shipped model (trained on the whole seed corpus) is measured on
   it. It is only read here, never used to train or calibrate.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.theming import load_seed_corpus, split_corpus, train_themer  # noqa: E402
from analysis.theming.corpus import as_triples  # noqa: E402
from analysis.theming.model import lexicon_scores  # noqa: E402

DEFAULT_DEV = ROOT.parent / "shared" / "data" / "nap_goals_dev.jsonl"


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 from counts (1.0 when there is nothing to find and nothing was found)."""
    if tp + fp + fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def report(title: str, goal_ids, gold, predicted, langs) -> dict:
    """Print micro/macro F1 per goal and per language; return the overall figures."""

    def scores(indices):
        per_goal = {}
        tp_all = fp_all = fn_all = 0
        for goal in goal_ids:
            tp = sum(1 for i in indices if goal in gold[i] and goal in predicted[i])
            fp = sum(1 for i in indices if goal not in gold[i] and goal in predicted[i])
            fn = sum(1 for i in indices if goal in gold[i] and goal not in predicted[i])
            per_goal[goal] = (f1(tp, fp, fn), tp + fn)
            tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        present = [v for v, support in per_goal.values() if support]
        macro = sum(present) / len(present) if present else 0.0
        none = [i for i in indices if not gold[i]]
        kept = sum(1 for i in none if not predicted[i]) / len(none) if none else float("nan")
        return f1(tp_all, fp_all, fn_all), macro, per_goal, kept, len(none)

    everything = list(range(len(gold)))
    micro, macro, per_goal, kept, n_none = scores(everything)
    print(f"\n{title}  (n={len(gold)})")
    print(f"  micro F1 {micro:.3f}   macro F1 {macro:.3f}   'none' left unthemed {kept:.2f} ({n_none} none texts)")
    print("  " + " ".join(f"{g:>13}" for g in goal_ids))
    print("  " + " ".join(f"{per_goal[g][0]:>13.3f}" for g in goal_ids))
    print("  " + " ".join(f"{'(n=' + str(per_goal[g][1]) + ')':>13}" for g in goal_ids))
    print(f"  {'lang':<5} {'n':>4} {'micro':>7} {'macro':>7} {'none kept':>10}")
    for lang in sorted(set(langs)):
        indices = [i for i in everything if langs[i] == lang]
        l_micro, l_macro, _, l_kept, _ = scores(indices)
        print(f"  {lang:<5} {len(indices):>4} {l_micro:>7.3f} {l_macro:>7.3f} {l_kept:>10.2f}")
    return {"micro": micro, "macro": macro}


def evaluate(themer, rows, label: str) -> None:
    """Model and lexicon baseline on rows of ``(text, lang, goals)``."""
    texts = [r[0] for r in rows]
    langs = [r[1] for r in rows]
    gold = [set(r[2]) for r in rows]
    goal_ids = themer.goal_ids
    start = time.perf_counter()
    results = themer.classify(texts, langs, explain=False, with_sentiment=False)
    elapsed = time.perf_counter() - start
    lexicon = lexicon_scores(themer, texts, langs)
    baseline = [{g for g, s in zip(goal_ids, row, strict=True) if s >= 0.5} for row in lexicon]
    report(f"[{label}] lexicon only (baseline)", goal_ids, gold, baseline, langs)
    report(f"[{label}] final model ({themer.version})", goal_ids, gold, [set(r.goals) for r in results], langs)
    detected = themer.detect_languages(texts)
    accuracy = sum(d == lang for d, lang in zip(detected, langs, strict=True)) / len(langs)
    print(
        f"  language identification without hints: accuracy {accuracy:.3f}; "
        f"classify took {elapsed * 1000 / max(1, len(texts)):.2f} ms/text"
    )


def main() -> None:
    """Parse arguments and print both evaluations."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=Path(os.environ.get("CONSULT_THEMING_DEV", DEFAULT_DEV)))
    args = parser.parse_args()

    corpus = load_seed_corpus()
    counts = {}
    for example in corpus:
        counts[example.lang] = counts.get(example.lang, 0) + 1
    print("seed corpus:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    train, held_out = split_corpus(corpus, held_out=0.2, seed=13)
    start = time.perf_counter()
    themer = train_themer(as_triples(train))
    print(
        f"trained on {len(train)} examples in {time.perf_counter() - start:.1f} s; "
        f"thresholds {themer.info['thresholds']}"
    )
    evaluate(themer, as_triples(held_out), "seed held-out 20%")

    if not args.dev.is_file():
        print(f"\nshared dev set not found at {args.dev}: skipped")
        return
    rows = []
    with args.dev.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], row.get("lang"), tuple(row["goals"])))
    full = train_themer(as_triples(corpus))
    evaluate(full, rows, "shared dev set")


if __name__ == "__main__":
    main()
