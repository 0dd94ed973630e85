#!/usr/bin/env python3
"""Runs one `lostdata literature search …` and splits its time into the walk (fetch, parse,
store: pages stored page by page) and what follows it (the article-list rebuild and
deduplication), without any hook in lostdata:

- the walk's end is the `fetchedAt` of the last page the study stored (`literaturePage`), its
  start the query's `startedAt` (`literatureQuery`), both written by lostdata in UTC;
- the process's CPU time is sampled from /proc/PID/stat every 10 ms, so the CPU used up to the
  walk's end is read off the samples;
- totals and peak RSS come from wait4's rusage, as /usr/bin/time reports them.

    measure.py STUDY_DIR -- lostdata literature search …     → one JSON line on stdout
"""
import datetime, json, os, sqlite3, subprocess, sys, time

study = sys.argv[1]
cmd = sys.argv[sys.argv.index("--") + 1:]
tick = os.sysconf("SC_CLK_TCK")
out = open(os.path.join(study, "search.json"), "w")
start = time.time()
proc = subprocess.Popen(cmd, stdout=out)
samples = []   # (wall time, CPU seconds)
while True:
    try:
        with open("/proc/%d/stat" % proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        samples.append((time.time(), (int(fields[11]) + int(fields[12])) / tick))
    except (FileNotFoundError, ProcessLookupError, IndexError):
        pass
    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
    if pid:
        break
    time.sleep(0.01)
end = time.time()
cpu = usage.ru_utime + usage.ru_stime
report = json.load(open(os.path.join(study, "search.json")))
found = sum(q["found"] for q in report["queries"])

db = sqlite3.connect(os.path.join(study, "study.sqlite"))
def epoch(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc).timestamp()
first = min(epoch(r[0]) for r in db.execute("SELECT startedAt FROM literatureQuery"))
last = max(epoch(r[0]) for r in db.execute("SELECT fetchedAt FROM literaturePage"))
stored = db.execute("SELECT COUNT(*) FROM bibRecord").fetchone()[0]
walk_cpu = max((c for t, c in samples if t <= last), default=0.0)
print(json.dumps({
    "records": found, "stored": stored, "wall": end - start, "cpu": cpu, "rss_mb": usage.ru_maxrss // 1024,
    "walk_wall": last - first, "walk_cpu": walk_cpu, "after_wall": end - last, "after_cpu": cpu - walk_cpu,
}))
