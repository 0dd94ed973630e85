#!/usr/bin/env python3
"""Per-thread CPU of running processes, once a second, from /proc (no perf needed): which thread
of a `literature search` walk is busy and which one waits.

    bench/acquisition/threads.py NAME [NAME…] > threads.log &      (then run the bench)

NAME is matched against the process name (/proc/PID/comm, e.g. "lostdata"). Each line: seconds
since start, then PROCESS/THREAD:CPU% for every thread that used more than 5 % in that second;
the process's main thread is marked MAIN (in a walk it stores the pages; the unnamed other
thread fetches and reads them; "-qos.overcommit" is a dispatch thread: during the walk the
requests asked for ahead, after it the rebuild's cluster thread). Stops when
the processes are gone, or after 120 s.
"""
import os, sys, time

names = sys.argv[1:]
hz = os.sysconf("SC_CLK_TCK")
previous, start = {}, time.time()
while time.time() - start < 120:
    current = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            comm = open(f"/proc/{pid}/comm").read().strip()
            if not any(n in comm for n in names):
                continue
            for tid in os.listdir(f"/proc/{pid}/task"):
                fields = open(f"/proc/{pid}/task/{tid}/stat").read().rsplit(")", 1)[1].split()
                thread = ("MAIN" if tid == pid else "") + open(f"/proc/{pid}/task/{tid}/comm").read().strip()
                current[(pid, tid, comm, thread)] = int(fields[11]) + int(fields[12])
        except OSError:
            continue
    busy = [f"{k[2]}/{k[3]}:{(v - previous.get(k, v)) * 100 // hz}%" for k, v in current.items() if v - previous.get(k, v) > 5 * hz // 100]
    if busy:
        print(f"{time.time() - start:5.1f} " + " ".join(busy), flush=True)
    if not current and time.time() - start > 5:
        break
    previous = current
    time.sleep(1)
