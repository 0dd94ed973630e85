#!/usr/bin/env python3
"""Peer for bench/acquisition: pyalex (PyPI) walking the same loopback OpenAlex pages with
cursor paging. It fetches and parses (JSON → Work dicts); it stores nothing.
    peer_pyalex.py PORT   → prints "records SECONDS CPU_SECONDS"
"""
import sys, time, resource
import pyalex
from pyalex import Works

import pyalex.api

pyalex.config.openalex_url = "http://127.0.0.1:%s" % sys.argv[1]
# pyalex 0.21 builds list URLs with a hard-coded https://api.openalex.org (BaseOpenAlex.url);
# point its urlunparse at the loopback server so that nothing leaves the machine.
_unparse = pyalex.api.urlunparse
pyalex.api.urlunparse = lambda parts: _unparse(("http", "127.0.0.1:%s" % sys.argv[1]) + tuple(parts[2:]))
pyalex.config.max_retries = 0
start, cpu0 = time.time(), time.process_time()
n = 0
for page in Works().filter(raw_affiliation_strings={"search": "bench"}).paginate(per_page=200, n_max=None):
    n += len(page)
print(n, round(time.time() - start, 3), round(time.process_time() - cpu0, 3),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
