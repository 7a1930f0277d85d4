"""Speed and suppression figures for consult.privacy.disclosure; ratios against baselines
measured in the same run (absolute times vary with machine load)."""
import random
import statistics
import time
from collections import Counter

from consult.privacy.disclosure import k_anonymize, suppress_counts, suppress_table

random.seed(7)
GOALS = ["participation", "sgbv", "rights", "humanitarian", "peace_ops"]
REGIONS = [f"r{i}" for i in range(12)]
REGION_W = [30, 20, 12, 8, 6, 5, 5, 4, 4, 3, 2, 1]


def timed(fn, repeat=7, number=None):
    number = number or 1
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - t) / number)
    return statistics.median(runs)


def respondents(n):
    people = []
    for _ in range(n):
        region = random.choices(REGIONS, REGION_W)[0]
        goals = frozenset(g for g in GOALS if random.random() < 0.3)
        lang = random.choices(["en", "fr", "es", "ar", "pt", "sw"], [40, 25, 15, 10, 6, 4])[0]
        people.append((region, goals, lang))
    return people


def primary_only(table, k):
    return [[None if 0 < v < k else v for v in row] for row in table]


print("## tables (k = 10)")
print("| table | respondents | suppress ms | primary-only ms | ratio | cells hidden (primary + secondary) |")
print("|---|---|---|---|---|---|")
for n in (300, 1000, 5000):
    people = respondents(n)
    langs = Counter(p[2] for p in people)
    t = timed(lambda: suppress_counts(langs, 10), number=50)
    base = timed(lambda: {k_: (None if 0 < v < 10 else v) for k_, v in langs.items()}, number=50)
    r = suppress_counts(langs, 10)
    print(f"| language list (6) | {n} | {t*1e3:.3f} | {base*1e3:.4f} | {t/base:.0f} | {r.suppressed_count} of 6 |")
    # goal (multi-label) x region (single): rows multi -> additive=(True, False)
    cells = [[sum(1 for reg, gs, _ in people if g in gs and reg == r_) for r_ in REGIONS] for g in GOALS]
    rt = [sum(1 for _, gs, _ in people if g in gs) for g in GOALS]
    ct = [sum(1 for reg, _, _ in people if reg == r_) for r_ in REGIONS]
    t = timed(lambda: suppress_table(cells, 10, rt, ct, n, additive=(True, False)), number=3)
    base = timed(lambda: primary_only(cells, 10), number=200)
    res = suppress_table(cells, 10, rt, ct, n, additive=(True, False))
    prim = sum(c.reason == "primary" for row in res.cells for c in row)
    sec = sum(c.reason == "secondary" for row in res.cells for c in row)
    print(f"| goal (multi) x region, 5x12 | {n} | {t*1e3:.1f} | {base*1e3:.4f} | {t/base:.0f} | {prim} + {sec} of 60 |")
    # language x region (both single)
    langs_list = sorted(langs)
    cells2 = [[sum(1 for reg, _, la in people if la == l_ and reg == r_) for r_ in REGIONS] for l_ in langs_list]
    t = timed(lambda: suppress_table(cells2, 10), number=3)
    base = timed(lambda: primary_only(cells2, 10), number=200)
    res = suppress_table(cells2, 10)
    prim = sum(c.reason == "primary" for row in res.cells for c in row)
    sec = sum(c.reason == "secondary" for row in res.cells for c in row)
    print(f"| language x region, 6x12 | {n} | {t*1e3:.1f} | {base*1e3:.4f} | {t/base:.0f} | {prim} + {sec} of 72 |")

for side in (10, 20, 30):
    table = [
        [random.choice([0, random.randint(1, 9), random.randint(10, 200)]) for _ in range(side)] for _ in range(side)
    ]
    t = timed(lambda: suppress_table(table, 10), repeat=3)
    base = timed(lambda: primary_only(table, 10), number=100)
    res = suppress_table(table, 10)
    prim = sum(c.reason == "primary" for row in res.cells for c in row)
    sec = sum(c.reason == "secondary" for row in res.cells for c in row)
    print(f"| random {side}x{side} (1/3 small cells) | - | {t*1e3:.1f} | {base*1e3:.4f} | {t/base:.0f} "
          f"| {prim} + {sec} of {side*side} |")

print()
print("## row-level exports (k = 10, star)")
print("| rows | quasi-identifiers | k_anonymize ms | Counter of QI tuples ms | ratio | values generalised "
      "| rows starred |")
print("|---|---|---|---|---|---|---|")
H = {"region": {f"r{i}": ("north" if i < 3 else "south") for i in range(12)}}
ORGS = ["ngo", "grassroots", "gov", "academic", "faith", "media", "military", "police"]
ORG_W = [35, 25, 10, 10, 8, 5, 4, 3]
for n in (1000, 5000, 10000):
    rows = []
    for i, (region, _goals, _lang) in enumerate(respondents(n)):
        rows.append({"id": i, "region": region, "org": random.choices(ORGS, ORG_W)[0],
                     "groups": tuple(g for g in ("rural", "youth", "indigenous", "disabled") if random.random() < 0.2),
                     "age": random.choice(["18-29", "30-44", "45-59", "60+"]), "text": "..."})
    for qi in (["region", "org"], ["region", "org", "age"], ["region", "org", "groups"]):
        t = timed(lambda: k_anonymize(rows, qi, 10, H), repeat=3)
        base = timed(lambda: Counter(tuple(r[c] for c in qi) for r in rows), repeat=3)
        _, rep = k_anonymize(rows, qi, 10, H)
        print(f"| {n} | {'+'.join(qi)} | {t*1e3:.0f} | {base*1e3:.1f} | {t/base:.0f} "
              f"| {sum(rep.generalised.values())} | {rep.rows_suppressed} |")
