#!/usr/bin/env python3
"""bench/get_latency.py — latency of one GET endpoint with C concurrent clients.

Used by bench/deadlines_scale (see docs/benchmarks.md); the standard library only.

Each client is a thread with its own keep-alive connection (http.client). It sends W warm-up
requests (not counted), waits for the other clients, then sends N sequential GET requests and
times each one from sending the request to having read the whole response body. Only status 200
counts as a success; any other status or a transport error is an error. A client stops early
when --max-seconds have passed in the measured phase, so one slow endpoint cannot hold a run for
hours; the RESULT line says how many requests were measured.

Prints one line:
  RESULT requests=N errors=E p50_ms=.. p99_ms=.. max_ms=.. mean_ms=.. bytes=B statuses=200:N,... \
         elapsed_s=.. rps=.. capped=0|1
With --ids LO-HI, each request's path has "{id}" replaced by a random whole number from LO to HI
(each client its own seeded sequence), e.g. --path '/api/v1/cases/{id}' --ids 1-1000000.

bytes is the size of the first measured response body (0 when there was none). Then one line
describing that body: `SHAPE total=T items=I` for a list, or `SHAPE sections=code:total/items,...`
for an agenda.
"""

import argparse
import http.client
import json
import math
import random
import sys
import threading
import time
import urllib.parse


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list (p in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


class Client(threading.Thread):
    def __init__(self, index, args, host, port, path, token, start_barrier):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index = index
        self.args = args
        self.host = host
        self.port = port
        self.path = path
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.start_barrier = start_barrier
        self.latencies = []  # seconds, of the measured requests (errors included)
        self.statuses = {}  # status (or "transport") -> count, measured requests only
        self.errors = 0
        self.first_bytes = None
        self.first_body = None
        self.first_error = None
        self.capped = False
        self.conn = None
        self.failure = None
        self.rng = random.Random(args.seed * 1000003 + index)

    def connect(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.args.timeout)

    def one(self):
        """One GET; returns (status or None, body bytes, seconds)."""
        path = self.path
        if self.args.ids is not None:
            path = path.replace("{id}", str(self.rng.randint(*self.args.ids)))
        t0 = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=self.headers)
            resp = self.conn.getresponse()
            body = resp.read()
            elapsed = time.perf_counter() - t0
            if resp.getheader("Connection", "").lower() == "close":
                self.connect()
            return resp.status, body, elapsed
        except (OSError, http.client.HTTPException) as e:
            elapsed = time.perf_counter() - t0
            self.connect()  # a fresh connection for the next request
            return None, str(e).encode(), elapsed

    def run(self):
        try:
            self.connect()
            for _ in range(self.args.warmup):
                self.one()
            self.start_barrier.wait()
            deadline = time.perf_counter() + self.args.max_seconds
            for i in range(self.args.requests):
                if i > 0 and time.perf_counter() > deadline:
                    self.capped = True
                    break
                status, body, elapsed = self.one()
                self.latencies.append(elapsed)
                key = "transport" if status is None else str(status)
                self.statuses[key] = self.statuses.get(key, 0) + 1
                if status == 200:
                    if self.first_bytes is None:
                        self.first_bytes = len(body)
                        self.first_body = body
                else:
                    self.errors += 1
                    if self.first_error is None:
                        self.first_error = f"{key}: {body[:300]!r}"
        except Exception as e:  # noqa: BLE001 — reported by the main thread
            self.failure = e
            try:
                self.start_barrier.abort()
            except threading.BrokenBarrierError:
                pass
        finally:
            if self.conn is not None:
                self.conn.close()


