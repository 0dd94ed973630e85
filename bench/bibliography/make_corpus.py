#!/usr/bin/env python3
"""Builds the benchmark corpora from the shared real exports (read in place, written to OUT).

Each copy of a source file gets its ids rewritten (WoS UT, Scopus EID, DOI) so that no two
records share an identifier. Titles are left as they are, so lostdata's title tiers still see
the copies as the same articles: the benchmark exercises reading *and* the dedup blocks.

  wos_20k.txt       WoS plain text, >= 20,000 records (for metaknowledge)
  scopus_20k.csv    Scopus CSV, 20,240 rows (litstudy_scopus_v2_2023.csv x 230, for litstudy)
  scopus_100k.csv   Scopus "citation information only" CSV, >= 100,000 rows (dedup at scale)
"""
import csv, io, os, re, sys

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "corpora", "bibliography")
OUT = sys.argv[1] if len(sys.argv) > 1 else "bench/out"
os.makedirs(OUT, exist_ok=True)

def src(name):
    return os.path.join(SHARED, name)

# --- WoS plain text --------------------------------------------------------------------------
wos_sources = ["wostools_bitpattern_wos_savedrecs.txt", "bibliometrix_mgmt_wos.txt",
               "metaknowledge_savedrecs.txt", "bibliometrix_wos_sample.txt"]
texts = [open(src(n), encoding="utf-8-sig").read() for n in wos_sources]
per_round = sum(t.count("\nER") for t in texts)
rounds = -(-20000 // per_round)
with open(os.path.join(OUT, "wos_20k.txt"), "w", encoding="utf-8") as out:
    out.write("\ufeffFN Clarivate Analytics Web of Science\nVR 1.0\n")
    n = 0
    for r in range(rounds):
        for t in texts:
            body = re.sub(r"(?m)^(FN|VR|EF)( .*)?\n?", "", t)
            body = re.sub(r"(?m)^UT (WOS|ISI):(\S+)", lambda m: f"UT WOS:{m.group(2)}{r:04d}", body)
            body = re.sub(r"(?m)^DI (\S+)", lambda m: f"DI {m.group(1)}.c{r}", body)
            n += body.count("\nER") + (1 if body.startswith("ER") else 0)
            out.write(body if body.endswith("\n") else body + "\n")
    out.write("EF\n")
print(f"wos_20k.txt: {n} records")

# --- Scopus CSV (full records) -----------------------------------------------------------------
def rewrite_csv(name, copies, outname):
    rows = list(csv.reader(open(src(name), encoding="utf-8-sig", newline="")))
    header, data = rows[0], rows[1:]
    eid, doi = header.index("EID"), header.index("DOI")
    with open(os.path.join(OUT, outname), "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff")
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(header)
        count = 0
        for c in range(copies):
            for row in data:
                row = list(row)
                row[eid] = f"{row[eid]}{c:04d}"
                if row[doi]:
                    row[doi] = f"{row[doi]}.c{c}"
                w.writerow(row)
                count += 1
    print(f"{outname}: {count} records")

rewrite_csv("litstudy_scopus_v2_2023.csv", 230, "scopus_20k.csv")
rewrite_csv("ble2019_scopus_citation_only.csv", 55, "scopus_100k.csv")
