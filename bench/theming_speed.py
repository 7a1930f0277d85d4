"""Speed of the theming pipeline against bare TextBlob sentiment, measured in the same run.

Run: python bench/theming_speed.py [--total 100000] [--workers 2]

Prints:
1. texts/s on one core of the whole ``classify`` path (language id, stemming,
   lexicon, model, sentiment where a model exists) and of bare
   ``TextBlob(t).sentiment.polarity`` on the same texts, with their ratio (best
   of interleaved rounds, so that load from other processes hits both sides);
2. the latency of classifying one text at a time (p50/p99), the figure that
   decides whether theming can run on submit;
3. ``--total`` answers themed end to end on ``--workers`` processes from the
   saved model (in a fresh process, so training memory is not counted), with
   the peak resident memory of the coordinating process and of the largest worker.

Texts: the shared dev set when present, plus the seed corpus, cycled.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.theming import Themer, default_themer, load_seed_corpus  # noqa: E402
from analysis.theming import text as text_module  # noqa: E402

DEFAULT_DEV = ROOT.parent / "shared" / "data" / "nap_goals_dev.jsonl"
BATCH = 64


def load_texts() -> list[tuple[str, str | None]]:
    """Seed corpus texts plus the dev set when present (languages not given)."""
    texts = [(e.text, None) for e in load_seed_corpus()]
    dev = Path(os.environ.get("CONSULT_THEMING_DEV", DEFAULT_DEV))
    if dev.is_file():
        with dev.open(encoding="utf-8") as handle:
            texts += [(json.loads(line)["text"], None) for line in handle if line.strip()]
    return texts


def time_textblob(texts: list[str]) -> float:
    """Seconds for bare TextBlob sentiment over ``texts``."""
    from textblob import TextBlob  # here, so the bulk coordinator does not carry it

    start = time.perf_counter()
    for text in texts:
        TextBlob(text).sentiment.polarity  # noqa: B018
    return time.perf_counter() - start


def time_pipeline(themer: Themer, texts: list[str]) -> float:
    """Seconds for the classify path (as ``consult classify`` runs it) over ``texts``."""
    start = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        themer.classify(texts[i : i + BATCH], explain=False)
    return time.perf_counter() - start


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB.

    Linux's VmHWM starts afresh at exec, whereas ``ru_maxrss`` keeps the size
    of the process that forked us, which would count the parent twice.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_WORKER: Themer | None = None


def _init(model: bytes) -> None:
    global _WORKER
    _WORKER = Themer.from_bytes(model)


def _work(chunk: list[str]) -> tuple[int, int, float]:
    assert _WORKER is not None
    themed = 0
    for i in range(0, len(chunk), BATCH):
        themed += sum(1 for r in _WORKER.classify(chunk[i : i + BATCH], explain=False) if r.goals)
    return len(chunk), themed, peak_rss_mb()


def bulk(model_path: Path, total: int, workers: int) -> None:
    """Theme ``total`` answers on ``workers`` processes from a saved model; print time and memory.

    Runs in its own process (see ``main``) so that the memory of training the
    model and of the one-core measurements is not counted.
    """
    model = model_path.read_bytes()
    texts = [t for t, _ in load_texts()]
    stream = (texts[i % len(texts)] for i in range(total))
    start = time.perf_counter()
    done = themed = 0
    worker_peak = 0.0
    with get_context("spawn").Pool(workers, initializer=_init, initargs=(model,)) as pool:
        chunks = ([next(stream) for _ in range(min(1000, total - i))] for i in range(0, total, 1000))
        for n, k, rss in pool.imap(_work, chunks):
            done += n
            themed += k
            worker_peak = max(worker_peak, rss)
    elapsed = time.perf_counter() - start
    parent = peak_rss_mb()
    print(f"\n3. {done:,} answers on {workers} processes (model {len(model) / 1e6:.1f} MB)")
    print(f"   {elapsed:.1f} s, {done / elapsed:,.0f} texts/s, {themed / done:.0%} given a goal")
    print(
        f"   peak RSS: coordinating process {parent:.0f} MB, largest worker {worker_peak:.0f} MB, "
        f"total at most {parent + workers * worker_peak:.0f} MB"
    )
    print(f"   load average after the run: {os.getloadavg()[0]:.1f} (machine has {os.cpu_count()} cores)")


def main() -> None:
    """Run the three measurements and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bulk", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bulk:
        bulk(args.bulk, args.total, args.workers)
        return

    start = time.perf_counter()
    themer = default_themer()
    print(f"model {themer.version} trained in {time.perf_counter() - start:.1f} s")
    pairs = load_texts()
    texts = [t for t, _ in pairs]
    english = [e.text for e in load_seed_corpus() if e.lang == "en"]
    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} texts, mean {mean_chars:.0f} characters, mixed languages")

    # Cold: the stem cache is emptied so that stemming new words is paid once.
    text_module.clear_stem_cache()
    cold = time_pipeline(themer, texts)
    print(f"\n1. one core ({args.rounds} interleaved rounds, best of each)")
    print(f"   first pass with an empty stem cache: {len(texts) / cold:,.0f} texts/s")
    rows = []
    for label, sample in (("mixed languages", texts), ("English only", english)):
        best_blob = best_pipe = float("inf")
        for _ in range(args.rounds):
            best_blob = min(best_blob, time_textblob(sample))
            best_pipe = min(best_pipe, time_pipeline(themer, sample))
        rows.append((label, len(sample) / best_blob, len(sample) / best_pipe))
    print(f"   {'texts':<16} {'TextBlob/s':>11} {'classify/s':>11} {'ratio':>6}")
    for label, blob, pipe in rows:
        print(f"   {label:<16} {blob:>11,.0f} {pipe:>11,.0f} {pipe / blob:>6.2f}")

    latencies = []
    for text in texts[:600]:
        t0 = time.perf_counter()
        themer.classify([text])
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print("\n2. one text at a time (with explanation and sentiment)")
    print(f"   p50 {p50:.2f} ms   p99 {p99:.2f} ms   max {latencies[-1]:.2f} ms")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "themer.bin"
        path.write_bytes(themer.to_bytes())
        subprocess.run(
            [sys.executable, __file__, "--bulk", str(path), "--total", str(args.total), "--workers", str(args.workers)],
            check=True,
        )


if __name__ == "__main__":
    main()
