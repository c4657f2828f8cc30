#!/usr/bin/python3
"""A hung database: a held row lock, then PostgreSQL frozen (SIGSTOP) under load.

Runs the real `kansli serve` against a private cluster (harness.py) and checks:

(a) lock: a psql session holds SELECT ... FOR UPDATE on one case's row; an event on that case
    answers 503 within 15 s (lock_timeout), while events on other cases and reads of the locked
    case keep answering 2xx; after the lock is released the event succeeds.
(b) freeze: every PostgreSQL process is stopped with SIGSTOP for --freeze-seconds while client
    threads keep reading (GET a case, GET the list) and writing (registrations, each with its
    own title); every request must be answered within 15 s, only 2xx or 503; /readyz must say
    503 while frozen; after SIGCONT the server must answer 2xx again within 10 s by itself, no
    transaction may stay open longer than 30 s (pg_stat_activity.xact_start), and every
    registration answered 201 must be in the database. The figures are printed.

Exit status 0 when every check holds, 1 when one does not, 2 when the harness itself failed.
"""

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

LIMIT = 15.0           # every request answered within this many seconds
RECOVERY_LIMIT = 10.0  # 2xx again within this many seconds of SIGCONT
XACT_LIMIT = 30.0      # no transaction open longer than this


def log(msg):
    print(msg, flush=True)


def percentile(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def register(port, token, title):
    body = {"type": "motion", "title": title, "received": "2026-11-02", "officer": "Eva Lind",
            "submitters": [{"name": "Mikael Ekvall", "party": "V"}]}
    return harness.request(port, "POST", "/api/v1/cases", body, token, timeout=60)


def distribute(port, token, case_id):
    event = {"event": "distribute", "organ": "rf-pres", "to": "fs", "date": "2026-11-03"}
    return harness.request(port, "POST", f"/api/v1/cases/{case_id}/events", event, token,
                           timeout=60)


def timed(fn, *args):
    t0 = time.monotonic()
    try:
        status, _, body = fn(*args)
    except OSError as e:
        return None, time.monotonic() - t0, str(e).encode()
    return status, time.monotonic() - t0, body


class Psql:
    """An interactive psql session as the cluster superuser, kept open (a held lock)."""

    def __init__(self, cluster):
        args = [f"{harness.PGBIN}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h",
                cluster.sockdir, "-p", str(cluster.port), "-d", "kansli"]
        if os.geteuid() == 0:
            args = ["runuser", "-u", cluster.owner, "--"] + args
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, cwd="/", text=True)

    def send(self, sql):
        self.proc.stdin.write(sql + "\n")
        self.proc.stdin.flush()

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# --- (a) a held row lock ------------------------------------------------------------------------


def lock_test(cluster, port, registrar, secretary):
    violations = []
    ids = []
    for i in range(2):
        status, _, raw = register(port, registrar, f"Låstest {i}")
        if status != 201:
            raise RuntimeError(f"registration answered {status}: {raw[:200]!r}")
        ids.append(json.loads(raw)["id"])
    locked, free = ids
    psql = Psql(cluster)
    try:
        psql.send(f"BEGIN; SELECT id FROM cases WHERE id = {locked} FOR UPDATE;")
        t0 = time.monotonic()
        while True:
            rows = cluster.sql("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a "
                               "USING (pid) WHERE a.state = 'idle in transaction' "
                               "AND a.usename <> 'kansli' AND l.locktype = 'transactionid'")
            if rows and int(rows[0][0]) > 0:
                break
            if time.monotonic() - t0 > 10:
                raise RuntimeError("the psql session did not take the lock")
            time.sleep(0.1)
        results = {}

        def blocked():
            results["locked"] = timed(distribute, port, secretary, locked)

        th = threading.Thread(target=blocked)
        th.start()
        time.sleep(0.5)
        # Meanwhile: another case, and a read of the locked one.
        results["free"] = timed(distribute, port, secretary, free)
        results["read"] = timed(harness.request, port, "GET", f"/api/v1/cases/{locked}", None,
                                secretary)
        th.join(60)
        status, seconds, body = results["locked"]
        log(f"(a) event on the locked case: {status} after {seconds:.2f} s "
            f"({body[:160].decode(errors='replace')})")
        if status != 503 or seconds > LIMIT:
            violations.append(f"(a) the event on the locked case answered {status} after "
                              f"{seconds:.2f} s, not 503 within {LIMIT:.0f} s")
        for name in ("free", "read"):
            status, seconds, _ = results[name]
            what = "event on another case" if name == "free" else "read of the locked case"
            log(f"(a) {what} while the lock was held: {status} after {seconds:.2f} s")
            if status != 200 or seconds > 2.0:
                violations.append(f"(a) {what} answered {status} after {seconds:.2f} s")
        psql.send("ROLLBACK;")
    finally:
        psql.close()
    status, seconds, body = timed(distribute, port, secretary, locked)
    log(f"(a) the same event after the lock was released: {status} after {seconds:.2f} s")
    if status != 200:
        violations.append(f"(a) after the lock was released the event answered {status}: "
                          f"{body[:200]!r}")
    return violations


