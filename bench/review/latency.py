#!/usr/bin/env python3
"""Scripted client for the review-page benchmark: sequential requests over one keep-alive
connection to `lostdata review serve`, timed from sending the request to the last byte of the
answer. Prints p50 / p95 / max per kind, as JSON on the last line.

    python3 bench/review/latency.py URL_WITH_TOKEN [--requests 300] [--saves 300]
"""
import argparse
import http.client
import json
import random
import re
import time
import urllib.parse


def percentile(values, p):
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--saves", type=int, default=300)
    ap.add_argument("--articles", type=int, default=10000)
    args = ap.parse_args()
    u = urllib.parse.urlsplit(args.url)
    origin = f"http://{u.netloc}"
    conn = http.client.HTTPConnection(u.hostname, u.port)
    conn.request("GET", "/?" + u.query)
    r = conn.getresponse()
    r.read()
    cookie = r.getheader("Set-Cookie").split(";")[0]
    headers = {"Cookie": cookie}
    rnd = random.Random(8)

    def timed(method, path, body=None, extra=None):
        h = dict(headers)
        if extra:
            h.update(extra)
        t = time.perf_counter()
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        data = resp.read()
        return time.perf_counter() - t, resp.status, data

    kinds = {
        "queue": lambda: "/",
        "filtered queue": lambda: "/?state=pending&category=catalysis&exclusion=included&flag=no-full-text&sort=score&dir=desc",
        "search": lambda: "/?q=" + urllib.parse.quote(rnd.choice(["Suzuki", "10.5555/bench.12", "Author17", "membrane"])),
        "article": lambda: "/article?id=" + urllib.parse.quote(f"doi:10.5555/bench.{rnd.randrange(args.articles)}"),
    }
    results = {}
    for name, path in kinds.items():
        for _ in range(10):  # warm-up
            timed("GET", path())
        times = []
        for _ in range(args.requests):
            dt, status, _ = timed("GET", path())
            assert status == 200, (name, status)
            times.append(dt * 1000)
        results[name] = times

    saves = []
    for i in range(args.saves):
        article = f"doi:10.5555/bench.{rnd.randrange(args.articles)}"
        _, status, page = timed("GET", "/article?id=" + urllib.parse.quote(article))
        if status != 200:
            continue
        text = page.decode()
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', text).group(1)
        version = re.search(r'data-version="(\d+)"', text).group(1)
        # Half confirmations, half image counts (articles the rules excluded before `classify`
        # have no proposal to confirm: they get counts).
        confirm = i % 2 == 0 and "not classified" not in text
        action = [("action", "confirm")] if confirm else [("action", "images"), ("SEM", str(rnd.randrange(20))), ("STEM", "1"), ("TEM", "2")]
        body = urllib.parse.urlencode([("csrf", csrf), ("id", article), ("version", version)] + action)
        dt, status, _ = timed("POST", "/decide", body, {"Origin": origin, "Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303, status
        saves.append(dt * 1000)
    results["decision save"] = saves

    summary = {}
    for name, times in results.items():
        summary[name] = {"n": len(times), "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
                         "max_ms": round(max(times), 2)}
        print(f"{name:15} n={len(times):4}  p50 {summary[name]['p50_ms']:7.2f} ms  p95 {summary[name]['p95_ms']:7.2f} ms  max {summary[name]['max_ms']:7.2f} ms")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
