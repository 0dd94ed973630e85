#!/usr/bin/env python3
"""Constructs facility-articles.csv: a per-article split of the facility's published images that
agrees with every aggregate the paper states. The paper publishes totals only; this split is a
construction, not the authors' data. Deterministic: re-running it writes the same file.

Constraints (paper §2.4–2.5, Table 1):
  292 articles; 238 with SEM images (STEM folded in), 94 with TEM images, 40 with both;
  3054 SEM + 523 TEM = 3577 images; 8 articles with more than 50 images;
  the other 284 articles hold 1853 images.
"""
import random

rng = random.Random(2024)

# The 8 outliers (more than 50 images each) hold 3577 - 1853 = 1724 images:
# six SEM-only, one with both techniques, one TEM-only.
outliers = [  # (SEM, STEM, TEM)
    (412, 0, 0), (305, 0, 0), (236, 24, 0), (221, 0, 0), (180, 0, 0),
    (88, 0, 52), (110, 0, 0), (0, 0, 96),
]

def spread(total, n, lo, hi):
    """n integers in [lo, hi] summing to total, drawn deterministically."""
    xs = [lo] * n
    left = total - lo * n
    assert 0 <= left <= (hi - lo) * n
    while left:
        i = rng.randrange(n)
        if xs[i] < hi:
            xs[i] += 1
            left -= 1
    return xs

sem_out = sum(s + st for s, st, _ in outliers)
tem_out = sum(t for _, _, t in outliers)
n_sem_only, n_tem_only, n_both = 198 - 6, 54 - 1, 40 - 1
sem_rest = 3054 - sem_out          # over sem-only and both (non-outlier) articles
tem_rest = 523 - tem_out           # over tem-only and both (non-outlier) articles
sem_counts = spread(sem_rest, n_sem_only + n_both, 1, 30)
tem_counts = spread(tem_rest, n_tem_only + n_both, 1, 14)

rows = list(outliers)
for i in range(n_sem_only):
    rows.append((sem_counts[i], 0, 0))
for i in range(n_tem_only):
    rows.append((0, 0, tem_counts[i]))
for i in range(n_both):
    rows.append((sem_counts[n_sem_only + i], 0, tem_counts[n_tem_only + i]))

# Some SEM images were recorded with the STEM detector of the SEMs: move part of a few
# articles' SEM count to STEM (Table 1 folds STEM into SEM), and make two articles STEM-only.
rest = list(range(8, len(rows)))
for k, i in enumerate(sorted(rng.sample(rest[:n_sem_only], 14))):
    sem, stem, tem = rows[i]
    move = sem if k < 2 else max(1, sem // 3)
    rows[i] = (sem - move, stem + move, tem)

order = list(range(len(rows)))
rng.shuffle(order)
with open("facility-articles.csv", "w") as f:
    f.write("id,SEM,STEM,TEM\n")
    for n, i in enumerate(order, 1):
        sem, stem, tem = rows[i]
        f.write(f"LD2024-{n:03d},{sem},{stem},{tem}\n")

# Check every aggregate the paper states.
folded = [(s + st, t) for s, st, t in rows]
assert len(folded) == 292
assert sum(1 for s, t in folded if s) == 238 and sum(1 for s, t in folded if t) == 94
assert sum(1 for s, t in folded if s and t) == 40
assert sum(s for s, _ in folded) == 3054 and sum(t for _, t in folded) == 523
big = [s + t for s, t in folded if s + t > 50]
assert len(big) == 8 and sum(s + t for s, t in folded if s + t <= 50) == 1853
print("facility-articles.csv: 292 articles, every stated aggregate checked")