# --- (b) PostgreSQL frozen ----------------------------------------------------------------------


class Load:
    """Client threads: readers (a case, the list) and writers (registrations)."""

    def __init__(self, port, reader, registrar, case_ids, readers, writers):
        self.port = port
        self.reader = reader
        self.registrar = registrar
        self.case_ids = case_ids
        self.stop = threading.Event()
        self.mu = threading.Lock()
        self.records = []  # (start, kind, status, seconds, body prefix, title)
        self.threads = [threading.Thread(target=self.read_loop, args=(i,))
                        for i in range(readers)]
        self.threads += [threading.Thread(target=self.write_loop, args=(i,))
                         for i in range(writers)]

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(120)

    def record(self, start, kind, status, seconds, body, title=None):
        with self.mu:
            self.records.append((start, kind, status, seconds, body[:300], title))

    def read_loop(self, n):
        i = n
        while not self.stop.is_set():
            i += 1
            if i % 3 == 0:
                path, kind = "/api/v1/cases?limit=20", "list"
            else:
                path, kind = f"/api/v1/cases/{self.case_ids[i % len(self.case_ids)]}", "get"
            start = time.monotonic()
            status, seconds, body = timed(harness.request, self.port, "GET", path, None,
                                          self.reader, 60)
            self.record(start, kind, status, seconds, body)
            time.sleep(0.05)

    def write_loop(self, n):
        i = 0
        while not self.stop.is_set():
            i += 1
            title = f"Frystest {n}-{i}"
            start = time.monotonic()
            status, seconds, body = timed(register, self.port, self.registrar, title)
            self.record(start, "register", status, seconds, body, title)
            time.sleep(0.1)


def sample_readyz(port, stop, out):
    while not stop.is_set():
        start = time.monotonic()
        status, seconds, _ = timed(harness.request, port, "GET", "/readyz", None, None, 60)
        out.append((start, status, seconds))
        time.sleep(0.5)


def describe(records, label):
    if not records:
        log(f"  {label}: no requests")
        return
    statuses = collections.Counter(str(r[2]) for r in records)
    lat = [r[3] for r in records]
    log(f"  {label}: {len(records)} requests, statuses {dict(sorted(statuses.items()))}, "
        f"latency p50 {percentile(lat, 50):.3f} s, p99 {percentile(lat, 99):.3f} s, "
        f"max {max(lat):.3f} s")


