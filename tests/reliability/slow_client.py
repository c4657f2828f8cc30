#!/usr/bin/python3
"""Slow and idle clients against `kansli serve`: what the server itself guarantees.

Runs the real `kansli serve` (KANSLI_HTTP_THREADS=--threads) against a private cluster
(harness.py). While normal clients read cases and register new ones, it opens, for --seconds:

- slowloris clients, three times as many as request threads: each sends a request line and then
  one more header byte per second, never finishing the headers;
- slow-body clients, as many again: complete headers (Content-Length 400) and then one body byte
  per second;
- --idle connections that send nothing at all;
- one honest slow client that sends a valid registration body at 10 bytes per second.

Checks: every normal request is answered 2xx, their p99 latency stays under 2 s (the figures
before and during are printed side by side), the server's thread count does not grow with the
number of slow connections, and the honest slow body is answered 201 once complete. It also
records (without failing on it) whether the server ever closed a slow or idle connection by
itself: the cpprestsdk listener has no such timeouts, so a reverse proxy must enforce them.

Exit status 0 when every check holds, 1 when one does not, 2 when the harness itself failed.
"""

import argparse
import json
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def log(msg):
    print(msg, flush=True)


def percentile(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def threads_of(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class Trickler(threading.Thread):
    """A connection that sends PREFIX at once and then SLOW one byte per INTERVAL seconds (its
    last bytes again and again when SLOW runs out and REPEAT is set). Records whether the server
    closed the connection and what it answered."""

    def __init__(self, port, prefix, slow, interval, stop, repeat=False):
        super().__init__(daemon=True)
        self.port, self.prefix, self.slow, self.interval = port, prefix, slow, interval
        self.stop, self.repeat = stop, repeat
        self.closed_by_server = False
        self.reply = b""
        self.finished_at = None
        self.started_at = None

    def run(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        s.settimeout(0.05)
        self.started_at = time.monotonic()
        try:
            if self.prefix:
                s.sendall(self.prefix)
            i = 0
            while not self.stop.is_set():
                if i < len(self.slow) or self.repeat:
                    b = self.slow[i % len(self.slow)] if self.slow else None
                    if b is not None:
                        s.sendall(bytes([b]))
                    i += 1
                    if i == len(self.slow) and not self.repeat:
                        self.finished_at = time.monotonic()
                deadline = time.monotonic() + self.interval
                while time.monotonic() < deadline and not self.stop.is_set():
                    try:
                        data = s.recv(65536)
                    except socket.timeout:
                        continue
                    if not data:
                        self.closed_by_server = True
                        return
                    self.reply += data
        except (BrokenPipeError, ConnectionResetError):
            self.closed_by_server = True
        finally:
            s.close()


class Normal(threading.Thread):
    """A well-behaved client: GET a case, then register one, in turn, on fresh connections."""

    def __init__(self, port, reader, registrar, case_ids, stop, n):
        super().__init__(daemon=True)
        self.port, self.reader, self.registrar, self.case_ids = port, reader, registrar, case_ids
        self.stop, self.n = stop, n
        self.records = []  # (kind, status, seconds)

    def run(self):
        i = 0
        while not self.stop.is_set():
            i += 1
            if i % 2:
                kind, args = "get", ("GET", f"/api/v1/cases/{self.case_ids[i % len(self.case_ids)]}",
                                     None, self.reader)
            else:
                kind = "register"
                body = {"type": "motion", "title": f"Normal {self.n}-{i}",
                        "received": "2026-11-02", "officer": "Eva Lind",
                        "submitters": [{"name": "Mikael Ekvall", "party": "V"}]}
                args = ("POST", "/api/v1/cases", body, self.registrar)
            t0 = time.monotonic()
            try:
                status = harness.request(self.port, *args, timeout=30)[0]
            except OSError:
                status = None
            self.records.append((kind, status, time.monotonic() - t0))
            time.sleep(0.05)


def run_normal(port, reader, registrar, case_ids, seconds, clients):
    stop = threading.Event()
    normals = [Normal(port, reader, registrar, case_ids, stop, n) for n in range(clients)]
    for t in normals:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in normals:
        t.join(60)
    return [r for t in normals for r in t.records]


def summary(records):
    lat = [r[2] for r in records]
    ok = sum(1 for r in records if r[1] in (200, 201))
    return (f"{len(records)} requests, {ok} 2xx, p50 {percentile(lat, 50) * 1000:.1f} ms, "
            f"p99 {percentile(lat, 99) * 1000:.1f} ms, max {max(lat, default=0) * 1000:.1f} ms")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=40, help="length of the slow-client phase")
    ap.add_argument("--threads", type=int, default=4, help="KANSLI_HTTP_THREADS of the server")
    ap.add_argument("--idle", type=int, default=100, help="idle connections")
    ap.add_argument("--clients", type=int, default=2, help="normal client threads")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args()
    directory = harness.scratch_dir("slow")
    log(f"slow_client: binary {harness.binary()}, scratch {directory}, "
        f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load average "
        f"{os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    cluster = harness.Cluster(directory, harness.free_port(55225, 55249))
    server = None
    ok = False
    stop = threading.Event()
    try:
        cluster.create()
        url = cluster.url
        harness.kansli(["migrate"], url)
        registrar = harness.create_token(url, "registrar", "registrar", directory)
        reader = harness.create_token(url, "reader", "reader", directory)
        port = harness.free_port(55275, 55299)
        server = harness.Server(url, port, os.path.join(directory, "serve.log"),
                                {"KANSLI_HTTP_THREADS": str(args.threads),
                                 "KANSLI_SCHEDULER": "off",
                                 "KANSLI_NOW": "2026-11-05T10:00:00+01:00"})
        server.start()
        server.wait_ready()
        case_ids = []
        for i in range(10):
            status, _, raw = harness.request(port, "POST", "/api/v1/cases",
                                             {"type": "motion", "title": f"Fall {i}",
                                              "received": "2026-11-02", "officer": "Eva Lind",
                                              "submitters": [{"name": "A B", "party": "V"}]},
                                             registrar)
            if status != 201:
                raise RuntimeError(f"registration answered {status}: {raw[:200]!r}")
            case_ids.append(json.loads(raw)["id"])
        phase = min(10.0, args.seconds / 2)
        threads_before = threads_of(server.pid)
        baseline = run_normal(port, reader, registrar, case_ids, phase, args.clients)
        log(f"server: KANSLI_HTTP_THREADS={args.threads}, {threads_before} threads in the "
            f"process, open files limit: " + next(
                (line.split()[3] for line in open(f"/proc/{server.pid}/limits")
                 if line.startswith("Max open files")), "?"))
        log(f"normal clients ({args.clients}) before: {summary(baseline)}")

        n_slow = 3 * args.threads
        loris = [Trickler(port, b"GET /api/v1/cases HTTP/1.1\r\nHost: x\r\nX-Slow: ",
                          b"abcdefghij", 1.0, stop, repeat=True) for _ in range(n_slow)]
        body_len = 400
        slow_bodies = [Trickler(port, (f"POST /api/v1/cases HTTP/1.1\r\nHost: x\r\n"
                                       f"Authorization: Bearer {registrar}\r\n"
                                       f"Content-Type: application/json\r\n"
                                       f"Content-Length: {body_len}\r\n\r\n").encode(),
                                b" " * body_len, 1.0, stop) for _ in range(n_slow)]
        idle = [Trickler(port, b"", b"", 1.0, stop) for _ in range(args.idle)]
        honest_body = json.dumps({"type": "motion", "title": "Långsam men ärlig",
                                  "received": "2026-11-02", "officer": "Eva Lind",
                                  "submitters": [{"name": "A B", "party": "V"}]}).encode()
        honest_rate = 10.0  # bytes per second
        honest = Trickler(port, (f"POST /api/v1/cases HTTP/1.1\r\nHost: x\r\n"
                                 f"Authorization: Bearer {registrar}\r\n"
                                 f"Content-Type: application/json\r\n"
                                 f"Content-Length: {len(honest_body)}\r\n"
                                 f"Connection: close\r\n\r\n").encode(),
                          honest_body, 1.0 / honest_rate, stop)
        everyone = loris + slow_bodies + idle + [honest]
        for t in everyone:
            t.start()
        time.sleep(2)
        threads_during = threads_of(server.pid)
        fds_during = open_fds(server.pid)
        during = run_normal(port, reader, registrar, case_ids, args.seconds - 2, args.clients)
        threads_late = threads_of(server.pid)
        stop.set()
        for t in everyone:
            t.join(10)
        after = run_normal(port, reader, registrar, case_ids, min(5.0, phase), args.clients)

        log(f"slow clients for {args.seconds:.0f} s: {n_slow} slowloris (1 header byte/s), "
            f"{n_slow} slow bodies (1 byte/s of {body_len}), {args.idle} idle connections, "
            f"1 honest body of {len(honest_body)} bytes at {honest_rate:.0f} bytes/s")
        log(f"server threads: {threads_before} before, {threads_during} and {threads_late} "
            f"during; open descriptors during: {fds_during}")
        log(f"normal clients during: {summary(during)}")
        log(f"normal clients after:  {summary(after)}")
        closed = {name: sum(1 for t in group if t.closed_by_server)
                  for name, group in (("slowloris", loris), ("slow body", slow_bodies),
                                      ("idle", idle))}
        log(f"connections the server closed by itself within {args.seconds:.0f} s: {closed}")
        answered = sum(1 for t in slow_bodies if t.reply)
        log(f"slow bodies answered before they were complete: {answered}")
        honest_status = honest.reply.split(b"\r\n", 1)[0].decode(errors="replace")
        took = (honest.finished_at - honest.started_at) if honest.finished_at else None
        log(f"honest slow body: sent in {took:.1f} s, answered '{honest_status}'"
            if took else f"honest slow body: not finished, answered '{honest_status}'")

        violations = []
        for label, recs in (("before", baseline), ("during", during), ("after", after)):
            bad = [r for r in recs if r[1] not in (200, 201)]
            if bad:
                violations.append(f"{len(bad)} normal requests {label} were not 2xx: {bad[:3]}")
            if not recs:
                violations.append(f"no normal requests {label}")
        if percentile([r[2] for r in during], 99) > 2.0:
            violations.append("normal requests' p99 over 2 s while slow clients were connected")
        if threads_during > threads_before + 2 or threads_late > threads_before + 2:
            violations.append(f"the server's threads grew from {threads_before} to "
                              f"{max(threads_during, threads_late)} with slow clients")
        if " 201 " not in honest_status + " ":
            violations.append(f"the honest slow body was answered '{honest_status}', not 201")
        if not server.alive():
            violations.append("the server exited")
        if violations:
            log("VIOLATIONS:")
            for v in violations:
                log("  " + v)
            return 1
        log("OK: slow and idle clients held no request thread; normal clients kept being served")
        ok = True
        return 0
    finally:
        stop.set()
        if server is not None:
            server.stop()
        cluster.destroy()
        if ok and not args.keep:
            import shutil
            shutil.rmtree(directory, ignore_errors=True)
        else:
            log(f"scratch directory kept: {directory}")


if __name__ == "__main__":
    harness.run_main(main, "slow_client")
