#!/usr/bin/env python3
"""Writes the demo's literature exports from the front matter of the demo's own JATS articles
(jats/articles/*.xml): a Scopus CSV and a Web of Science plain-text file that overlap, as real
exports of two databases do. The translated-journal record is invented (no CC BY full text is
needed for it: it is excluded). Run from corpora/demo: python3 make_exports.py"""
import csv, glob, re, html

def text(s):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", s or ""))).strip()

def first(pattern, s):
    m = re.search(pattern, s, re.S)
    return m.group(1) if m else ""

def front(path):
    s = open(path, encoding="utf-8").read()
    meta = s[: s.find("</article-meta>")]
    authors = []
    for c in re.findall(r'<contrib[^>]*contrib-type="author"[^>]*>(.*?)</contrib>', meta, re.S):
        sur, given = text(first(r"<surname>(.*?)</surname>", c)), text(first(r"<given-names>(.*?)</given-names>", c))
        if sur:
            authors.append((sur, given))
    return {
        "doi": text(first(r'<article-id pub-id-type="doi">(.*?)</article-id>', meta)),
        "title": text(first(r"<article-title>(.*?)</article-title>", meta)),
        "journal": text(first(r"<journal-title>(.*?)</journal-title>", meta)),
        "issn": text(first(r"<issn[^>]*>(.*?)</issn>", meta)),
        "year": text(first(r"<pub-date[^>]*>.*?<year>(.*?)</year>", meta)),
        "volume": text(first(r"<volume>(.*?)</volume>", meta)),
        "abstract": text(first(r"<abstract[^>]*>(.*?)</abstract>", meta)),
        "keywords": [text(k) for k in re.findall(r"<kwd>(.*?)</kwd>", meta, re.S)],
        "type": "Review" if 'article-type="review-article"' in s[:3000] else "Article",
        "authors": authors,
    }

arts = {p.split("/")[-1].split(".")[0]: front(p) for p in sorted(glob.glob("jats/articles/*.xml"))}
scopus = ["nanomaterials_PMC6163276", "materials_PMC6117687", "materials_PMC6317012", "nrl_PMC5093107"]
wos = ["materials_PMC6117687", "materials_PMC5978104", "nrl_PMC5093107"]

with open("exports/scopus.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["Authors", "Title", "Year", "Source title", "Volume", "DOI", "Abstract", "Author Keywords",
                "ISSN", "Language of Original Document", "Document Type", "Source", "EID"])
    for i, key in enumerate(scopus, 1):
        a = arts[key]
        names = ", ".join(f"{s}, {''.join(p[0] + '.' for p in g.split())}" for s, g in a["authors"])
        w.writerow([names, a["title"], a["year"], a["journal"], a["volume"], a["doi"], a["abstract"],
                    "; ".join(a["keywords"]), a["issn"].replace("-", ""), "English", a["type"], "Scopus",
                    f"2-s2.0-8500000000{i}"])
    # Invented: a cover-to-cover translation (excluded as 'translation').
    w.writerow(["Petrov, A.", "Transmission electron microscopy of dislocation networks in deformed copper",
                "2017", "Physics of the Solid State", "59", "10.1134/S1063783417990001",
                "Dislocation networks in copper deformed at room temperature were imaged by TEM.",
                "TEM; dislocations; copper", "10637834", "English", "Article", "Scopus", "2-s2.0-85000000099"])

with open("exports/wos.txt", "w", encoding="utf-8") as f:
    f.write("FN Clarivate Analytics Web of Science\nVR 1.0\n")
    for i, key in enumerate(wos, 1):
        a = arts[key]
        f.write("PT J\n")
        for j, (s, g) in enumerate(a["authors"]):
            f.write(("AU " if j == 0 else "   ") + f"{s}, {''.join(p[0] for p in g.split())}\n")
        f.write(f"TI {a['title']}\nSO {a['journal'].upper()}\nLA English\nDT {a['type']}\n")
        if a["keywords"]:
            f.write(f"DE {'; '.join(a['keywords'])}\n")
        f.write(f"AB {a['abstract']}\nSN {a['issn']}\nPY {a['year']}\nVL {a['volume']}\n")
        f.write(f"DI {a['doi']}\nUT WOS:00045000000000{i}\nER\n\n")
    f.write("EF\n")