def freeze_test(cluster, server, port, registrar, reader, freeze_seconds, readers, writers):
    violations = []
    case_ids = []
    for i in range(20):
        status, _, raw = register(port, registrar, f"Läsfall {i}")
        if status != 201:
            raise RuntimeError(f"registration answered {status}")
        case_ids.append(json.loads(raw)["id"])
    load = Load(port, reader, registrar, case_ids, readers, writers)
    ready = []
    ready_stop = threading.Event()
    ready_thread = threading.Thread(target=sample_readyz, args=(port, ready_stop, ready))
    load.start()
    ready_thread.start()
    time.sleep(5)
    frozen_at = time.monotonic()
    cluster.signal_all(signal.SIGSTOP)
    log(f"(b) PostgreSQL stopped (SIGSTOP) for {freeze_seconds:.0f} s; "
        f"{readers} readers, {writers} writers, /readyz every 0.5 s")
    time.sleep(freeze_seconds)
    thawed_at = time.monotonic()
    cluster.signal_all(signal.SIGCONT)
    # The first 2xx of a fresh request after SIGCONT.
    recovered = None
    while time.monotonic() - thawed_at < 30:
        try:
            status = harness.request(port, "GET", f"/api/v1/cases/{case_ids[0]}", None, reader,
                                     timeout=30)[0]
        except OSError:
            status = None
        if status == 200:
            recovered = time.monotonic() - thawed_at
            break
        time.sleep(0.2)
    # Open transactions, a few times after SIGCONT.
    xact_samples = []
    for delay in (2, 5, 10):
        wait = thawed_at + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        rows = cluster.sql("SELECT coalesce(max(extract(epoch FROM now() - xact_start)), 0), "
                           "count(*) FROM pg_stat_activity WHERE datname = 'kansli' AND "
                           "xact_start IS NOT NULL AND pid <> pg_backend_pid()")
        xact_samples.append((delay, float(rows[0][0]), int(rows[0][1])))
    time.sleep(2)
    load.finish()
    ready_stop.set()
    ready_thread.join(60)
    end = time.monotonic()

    records = load.records
    before = [r for r in records if r[0] < frozen_at]
    during = [r for r in records if frozen_at <= r[0] < thawed_at]
    after = [r for r in records if r[0] >= thawed_at]
    log(f"(b) requests ({len(records)} in {end - frozen_at + 5:.0f} s):")
    describe(before, "before the freeze")
    describe(during, "started while frozen")
    describe([r for r in during if r[1] == "register"], "  of which registrations")
    describe(after, "started after SIGCONT")
    slowest = max(records, key=lambda r: r[3])
    log(f"  slowest: {slowest[1]} {slowest[2]} in {slowest[3]:.3f} s, started "
        f"{slowest[0] - frozen_at:+.1f} s from SIGSTOP")
    for r in records:
        if r[2] is None:
            violations.append(f"(b) a {r[1]} request got no answer: {r[4][:120]!r}")
        elif r[3] > LIMIT:
            violations.append(f"(b) a {r[1]} request took {r[3]:.2f} s ({r[2]}), started "
                              f"{r[0] - frozen_at:+.1f} s from SIGSTOP")
        elif r[2] >= 500 and r[2] != 503:
            violations.append(f"(b) a {r[1]} request answered {r[2]}: {r[4][:160]!r}")
    bad_before = [r for r in before if r[2] not in (200, 201)]
    if bad_before:
        violations.append(f"(b) {len(bad_before)} requests failed before the freeze")
    if not any(r[2] == 503 for r in during):
        violations.append("(b) no request answered 503 while the database was frozen")

    ready_during = [r for r in ready if frozen_at + LIMIT <= r[0] < thawed_at]
    ready_max = max((r[2] for r in ready), default=0.0)
    ready_counts = collections.Counter(str(r[1]) for r in ready if frozen_at <= r[0] < thawed_at)
    log(f"(b) /readyz while frozen: {dict(ready_counts)} (max latency {ready_max:.3f} s over "
        f"the run); from {LIMIT:.0f} s after SIGSTOP: "
        f"{dict(collections.Counter(str(r[1]) for r in ready_during))}")
    first_not_ready = next((r[0] + r[2] - frozen_at for r in ready
                            if r[0] >= frozen_at and r[1] == 503), None)
    if first_not_ready is not None:
        log(f"(b) /readyz first answered 503 {first_not_ready:.1f} s after SIGSTOP")
    if not ready_during or any(r[1] != 503 for r in ready_during):
        violations.append("(b) /readyz did not say 503 throughout the freeze")
    if ready_max > LIMIT:
        violations.append(f"(b) /readyz took {ready_max:.2f} s")

    if recovered is None:
        violations.append("(b) no 2xx within 30 s of SIGCONT")
        log("(b) no 2xx within 30 s of SIGCONT")
    else:
        log(f"(b) first 2xx {recovered:.2f} s after SIGCONT")
        if recovered > RECOVERY_LIMIT:
            violations.append(f"(b) 2xx again only {recovered:.2f} s after SIGCONT")
    tail = [r for r in after if r[0] >= thawed_at + RECOVERY_LIMIT]
    if any(r[2] not in (200, 201) for r in tail):
        violations.append(f"(b) requests still failing {RECOVERY_LIMIT:.0f} s after SIGCONT: "
                          f"{collections.Counter(str(r[2]) for r in tail)}")
    for delay, age, n in xact_samples:
        log(f"(b) SIGCONT + {delay} s: {n} open transactions of kansli's database, the oldest "
            f"{age:.1f} s old")
    if xact_samples[-1][1] > XACT_LIMIT or xact_samples[1][1] > XACT_LIMIT:
        violations.append(f"(b) a transaction open longer than {XACT_LIMIT:.0f} s after SIGCONT: "
                          f"{xact_samples}")

    # Nothing acknowledged is lost; what a 503 claimed holds.
    titles = {row[0] for row in cluster.sql("SELECT title FROM cases WHERE title LIKE "
                                            "'Frystest %'")}
    acked = [r for r in records if r[1] == "register" and r[2] == 201]
    lost = [r[5] for r in acked if r[5] not in titles]
    refused = [r for r in records if r[1] == "register" and r[2] == 503]
    saved_anyway = [r for r in refused if r[5] in titles]
    log(f"(b) registrations: {len(acked)} answered 201, all {len(acked) - len(lost)} found in "
        f"the database" if not lost else f"(b) registrations: {len(lost)} of {len(acked)} "
        "answered 201 are missing")
    log(f"(b) registrations answered 503: {len(refused)}, of which saved after all: "
        f"{len(saved_anyway)}")
    for r in saved_anyway:
        msg = json.loads(r[4]).get("error", {}).get("message", "") if r[4] else ""
        log(f"    saved although 503: {r[5]}: {msg}")
        if "not known" not in msg:
            violations.append(f"(b) registration {r[5]} answered 503 ({msg}) but was saved")
    if lost:
        violations.append(f"(b) acknowledged registrations lost: {lost[:5]}")

    log("(b) server log events: " + ", ".join(
        f"{name} {count}" for name, count in sorted(log_events(server.log_path).items())))
    return violations


