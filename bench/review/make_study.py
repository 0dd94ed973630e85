#!/usr/bin/env python3
"""Writes the inputs of a review-page benchmark study: a RIS export of N articles (varied
titles, abstracts and keywords across the paper's topics, 1-3 affiliations each, 5 % reviews
that the bibliography excludes) and SQL with figure counts and panels for ~70 % of them, as
`lostdata figures import` would store them. Deterministic (seeded). bench/review/run.sh loads them into a study.

    python3 bench/review/make_study.py OUT_DIR [N]
"""
import os
import random
import sys

TOPICS = [
    ("catalysis", ["Palladium nanoparticles as a recyclable catalyst for Suzuki cross-coupling", "Heterogeneous catalysis on Pt/C",
                   "Catalytic hydrogenation over supported gold", "Nanocatalysis of C-H activation"],
     ["catalysis", "catalyst", "cross-coupling", "leaching"]),
    ("materials", ["Mesoporous metal-organic framework membranes for gas separation", "Block copolymer thin films",
                   "Carbon nanotube composites", "Ceramic nanofibres by electrospinning", "Silver nanoparticles on graphene"],
     ["polymer", "membrane", "nanoparticles", "porous materials", "composite"]),
    ("ionic-liquids", ["Imaging ionic liquid droplets by scanning electron microscopy", "Ionic liquid films on gold"],
     ["ionic liquid", "imidazolium", "droplets"]),
    ("microscopic-control", ["Electron beam-induced transformations observed in situ TEM", "Radiation damage under the electron beam"],
     ["in situ TEM", "beam damage", "electron dose"]),
    ("organic-chemistry", ["Total synthesis of a macrolide", "Aryl halides in Suzuki reactions"],
     ["organic synthesis", "aryl halides"]),
    ("other", ["Shareholder activism and board diversity", "Magnetic recording channels"], ["governance", "recording"]),
]


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rnd = random.Random(15)
    # Affiliations from a generator of their own, so the rest of the study is the one measured
    # before the page showed them.
    places = random.Random(151)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "articles.ris"), "w", encoding="utf-8") as ris, \
            open(os.path.join(out, "figures.sql"), "w", encoding="utf-8") as sql:
        sql.write("BEGIN;\n")
        for i in range(n):
            topic, titles, words = TOPICS[rnd.randrange(len(TOPICS))]
            other = TOPICS[rnd.randrange(len(TOPICS))]
            title = f"{rnd.choice(titles)} ({i}) with {rnd.choice(other[2])}"
            abstract = " ".join(f"We studied {rnd.choice(words)} and {rnd.choice(other[2])} by SEM and TEM." for _ in range(4))
            doi = f"10.5555/bench.{i}"
            review = rnd.random() < 0.05
            ris.write("TY  - JOUR\n")
            ris.write(f"TI  - {title}\n")
            for a in range(rnd.randint(1, 6)):
                ris.write(f"AU  - Author{rnd.randrange(2000)}, {chr(65 + a)}.\n")
            for _ in range(places.randint(1, 3)):
                ris.write(f"AD  - Department {places.randrange(40)}, University {places.randrange(300)}, City, Country\n")
            ris.write(f"PY  - {rnd.randint(2010, 2022)}\n")
            ris.write(f"JO  - Journal of {topic.title()}\n")
            ris.write(f"AB  - {abstract}\n")
            for w in rnd.sample(words, min(3, len(words))):
                ris.write(f"KW  - {w}\n")
            ris.write(f"DO  - {doi}\n")
            ris.write(f"M3  - {'Review' if review else 'Article'}\n")
            ris.write("ER  - \n\n")
            if rnd.random() < 0.7:
                sem, stem, tem = rnd.randint(0, 12), rnd.randint(0, 4), rnd.randint(0, 12)
                if rnd.random() < 0.01:
                    sem += 80  # an outlier
                f = f"bench/{i}.xml"
                sql.write("INSERT INTO figureCount (file, position, doi, articleId, baseline, semImages, stemImages, temImages, figures, emFigures,"
                          " mainImages, supplementImages, supplementItems, uncountedSupplements, lowerBound, reusedImages, flags, scaleBarsNm, importedAt)"
                          f" VALUES ('{f}', 0, '{doi}', 'doi:{doi}', NULL, {sem}, {stem}, {tem}, 5, 3, {sem + stem + tem}, 0, 0, 0,"
                          f" {1 if rnd.random() < 0.05 else 0}, {1 if rnd.random() < 0.03 else 0}, '', '50,200', '2026-01-01');\n")
                for fig in range(1, 4):
                    for panel in "abc":
                        tech = rnd.choice(["SEM", "STEM", "TEM"])
                        sql.write("INSERT INTO figurePanel (file, baseline, figure, panel, technique, supplementary, reused, words, place, evidence)"
                                  f" VALUES ('{f}', NULL, 'Figure {fig}', '{panel}', '{tech}', 0, 0, '{tech} image', 'panel',"
                                  f" '({panel}) {tech} image of the {rnd.choice(words)} sample; scale bar 200 nm');\n")
        sql.write("COMMIT;\n")


if __name__ == "__main__":
    main()
