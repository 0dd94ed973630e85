#!/usr/bin/env python3
"""Builds a benchmark study: real records from ../shared/corpora/bibliography (read in place,
never copied into the project) put into the `article` table contract, repeated with new ids
until N articles. Usage: make_study.py STUDY_DIR N LOSTDATA"""
import os, re, sqlite3, subprocess, sys

root = os.path.dirname(os.path.abspath(__file__))
corpora = os.path.normpath(os.path.join(root, "..", "..", "..", "shared", "corpora", "bibliography"))
study, n, lostdata = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def wos(path):
    cur, tag = {}, None
    for line in open(path, encoding="utf-8-sig", errors="replace"):
        line = line.rstrip("\r\n")
        if line.startswith("ER"):
            if cur: yield cur
            cur, tag = {}, None
        elif len(line) >= 2 and line[:2].strip() and (len(line) == 2 or line[2] == " "):
            tag = line[:2]; cur.setdefault(tag, []).append(line[3:])
        elif tag and line.startswith("   "):
            cur[tag].append(line[3:])

def ris(path):
    cur = {}
    for line in open(path, encoding="utf-8-sig", errors="replace"):
        m = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)", line.rstrip())
        if not m: continue
        t, v = m.groups()
        if t == "ER":
            yield {"TI": cur.get("TI", []), "AB": cur.get("AB", []), "DE": ["; ".join(cur.get("KW", []))],
                   "SO": cur.get("T2", []), "DI": cur.get("DO", []), "PY": cur.get("PY", [])}
            cur = {}
        else:
            cur.setdefault(t, []).append(v)

records = list(wos(os.path.join(corpora, "wostools_bitpattern_wos_savedrecs.txt")))
records += list(ris(os.path.join(corpora, "wostools_magnetism_scopus.ris")))
if os.path.exists(os.path.join(study, "study.yaml")):
    sys.exit(f"{study} exists")
subprocess.run([lostdata, "init", study, "-q"], check=True)
db = sqlite3.connect(os.path.join(study, "study.sqlite"))
# `lostdata init` creates the Bibliography stage's tables in current versions; older ones did not.
db.execute("""CREATE TABLE IF NOT EXISTS article (id TEXT PRIMARY KEY, doi TEXT, title TEXT, year INTEGER, sourceTitle TEXT,
              abstract TEXT, authorKeywords TEXT, indexKeywords TEXT, documentType TEXT, exclusion TEXT)""")
columns = [r[1] for r in db.execute("PRAGMA table_info(article)")]
rows = []
for i in range(n):
    r = records[i % len(records)]
    j = lambda t: " ".join(r.get(t, []))
    year = re.match(r"\d{4}", j("PY"))
    rows.append((f"bench:{i}", j("DI").lower() or None, j("TI"), int(year.group()) if year else None, j("SO"),
                 j("AB"), j("DE"), j("ID"), "Article", None))
names = ["id", "doi", "title", "year", "sourceTitle", "abstract", "authorKeywords", "indexKeywords", "documentType", "exclusion"]
if "sourceCount" in columns:
    names.append("sourceCount"); rows = [r + (1,) for r in rows]
db.executemany(f"INSERT INTO article ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows)
db.commit()
print(f"{study}: {n} articles from {len(records)} distinct records")
