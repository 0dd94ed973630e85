#!/usr/bin/env python3
"""A replay server on 127.0.0.1 for lostdata's HTTP tests and the acquisition benchmark.

Standard library only. Started by the tests on an ephemeral port; prints the port on its first
line of stdout and serves until killed.

    replay_server.py CONFIG.json          routes from a file (tests)
    replay_server.py --synthetic PAGES [MIN MAX] [--lanes N]
                                          an OpenAlex-shaped walk of PAGES pages of MIN-MAX works
                                          (default 25-200; bench). Every page of lanes 0..N-1
                                          (default 1) is made before the port is printed and
                                          served as kept bytes, so that the server is not what
                                          bounds the walk (bench/acquisition measures its rate).

A config is {"routes": [ROUTE, ...]}. A ROUTE matches a request when its "path" equals the
request path and every "params" value equals the query's; the first matching route answers.
Its "responses" are used in turn, the last one repeating (so [429, 200] is "refuse once, then
answer"). A RESPONSE has "status" (200), "headers" {}, the body as "file" (a path) or "body"
(text), and optionally:
  "fault": "reset"    send the headers and half the body, then reset the connection
  "delay": SECONDS    wait before answering (timeouts)
  "etag": VALUE       answer 304 with no body when If-None-Match equals VALUE
  "gzip": true        gzip the body when the client accepts it
REPLAY_LOG=FILE in the environment appends each request to FILE as a JSON line.
GET /__log returns every request seen so far (path, query, headers, time) as JSON.
"""
import gzip, json, os, random, re, socket, struct, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

LOG, LOCK, COUNTERS = [], threading.Lock(), {}
# REPLAY_LOG=FILE: each request is also appended to FILE as a JSON line, for tests that cannot
# ask the server itself (the one being killed is the client, not the server).
LOG_FILE = os.environ.get("REPLAY_LOG")


def synthetic_work(w):
    """Work `w` of the synthetic walk, as a dict (the reference for `_WORK_TEMPLATE`)."""
    return {
        "id": "https://openalex.org/W%d" % (900000000 + w),
        "doi": "https://doi.org/10.5555/bench.%d" % w,
        "title": "Synthetic electron microscopy study number %d of grain boundaries" % w,
        "publication_year": 2011 + w % 13, "type": "article",
        "primary_location": {"source": {"display_name": "Journal of Benchmarks", "issn_l": "1234-5679", "issn": ["1234-5679"]}},
        "biblio": {"volume": str(w % 40), "issue": str(w % 12), "first_page": "1", "last_page": "9"},
        "authorships": [{"author": {"display_name": "Author %d Person" % j, "orcid": None},
                         "institutions": [{"id": "https://openalex.org/I1", "display_name": "Institute %d" % j, "ror": "https://ror.org/00x", "country_code": "JP"}],
                         "raw_affiliation_strings": ["Institute %d, Tokyo, Japan" % j]} for j in range(3)],
        "ids": {"openalex": "https://openalex.org/W%d" % (900000000 + w), "pmid": None},
        "open_access": {"is_oa": w % 2 == 0, "oa_url": None}, "cited_by_count": w % 50,
        "abstract_inverted_index": {"Grain": [0], "boundaries": [1], "imaged": [2], "by": [3], "SEM": [4]},
        "keywords": [{"display_name": "microscopy"}],
    }


def _work_template():
    """json.dumps of a work with its varying values as %-placeholders: formatting it is ~20x
    faster than building the dict and dumping it, and gives the same bytes (`_work_text` checks)."""
    marks = {"https://openalex.org/W900000001": "https://openalex.org/W%(oid)d",
             "https://doi.org/10.5555/bench.1": "https://doi.org/10.5555/bench.%(w)d",
             "Synthetic electron microscopy study number 1 of grain boundaries": "Synthetic electron microscopy study number %(w)d of grain boundaries"}
    d = synthetic_work(1)
    d["id"] = d["ids"]["openalex"] = marks[d["id"]]
    d["doi"], d["title"] = marks[d["doi"]], marks[d["title"]]
    d["biblio"]["volume"], d["biblio"]["issue"] = "@volume@", "@issue@"
    d["publication_year"], d["cited_by_count"], d["open_access"]["is_oa"] = "@year@", "@cited@", "@oa@"
    text = json.dumps(d).replace("%", "%%").replace("%%(", "%(")
    for name, fmt in (("volume", "%(volume)d"), ("issue", "%(issue)d")):
        text = text.replace('"@%s@"' % name, '"%s"' % fmt)
    for name, fmt in (("year", "%(year)d"), ("cited", "%(cited)d"), ("oa", "%(oa)s")):
        text = text.replace('"@%s@"' % name, fmt)
    return text


_WORK_TEMPLATE = None