def log_events(path):
    counts = collections.Counter()
    with open(path, errors="replace") as f:
        for line in f:
            for name in ("database_call_cut", "database_not_answering",
                         "database_answering_again", "database_statement_cancelled",
                         "commit_in_doubt", "scheduler_failing", "dispatcher_failing",
                         "scheduler_recovered", "dispatcher_recovered"):
                if f"event={name} " in line or line.rstrip().endswith(f"event={name}"):
                    counts[name] += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--freeze-seconds", type=float, default=40)
    ap.add_argument("--readers", type=int, default=6)
    ap.add_argument("--writers", type=int, default=6)
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args()
    directory = harness.scratch_dir("hung")
    log(f"hung_database: binary {harness.binary()}, scratch {directory}, "
        f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load average "
        f"{os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    cluster = harness.Cluster(directory, harness.free_port(55200, 55224))
    server = None
    ok = False
    try:
        cluster.create()
        url = cluster.url
        harness.kansli(["migrate"], url)
        harness.kansli(["organs", "load", os.path.join(harness.REPO, "app", "demo",
                                                       "organs.json")], url)
        registrar = harness.create_token(url, "registrar", "registrar", directory)
        secretary = harness.create_token(url, "secretary", "secretary", directory)
        reader = harness.create_token(url, "reader", "reader", directory)
        port = harness.free_port(55250, 55274)
        server = harness.Server(url, port, os.path.join(directory, "serve.log"),
                                {"KANSLI_NOW": "2026-11-05T10:00:00+01:00"})
        server.start()
        server.wait_ready()
        violations = lock_test(cluster, port, registrar, secretary)
        violations += freeze_test(cluster, server, port, registrar, reader, args.freeze_seconds,
                                  args.readers, args.writers)
        if not server.alive():
            violations.append("the server exited")
        log(f"load average at the end {os.getloadavg()[0]:.2f}")
        if violations:
            log("VIOLATIONS:")
            for v in violations:
                log("  " + v)
            return 1
        log("OK: every request answered within 15 s; the server recovered by itself")
        ok = True
        return 0
    finally:
        if server is not None:
            server.stop()
        try:
            cluster.signal_all(signal.SIGCONT)
        except (OSError, ValueError):
            pass
        cluster.destroy()
        if ok and not args.keep:
            import shutil
            shutil.rmtree(directory, ignore_errors=True)
        else:
            log(f"scratch directory kept: {directory}")


if __name__ == "__main__":
    harness.run_main(main, "hung_database")
