#!/usr/bin/env python3
"""A replay server on 127.0.0.1 for lostdata's HTTP tests and the acquisition benchmark.

Standard library only. Started by the tests on an ephemeral port; prints the port on its first
line of stdout and serves until killed.

    replay_server.py CONFIG.json          routes from a file (tests)
    replay_server.py --synthetic PAGES [MIN MAX]   an OpenAlex-shaped walk of PAGES pages of
                                                   MIN-MAX works (default 25-200; bench)

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


def synthetic_page(index, pages, low=25, high=200, seed=7, lane=0):
    """Page `index` (0-based) of a walk: low-high works, an OpenAlex `/works` list response.
    `lane` (the number ending the query's filter, e.g. "…search:bench-2") gives each of several
    queries walked at once works of its own; lane 0 is the single walk."""
    rng = random.Random(seed * 100003 + index + lane * 7919)
    n = rng.randint(low, high) if index < pages else 0
    results = []
    for k in range(n):
        w = (lane * 100000 + index) * 1000 + k
        results.append({
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
        })
    nxt = "page%d" % (index + 1) if index < pages else None
    return json.dumps({"meta": {"count": -1, "next_cursor": nxt, "page": None, "per_page": 200}, "results": results}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    routes, synthetic, sizes = [], 0, (25, 200)

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
            return self.send(200, {"Content-Type": "application/json"},
                             synthetic_page(index, self.synthetic, *self.sizes, lane=int(lane.group(1)) if lane else 0))
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
        Handler.synthetic = int(sys.argv[2])
        if len(sys.argv) > 4:
            Handler.sizes = (int(sys.argv[3]), int(sys.argv[4]))
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