def _work_text(w):
    return _WORK_TEMPLATE % {"oid": 900000000 + w, "w": w, "year": 2011 + w % 13, "volume": w % 40, "issue": w % 12,
                             "oa": "true" if w % 2 == 0 else "false", "cited": w % 50}


def synthetic_page(index, pages, low=25, high=200, seed=7, lane=0):
    """Page `index` (0-based) of a walk: low-high works, an OpenAlex `/works` list response.
    `lane` (the number ending the query's filter, e.g. "…search:bench-2") gives each of several
    queries walked at once works of its own; lane 0 is the single walk."""
    global _WORK_TEMPLATE
    if _WORK_TEMPLATE is None:
        _WORK_TEMPLATE = _work_template()
        for w in (1, 2, 123456789):
            assert _work_text(w) == json.dumps(synthetic_work(w)), "the work template drifted from synthetic_work"
    rng = random.Random(seed * 100003 + index + lane * 7919)
    n = rng.randint(low, high) if index < pages else 0
    base = (lane * 100000 + index) * 1000
    works = ", ".join(_work_text(w) for w in range(base, base + n))
    nxt = json.dumps("page%d" % (index + 1) if index < pages else None)
    return ('{"meta": {"count": -1, "next_cursor": %s, "page": null, "per_page": 200}, "results": [%s]}' % (nxt, works)).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: with Nagle on, a kept-alive connection's next answer could wait for the
    # client's delayed ACK (40 ms on Linux) — a wait no real API has, which bounded the bench.
    disable_nagle_algorithm = True
    routes, synthetic, sizes = [], 0, (25, 200)
    # (lane, index) → the page's bytes, made ahead by main(); a page not made ahead is made on
    # request and kept.
    pages = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        if parts.path == "/__log":
            with LOCK:
                return self.send(200, {"Content-Type": "application/json"}, json.dumps(LOG).encode())
        entry = {"path": parts.path, "query": query, "time": time.time(),
                 "headers": {k.lower(): v for k, v in self.headers.items()}}
        with LOCK:
            LOG.append(entry)
            if LOG_FILE:
                with open(LOG_FILE, "a") as f:
                    f.write(json.dumps(entry) + "\n")
        if self.synthetic:
            cursor = query.get("cursor", "*")
            index = 0 if cursor == "*" else int(cursor[4:])
            lane = re.search(r"-(\d+)$", query.get("filter", "").split(",")[0])
            lane = int(lane.group(1)) if lane else 0
            body = self.pages.get((lane, index))
            if body is None:
                body = self.pages[(lane, index)] = synthetic_page(index, self.synthetic, *self.sizes, lane=lane)
            return self.send(200, {"Content-Type": "application/json"}, body)
        for i, route in enumerate(self.routes):
            if route["path"] != parts.path or any(query.get(k) != v for k, v in route.get("params", {}).items()):
                continue
            with LOCK:
                n = COUNTERS.get(i, 0)
                COUNTERS[i] = n + 1
            responses = route["responses"]
            return self.answer(responses[min(n, len(responses) - 1)])
        self.send(404, {"Content-Type": "text/plain"}, b"no route for " + self.path.encode())

    def answer(self, r):
        if r.get("delay"):
            time.sleep(r["delay"])
        if r.get("etag") and self.headers.get("If-None-Match") == r["etag"]:
            return self.send(304, {"ETag": r["etag"]}, b"")
        if "file" in r:
            with open(r["file"], "rb") as f:
                body = f.read()
        else:
            body = r.get("body", "").encode()
        headers = dict(r.get("headers", {}))
        if r.get("etag"):
            headers["ETag"] = r["etag"]
        if r.get("gzip") and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if r.get("fault") == "reset":
            self.send_response(r.get("status", 200))
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            # SO_LINGER 0: close with a TCP reset, as a dropped connection looks to the client.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        self.send(r.get("status", 200), headers, body)

    def send(self, status, headers, body):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


def main():
    if sys.argv[1] == "--synthetic":
        args, lanes = sys.argv[2:], 1
        if "--lanes" in args:
            k = args.index("--lanes")
            lanes = int(args[k + 1])
            del args[k:k + 2]
        Handler.synthetic = int(args[0])
        if len(args) > 2:
            Handler.sizes = (int(args[1]), int(args[2]))
        # Made ahead: json.dumps per request held the server to ~10,000 records/s, half the
        # walk's target (the page after the last, the empty one, is made too).
        for lane in range(lanes):
            for index in range(Handler.synthetic + 1):
                Handler.pages[(lane, index)] = synthetic_page(index, Handler.synthetic, *Handler.sizes, lane=lane)
    else:
        with open(sys.argv[1]) as f:
            Handler.routes = json.load(f)["routes"]
    if os.environ.get("REPLAY_EXIT_ON_EOF"):
        # The test holds our stdin open; when it exits (or crashes) the pipe closes and so do we,
        # so a crashed test run leaves no server behind.
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