def main():
    ap = argparse.ArgumentParser(description="Latency of one GET endpoint (p50/p99/max).")
    ap.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    ap.add_argument("--path", required=True, help="the request path, e.g. /api/v1/deadlines")
    ap.add_argument("--token-file", required=True, help="a file holding an API token")
    ap.add_argument("--clients", type=int, default=1, help="concurrent clients (default 1)")
    ap.add_argument("--requests", type=int, default=500, help="measured requests per client")
    ap.add_argument("--warmup", type=int, default=50, help="warm-up requests per client")
    ap.add_argument("--max-seconds", type=float, default=120.0,
                    help="stop measuring after this many seconds (default 120)")
    ap.add_argument("--timeout", type=float, default=60.0, help="per-request timeout, seconds")
    ap.add_argument("--ids", default=None,
                    help="LO-HI: replace {id} in the path by a random number from LO to HI")
    ap.add_argument("--seed", type=int, default=1, help="seed of the random ids (default 1)")
    args = ap.parse_args()
    if args.ids is not None:
        try:
            lo, hi = (int(x) for x in args.ids.split("-", 1))
        except ValueError:
            ap.error("--ids must be LO-HI, e.g. 1-1000000")
        if lo < 1 or hi < lo or "{id}" not in args.path:
            ap.error("--ids needs 1 <= LO <= HI and a path with {id}")
        args.ids = (lo, hi)
    if args.clients < 1 or args.requests < 1 or args.warmup < 0:
        ap.error("--clients and --requests must be at least 1, --warmup at least 0")

    url = urllib.parse.urlsplit(args.url)
    if url.scheme != "http" or not url.hostname:
        ap.error("--url must be http://HOST:PORT")
    with open(args.token_file, encoding="utf-8") as f:
        token = f.read().strip()
    if not token:
        ap.error(f"{args.token_file} holds no token")

    barrier = threading.Barrier(args.clients + 1)
    clients = [Client(i, args, url.hostname, url.port or 80, args.path, token, barrier)
               for i in range(args.clients)]
    for c in clients:
        c.start()
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass
    t0 = time.perf_counter()
    for c in clients:
        c.join()
    elapsed = time.perf_counter() - t0
    for c in clients:
        if c.failure is not None:
            print(f"get_latency: client {c.index} failed: {c.failure!r}", file=sys.stderr)
            return 1

    lat = sorted(x for c in clients for x in c.latencies)
    statuses = {}
    for c in clients:
        for k, v in c.statuses.items():
            statuses[k] = statuses.get(k, 0) + v
    errors = sum(c.errors for c in clients)
    first_bytes = next((c.first_bytes for c in clients if c.first_bytes is not None), 0)
    for c in clients:
        if c.first_error is not None:
            print(f"get_latency: first error (client {c.index}): {c.first_error}", file=sys.stderr)
            break
    ms = [x * 1000.0 for x in lat]
    mean = sum(ms) / len(ms) if ms else float("nan")
    print("RESULT requests=%d errors=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f mean_ms=%.1f "
          "bytes=%d statuses=%s elapsed_s=%.1f rps=%.1f capped=%d" % (
              len(ms), errors, percentile(ms, 50), percentile(ms, 99), ms[-1] if ms else float("nan"),
              mean, first_bytes,
              ",".join(f"{k}:{v}" for k, v in sorted(statuses.items())) or "none",
              elapsed, len(ms) / elapsed if elapsed > 0 else 0.0,
              1 if any(c.capped for c in clients) else 0))
    first_body = next((c.first_body for c in clients if c.first_body is not None), None)
    print("SHAPE " + shape(first_body))
    return 0


def shape(body):
    """What a response holds: list totals or agenda sections."""
    if body is None:
        return "none"
    try:
        doc = json.loads(body)
    except ValueError:
        return "not-json"
    if isinstance(doc, dict) and isinstance(doc.get("sections"), list):
        return "sections=" + ",".join(
            "%s:%s/%d" % (s.get("code"), s.get("total"), len(s.get("items") or []))
            for s in doc["sections"])
    if isinstance(doc, dict) and "items" in doc:
        return "total=%s items=%d" % (doc.get("total"), len(doc.get("items") or []))
    if isinstance(doc, dict) and isinstance(doc.get("groups"), list):
        return "groups=%d motions=%d" % (
            len(doc["groups"]), sum(len(g.get("motions") or []) for g in doc["groups"]))
    if isinstance(doc, dict) and "id" in doc and "state" in doc:
        return "case type=%s state=%s deadlines=%d" % (
            doc.get("type"), doc.get("state"), len(doc.get("deadlines") or []))
    return "other"


if __name__ == "__main__":
    sys.exit(main())
