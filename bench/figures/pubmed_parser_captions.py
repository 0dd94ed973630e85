"""The peer side of bench/figures: pubmed_parser's parse_pubmed_caption over every file.

Runs in as many processes as lostdata uses threads (--jobs), so both get the same cores.
pubmed_parser only extracts captions (no panels, no techniques); lostdata does the full analysis.
"""
import sys
from multiprocessing import Pool

import pubmed_parser as pp


def captions(path):
    try:
        return len(pp.parse_pubmed_caption(path) or [])
    except Exception:  # pubmed_parser fails on some figures (its issues #125, #175)
        return -1


if __name__ == "__main__":
    jobs = int(sys.argv[1])
    files = [line.strip() for line in open(sys.argv[2]) if line.strip()]
    with Pool(jobs) as pool:
        counts = pool.map(captions, files, chunksize=16)
    print(f"{len(files)} files, {sum(c for c in counts if c > 0)} captions, {sum(1 for c in counts if c < 0)} failures",
          file=sys.stderr)
