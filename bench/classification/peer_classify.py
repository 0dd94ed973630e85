#!/usr/bin/env python3
"""The peer: the same rules file applied by a plain Python script (PyYAML + re), the way an
analyst would script it — same scoring (weight x field weight once per field, parent = own +
best child, parent's negative total carried to matched children, thresholds scaled by
thresholdWithoutAbstract for records without an abstract, rules cancelled by unlessContext,
out-of-scope rules under `unclassified` beaten by unclassifiedMargin), one JSON line per
article. Reads the study's `article` table; writes JSON lines to stdout.
Usage: peer_classify.py RULES.yaml STUDY_DIR"""
import json, re, sqlite3, sys, yaml

rules_file, study = sys.argv[1], sys.argv[2]
spec = yaml.safe_load(open(rules_file, encoding="utf-8"))
fw = spec.get("fieldWeights", {})
default_fields = spec.get("fields", ["title", "abstract", "authorKeywords", "indexKeywords"])
default_threshold = spec.get("threshold", 2)
margin = spec.get("unclassifiedMargin", 0)
factor_without_abstract = spec.get("thresholdWithoutAbstract", 1)
default_context = ["title", "authorKeywords", "indexKeywords", "sourceTitle"]
cats, compiled = [], []

def compile_pattern(text, regex, whole, case):
    if regex:
        src = "(?:" + text + ")"
    else:
        words = re.split(r"[ \-\u2010\u2013]+", text)
        src = r"[\s\-\u2010\u2011\u2013]+".join(re.escape(w) for w in words if w)
    if whole:
        src = r"(?<![^\W_])" + src + r"(?![^\W_])"
    return re.compile(src, 0 if case else re.IGNORECASE)

for c in spec["categories"]:
    cats.append((c["id"], c.get("threshold", default_threshold)))
    for r in c.get("rules", []) or []:
        pats = [(r["regex"], True)] if "regex" in r else [(p, False) for p in (r.get("phrases") or [r.get("phrase")])]
        for p, is_regex in pats:
            compiled.append((c["id"], compile_pattern(str(p), is_regex, r.get("wholeWord", True), r.get("caseSensitive", False)),
                             [compile_pattern(u, False, True, False) for u in r.get("unless", [])],
                             r.get("weight", 1), r.get("fields", default_fields), str(p),
                             [compile_pattern(u, False, True, False) for u in r.get("unlessContext", [])],
                             r.get("contextFields", default_context)))

db = sqlite3.connect(f"{study}/study.sqlite")
out = sys.stdout
for row in db.execute("SELECT id, doi, title, abstract, authorKeywords, indexKeywords, sourceTitle FROM article "
                      "WHERE exclusion IS NULL ORDER BY id"):
    fields = dict(zip(["title", "abstract", "authorKeywords", "indexKeywords", "sourceTitle"], [x or "" for x in row[2:]]))
    fields["figureCaptions"] = ""
    own, evidence = {}, []
    factor = 1 if fields["abstract"] else factor_without_abstract
    for cat, rx, unless, w, flds, p, context, cfields in compiled:
        cancelled = None
        for f in flds:
            t = fields.get(f, "")
            if not t: continue
            m = rx.search(t)
            if not m or any(u.search(t) for u in unless): continue
            if cancelled is None:
                cancelled = any(c.search(fields.get(cf, "")) for c in context for cf in cfields)
            if cancelled: break
            pts = w * fw.get(f, 1)
            own[cat] = own.get(cat, 0) + pts
            evidence.append({"rule": p, "field": f, "text": t[max(0, m.start() - 30):m.end() + 30]})
    scores, assigned = {}, []
    for cid, th in cats:
        if "/" in cid or cid == "unclassified": continue
        children = [(k, t) for k, t in cats if k.startswith(cid + "/")]
        pen = min(0, own.get(cid, 0)); best = 0
        for k, t in children:
            s = own.get(k, 0) + (pen if k in own else 0)
            if s: scores[k] = s
            if s >= t * factor: assigned.append(k)
            best = max(best, s)
        s = own.get(cid, 0) + best
        if s: scores[cid] = s
        if s >= th * factor or any(k in assigned for k, _ in children): assigned.append(cid)
    out_of_scope = own.get("unclassified", 0)
    if out_of_scope: scores["unclassified"] = out_of_scope
    tops = sorted((c for c, _ in cats if "/" not in c and c != "unclassified" and scores.get(c, 0) > 0),
                  key=lambda c: -scores[c])
    if tops and out_of_scope > 0 and scores[tops[0]] - out_of_scope - margin < 0:
        assigned = []
    out.write(json.dumps({"id": row[0], "doi": row[1], "title": row[2], "categories": assigned or ["unclassified"],
                          "scores": scores, "evidence": evidence}) + "\n")
