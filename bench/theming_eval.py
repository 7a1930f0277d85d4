"""Quality of the theming engine: F1 per goal and per language, lexicon baseline beside it.

Run: python bench/theming_eval.py [--folds 5] [--repeats 1] [--no-dev] [--dev PATH]

Three evaluations are printed:

1. the team's own seed corpus, split by language with a fixed seed: the model is
   trained (and its thresholds calibrated) on the training part only and
   measured on the held-out part;
2. cross-validation over the whole seed corpus (``--folds`` folds stratified by
   language, ``--repeats`` different shuffles): every text is themed once per
   repeat by a model that did not see it. The pooled out-of-fold figures are
   what hyperparameters and decision rules are chosen by. They are also given
   for the policy-register part of the corpus (at least 18 words, no first
   person), the register of the documents the engine is finally judged on, and
   the most frequent errors are listed;
3. the shared development set (real sentences from public WPS documents), if
   present and not ``--no-dev``: the shipped model (trained on the whole seed
   corpus) is measured on it. It is only read here, never used to train,
   calibrate or choose anything.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.theming import load_seed_corpus, split_corpus, train_themer  # noqa: E402
from analysis.theming.corpus import Example, as_triples  # noqa: E402
from analysis.theming.model import lexicon_scores  # noqa: E402

DEFAULT_DEV = ROOT.parent / "shared" / "data" / "nap_goals_dev.jsonl"

# First-person markers per language: a sentence without any, and long enough, reads
# like a policy document rather than a respondent's testimony. A rough cut, only
# used to report a subset.
_FIRST_PERSON = {
    "en": r"\b(i|i'm|i've|i'd|my|me|mine|we|we're|we've|our|ours|us)\b",
    "fr": r"\b(je|j'|me|m'|moi|mon|ma|mes|nous|notre|nos)",
    "es": r"\b(yo|me|mi|mis|nos|nosotras|nosotros|nuestra|nuestro|nuestras|nuestros|conmigo)\b",
    "pt": r"\b(eu|me|meu|minha|meus|minhas|nós|nos|nosso|nossa|nossos|nossas|comigo|a gente)\b",
    "ar": r"(^|\s)(أنا|نحن|لدينا|لدي|عندنا|عندي|لنا|لي|إننا|إنني)(\s|$|[،.])|\w(نا|ني)(\s|$|[،.])",
    "sw": r"\b(mimi|sisi|yangu|wangu|langu|changu|zangu|yetu|wetu|letu|chetu|zetu|kwangu|kwetu|"
    r"nime\w*|tume\w*|nina\w*|tuna\w*|nili\w*|tuli\w*)\b",
}
POLICY_MIN_WORDS = 18


def policy_register(text: str, lang: str | None) -> bool:
    """Whether ``text`` reads like a policy document: long, and no first person."""
    if len(text.split()) < POLICY_MIN_WORDS:
        return False
    pattern = _FIRST_PERSON.get(lang or "")
    return pattern is None or re.search(pattern, text.casefold()) is None


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
        exact = sum(1 for i in indices if gold[i] == predicted[i]) / len(indices) if indices else float("nan")
        return f1(tp_all, fp_all, fn_all), macro, per_goal, kept, len(none), exact

    everything = list(range(len(gold)))
    micro, macro, per_goal, kept, n_none, exact = scores(everything)
    print(f"\n{title}  (n={len(gold)})")
    print(
        f"  micro F1 {micro:.3f}   macro F1 {macro:.3f}   exact match {exact:.3f}   "
        f"'none' left unthemed {kept:.2f} ({n_none} none texts)"
    )
    print("  " + " ".join(f"{g:>13}" for g in goal_ids))
    print("  " + " ".join(f"{per_goal[g][0]:>13.3f}" for g in goal_ids))
    print("  " + " ".join(f"{'(n=' + str(per_goal[g][1]) + ')':>13}" for g in goal_ids))
    print(f"  {'lang':<5} {'n':>5} {'micro':>7} {'macro':>7} {'none kept':>10}")
    for lang in sorted(set(langs), key=str):
        indices = [i for i in everything if langs[i] == lang]
        l_micro, l_macro, _, l_kept, _, _ = scores(indices)
        print(f"  {lang!s:<5} {len(indices):>5} {l_micro:>7.3f} {l_macro:>7.3f} {l_kept:>10.2f}")
    return {"micro": micro, "macro": macro, "none_kept": kept, "exact": exact}


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


def language_folds(examples: list[Example], folds: int, seed: int) -> list[int]:
    """Fold number of each example: shuffled within each language, then dealt round-robin."""
    by_lang: dict[str, list[int]] = {}
    for index, example in enumerate(examples):
        by_lang.setdefault(str(example.lang), []).append(index)
    rng = random.Random(seed)
    assignment = [0] * len(examples)
    for lang in sorted(by_lang):
        indices = sorted(by_lang[lang], key=lambda i: examples[i].id)
        rng.shuffle(indices)
        for position, index in enumerate(indices):
            assignment[index] = position % folds
    return assignment


def cross_validate(
    examples: list[Example], folds: int, repeats: int, params: dict | None = None
) -> tuple[list[tuple[Example, set[str]]], tuple[str, ...]]:
    """Out-of-fold goals of every example, once per repeat (pooled)."""
    pooled: list[tuple[Example, set[str]]] = []
    goal_ids: tuple[str, ...] = ()
    for repeat in range(repeats):
        assignment = language_folds(examples, folds, seed=29 + repeat)
        for fold in range(folds):
            train = [e for e, f in zip(examples, assignment, strict=True) if f != fold]
            test = [e for e, f in zip(examples, assignment, strict=True) if f == fold]
            themer = train_themer(as_triples(train), params=params)
            goal_ids = themer.goal_ids
            results = themer.classify(
                [e.text for e in test], [e.lang for e in test], explain=False, with_sentiment=False
            )
            pooled.extend((e, set(r.goals)) for e, r in zip(test, results, strict=True))
    return pooled, goal_ids


def print_errors(pooled: list[tuple[Example, set[str]]], top: int = 12) -> None:
    """The most frequent kinds of error: a goal given wrongly, or missed, by gold label set."""
    extra: Counter = Counter()
    missed: Counter = Counter()
    for example, predicted in pooled:
        gold = set(example.goals)
        label = "+".join(sorted(gold)) or "none"
        for goal in predicted - gold:
            extra[(goal, label)] += 1
        for goal in gold - predicted:
            missed[(goal, label)] += 1
    print(f"\n  most frequent errors (out of {len(pooled)} out-of-fold predictions)")
    print(f"  {'goal given wrongly':<22} {'on texts labelled':<34} {'n':>4}")
    for (goal, label), n in extra.most_common(top):
        print(f"  {goal:<22} {label:<34} {n:>4}")
    print(f"  {'goal missed':<22} {'on texts labelled':<34} {'n':>4}")
    for (goal, label), n in missed.most_common(top):
        print(f"  {goal:<22} {label:<34} {n:>4}")


def main() -> None:
    """Parse arguments and print the evaluations."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=Path(os.environ.get("CONSULT_THEMING_DEV", DEFAULT_DEV)))
    parser.add_argument("--no-dev", action="store_true", help="do not read the shared development set")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0 skips it)")
    parser.add_argument("--repeats", type=int, default=1, help="cross-validation repeats with other shuffles")
    parser.add_argument("--params", type=json.loads, default=None, help="hyperparameters as JSON, e.g. '{\"C\": 8}'")
    args = parser.parse_args()

    corpus = load_seed_corpus()
    counts = Counter(str(e.lang) for e in corpus)
    print("seed corpus:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    train, held_out = split_corpus(corpus, held_out=0.2, seed=13)
    start = time.perf_counter()
    themer = train_themer(as_triples(train), params=args.params)
    print(
        f"trained on {len(train)} examples in {time.perf_counter() - start:.1f} s; "
        f"thresholds {themer.info['thresholds']}"
    )
    evaluate(themer, as_triples(held_out), "seed held-out 20%")

    if args.folds > 1:
        start = time.perf_counter()
        pooled, goal_ids = cross_validate(corpus, args.folds, args.repeats, args.params)
        print(
            f"\ncross-validation: {args.folds} folds x {args.repeats} repeat(s) in {time.perf_counter() - start:.0f} s"
        )
        for title, part in (
            ("whole seed corpus", pooled),
            ("policy register only", [(e, p) for e, p in pooled if policy_register(e.text, e.lang)]),
        ):
            report(
                f"[cross-validation, {title}] final model",
                goal_ids,
                [set(e.goals) for e, _ in part],
                [p for _, p in part],
                [e.lang for e, _ in part],
            )
        print_errors(pooled)

    if args.no_dev:
        return
    if not args.dev.is_file():
        print(f"\nshared dev set not found at {args.dev}: skipped")
        return
    rows = []
    with args.dev.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], row.get("lang"), tuple(row["goals"])))
    full = train_themer(as_triples(corpus), params=args.params)
    evaluate(full, rows, "shared dev set")


if __name__ == "__main__":
    main()
