#!/usr/bin/python3
"""Server crashes under write load: no acknowledged write lost, none half-written, none doubled.

A private PostgreSQL cluster gets the schema, the demo organisation and a registrar token. Client
threads (--threads, default 6) register cases (POST /api/v1/cases, each with its own
Idempotency-Key and a unique marker in the title) and record events on cases already registered
(POST /api/v1/cases/{id}/events with If-Match: distribute, begin_preparation, then notes, each
with a unique marker in `text`), while the script kills `kansli serve` with SIGKILL at random
moments, --kills times (default 100), and starts it again each time. Every request is logged
with its outcome: acknowledged (2xx), rejected (another status) or unanswered (refused, reset,
timed out).

Afterwards, with one clean server, the database is checked:
  - every acknowledged registration is there once, with the id, diarienummer and title of its
    answer; every acknowledged event is there once, as the history row (case, seq = the version
    of the answer, event, marker text);
  - every case is whole: history rows 1..version without a gap, the case's state is that of its
    last row, a registration's rows (register, and distribute for a remiss sent with `to`) share
    one transition id, it has deadlines and reminders, and cases with the same history have the
    same number of deadlines and reminders; no Idempotency-Key is claimed without its response;
  - every unanswered write is either wholly there or wholly absent (counted), and no rejected
    write is there;
  - no diarienummer is answered or stored twice, and the series has no gap (a registration that
    did not commit gives its number back);
  - retrying every unanswered write with its Idempotency-Key gives the stored answer when it was
    there (Idempotent-Replayed, the same case) and carries it out once when it was not; no
    marker is there twice afterwards.

usage: /usr/bin/python3 crash_server.py [--kills 100] [--threads 6] [--seed N] [--keep]
Exit status: 0 when every check holds, 1 on a violation, 2 when the harness itself failed.
Environment: KANSLI_BINARY, PGBIN (see harness.py); KANSLI_TEST_OUTPUT: the request log, the
server and PostgreSQL logs go to $KANSLI_TEST_OUTPUT/reliability/ (else the scratch directory).
"""

import argparse
import collections
import datetime
import json
import os
import random
import shutil
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PORTS = (55100, 55199)
TOKEN_NAME = "crash-registrar"
# A fixed clock: the same history gives the same deadlines and reminders.
NOW = "2025-05-05T10:00:00+02:00"
YEAR = 2025
RECEIVED = "2025-05-02"
ANSWER_BY = "2025-09-30"
TITLE_PREFIX = "Krasch "
TEXT_PREFIX = "Händelse "
SERVER_ENV = {"KANSLI_NOW": NOW, "KANSLI_SCHEDULER": "off", "KANSLI_LOG_LEVEL": "info"}


def log(msg):
    print(msg, flush=True)


def output_dir(name, scratch):
    """$KANSLI_TEST_OUTPUT/reliability/<name>-<time> when set, else <scratch>/out."""
    base = os.environ.get("KANSLI_TEST_OUTPUT")
    if base:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        d = os.path.join(base, "reliability", f"{name}-{stamp}-{os.getpid()}")
    else:
        d = os.path.join(scratch, "out")
    os.makedirs(d, exist_ok=True)
    return d


class Environment:
    """The private cluster, the schema, the organisation, a token, and the server's settings."""

    def __init__(self, name, seed_rng, server_env=None):
        self.scratch = harness.scratch_dir(name)
        self.out = output_dir(name, self.scratch)
        taken = set()
        self.cluster = harness.Cluster(self.scratch, harness.free_port(*PORTS, seed_rng, taken))
        self.server_port = harness.free_port(*PORTS, seed_rng, taken)
        self.server_log = os.path.join(self.out, "server.log")
        self.server_env = dict(SERVER_ENV)
        self.server_env.update(server_env or {})
        self.server = None
        self.token = None

    def setup(self):
        self.cluster.create()
        url = self.cluster.url
        harness.kansli(["migrate"], url)
        harness.kansli(["organs", "load", os.path.join(harness.REPO, "app", "demo",
                                                       "organs.json")], url)
        self.token = harness.create_token(url, TOKEN_NAME, "registrar", self.scratch)

    def start_server(self):
        for attempt in range(3):
            self.server = harness.Server(self.cluster.url, self.server_port, self.server_log,
                                         self.server_env).start()
            try:
                return self.server.wait_ready(30)
            except RuntimeError:
                # The port may have been taken meanwhile by someone else: try another.
                self.server.kill9()
                if attempt == 2:
                    raise
                self.server_port = harness.free_port(*PORTS, random.Random(), {self.cluster.port})

    def finish(self, keep):
        if self.server is not None and self.server.alive():
            self.server.stop()
        try:
            shutil.copy(self.cluster.log, os.path.join(self.out, "postgresql.log"))
        except OSError:
            pass
        if keep:
            log(f"kept: {self.scratch}")
        else:
            self.cluster.destroy()
            if not self.out.startswith(self.scratch):
                shutil.rmtree(self.scratch, ignore_errors=True)

    def log_lines(self, needle):
        n = 0
        try:
            with open(self.server_log, errors="replace") as f:
                for line in f:
                    if needle in line:
                        n += 1
        except OSError:
            pass
        return n


class Workload:
    """Client threads writing through the API; every request is recorded."""

    def __init__(self, env, threads, seed, timeout=30.0):
        self.env = env
        self.threads = threads
        self.seed = seed
        self.timeout = timeout
        self.run_id = "%06x" % random.Random(seed).getrandbits(24)
        self.records = []
        self.lock = threading.Lock()
        self.cases = {}  # id -> {"type", "version", "state"} as last answered
        self.stop_flag = threading.Event()
        self.workers = []

    def port(self):
        return self.env.server_port

    def start(self):
        for i in range(self.threads):
            t = threading.Thread(target=self._run, args=(i,), daemon=True)
            t.start()
            self.workers.append(t)

    def stop(self):
        self.stop_flag.set()
        for t in self.workers:
            t.join(120)

    # -- one request ----------------------------------------------------------------------
    def send(self, method, path, body=None, headers=None, kind="read", marker=None, extra=None):
        rec = {"kind": kind, "method": method, "path": path, "marker": marker,
               "headers": dict(headers or {}), "body": body, "t0": time.monotonic()}
        if extra:
            rec.update(extra)
        try:
            status, h, raw = harness.request(self.port(), method, path, body=body,
                                             token=self.env.token, timeout=self.timeout,
                                             headers=headers)
            rec["status"] = status
            rec["replayed"] = h.get("idempotent-replayed") == "true"
            try:
                rec["response"] = json.loads(raw) if raw else None
            except ValueError:
                rec["response"] = None
                rec["raw"] = raw[:200].decode("utf-8", "replace")
        except OSError as e:
            rec["status"] = None
            rec["error"] = ("refused" if isinstance(e, ConnectionRefusedError)
                            else "timeout" if isinstance(e, socket.timeout)
                            else "reset")
            rec["error_text"] = repr(e)[:200]
        rec["t1"] = time.monotonic()
        with self.lock:
            self.records.append(rec)
        return rec

    def _note_case(self, resp):
        if isinstance(resp, dict) and "id" in resp and "version" in resp:
            with self.lock:
                old = self.cases.get(resp["id"])
                if old is None or old["version"] <= resp["version"]:
                    self.cases[resp["id"]] = {"type": resp["type"], "version": resp["version"],
                                              "state": resp["state"]}

    def _run(self, i):
        rng = random.Random(f"{self.seed}-{i}")
        n = 0
        while not self.stop_flag.is_set():
            n += 1
            marker = f"{self.run_id}-{i}-{n}"
            with self.lock:
                ids = list(self.cases)
            if not ids or rng.random() < 0.4:
                rec = self.register(rng, marker)
            else:
                rec = self.event(rng, marker, rng.choice(ids))
            if rec["status"] is None:
                # Not listening (restarting): do not spin.
                time.sleep(0.2 if rec["error"] == "refused" else 0.02)
            elif rec["status"] >= 500:
                time.sleep(0.05)  # as a client would before trying again

    def register(self, rng, marker):
        kind = rng.random()
        body = {"type": "motion" if kind < 0.5 else "remiss", "title": TITLE_PREFIX + marker,
                "received": RECEIVED}
        if body["type"] == "motion":
            body["submitters"] = [{"name": "Kristina Nero", "party": "V"}]
        else:
            body["sender"] = "Socialdepartementet"
            body["answer_by"] = ANSWER_BY
            if kind > 0.75:
                body["to"] = "fs"  # registered and distributed in one transaction
        rec = self.send("POST", "/api/v1/cases", body, {"Idempotency-Key": "reg-" + marker},
                        kind="register", marker=marker)
        if rec["status"] == 201:
            self._note_case(rec["response"])
        return rec

    def event(self, rng, marker, case_id):
        with self.lock:
            c = dict(self.cases[case_id])
        text = TEXT_PREFIX + marker
        if c["state"] == "registered":
            body = {"event": "distribute", "organ": "rf-pres" if c["type"] == "motion" else "rlk",
                    "to": "fs", "text": text}
        elif c["state"] == "distributed":
            body = {"event": "begin_preparation", "organ": "fs", "text": text}
        else:
            body = {"event": "note", "organ": "fs", "text": text}
        path = f"/api/v1/cases/{case_id}/events"
        headers = {"If-Match": f'"{c["version"]}"', "Idempotency-Key": "ev-" + marker}
        rec = self.send("POST", path, body, headers, kind="event", marker=marker,
                        extra={"case_id": case_id})
        if rec["status"] == 200:
            self._note_case(rec["response"])
        elif rec["status"] in (409, 412):
            r = self.send("GET", f"/api/v1/cases/{case_id}")
            if r["status"] == 200:
                self._note_case(r["response"])
        return rec

    def write_log(self, path):
        with open(path, "w") as f:
            for r in self.records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")


# -- checks --------------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.violations = []
        self.counts = collections.OrderedDict()

    def bad(self, msg):
        if len(self.violations) < 200:
            log("VIOLATION: " + msg)
        self.violations.append(msg)

    def count(self, name, value):
        self.counts[name] = value


def snapshot(cluster):
    """Our cases, their history, deadlines, reminders; idempotency keys; the reference series."""
    cases = {}
    for row in cluster.sql(
            "SELECT c.id, c.reference, c.title, c.type, c.state, c.version, "
            "(SELECT count(*) FROM case_deadlines d WHERE d.case_id = c.id), "
            "(SELECT count(*) FROM reminders r WHERE r.case_id = c.id), "
            "(SELECT count(*) FROM reminders r WHERE r.case_id = c.id AND r.status = 'pending') "
            f"FROM cases c WHERE c.title LIKE '{TITLE_PREFIX}%' ORDER BY c.id"):
        cid = int(row[0])
        cases[cid] = {"id": cid, "reference": row[1], "title": row[2], "type": row[3],
                      "state": row[4], "version": int(row[5]), "deadlines": int(row[6]),
                      "reminders": int(row[7]), "pending": int(row[8]), "history": []}
    for row in cluster.sql(
            "SELECT h.case_id, h.seq, h.event, coalesce(h.from_state, ''), h.to_state, "
            "coalesce(h.text, ''), h.transition_id FROM case_history h JOIN cases c ON "
            f"c.id = h.case_id WHERE c.title LIKE '{TITLE_PREFIX}%' ORDER BY h.case_id, h.seq"):
        cases[int(row[0])]["history"].append(
            {"seq": int(row[1]), "event": row[2], "from": row[3], "to": row[4], "text": row[5],
             "transition": row[6]})
    keys = {row[0]: row[1] for row in cluster.sql(
        "SELECT key, coalesce(status::text, 'NULL') FROM idempotency_keys "
        f"WHERE scope = '{TOKEN_NAME}'")}
    counter = cluster.sql(
        f"SELECT last_number FROM reference_counters WHERE prefix = 'RJL' AND year = {YEAR}")
    all_refs = [r[0] for r in cluster.sql(
        f"SELECT reference FROM cases WHERE reference LIKE 'RJL {YEAR}/%'")]
    return {"cases": cases, "keys": keys,
            "counter": int(counter[0][0]) if counter else 0, "refs": all_refs}


def index(snap):
    by_title = collections.defaultdict(list)
    by_text = collections.defaultdict(list)
    for c in snap["cases"].values():
        by_title[c["title"]].append(c)
        for h in c["history"]:
            if h["text"].startswith(TEXT_PREFIX):
                by_text[h["text"]].append((c, h))
    return by_title, by_text


def check_database(snap, report):
    """Every case whole; keys with responses; references unique and gapless."""
    groups = collections.defaultdict(set)
    for c in snap["cases"].values():
        h = c["history"]
        seqs = [x["seq"] for x in h]
        if seqs != list(range(1, c["version"] + 1)):
            report.bad(f"case {c['id']}: history seqs {seqs} but version {c['version']}")
            continue
        if h[0]["event"] != "register" or h[0]["text"] != c["title"]:
            report.bad(f"case {c['id']}: first history row is {h[0]['event']} {h[0]['text']!r}")
        if h[-1]["to"] != c["state"]:
            report.bad(f"case {c['id']}: state {c['state']} but last history row goes to "
                       f"{h[-1]['to']}")
        for a, b in zip(h, h[1:]):
            if b["from"] != a["to"]:
                report.bad(f"case {c['id']}: row {b['seq']} from {b['from']} after {a['to']}")
        if len(h) >= 2 and h[1]["event"] == "distribute" and h[1]["text"] == "":
            # Registered with `to`: both rows in the registering transaction.
            if h[1]["transition"] != h[0]["transition"]:
                report.bad(f"case {c['id']}: registration rows in two transactions")
        if c["deadlines"] == 0 or c["reminders"] == 0:
            report.bad(f"case {c['id']}: {c['deadlines']} deadlines, {c['reminders']} reminders")
        signature = (c["type"], tuple(x["event"] for x in h))
        groups[signature].add((c["deadlines"], c["reminders"], c["pending"]))
    for sig, variants in groups.items():
        if len(variants) > 1:
            report.bad(f"cases with history {sig} differ in (deadlines, reminders, pending): "
                       f"{sorted(variants)}")
    nulls = [k for k, s in snap["keys"].items() if s == "NULL"]
    if nulls:
        report.bad(f"{len(nulls)} Idempotency-Keys claimed without a response, e.g. {nulls[:3]}")
    refs = snap["refs"]
    dup = [r for r, n in collections.Counter(refs).items() if n > 1]
    if dup:
        report.bad(f"references stored twice: {dup[:5]}")
    numbers = sorted(int(r.split("/")[1]) for r in refs)
    if numbers != list(range(1, snap["counter"] + 1)):
        missing = sorted(set(range(1, snap["counter"] + 1)) - set(numbers))
        report.bad(f"series RJL {YEAR}: {len(numbers)} cases, counter {snap['counter']}, "
                   f"missing {missing[:10]}")
    report.count("database duplicate references", len(dup))
    report.count("series gaps", max(0, snap["counter"] - len(set(numbers))))


def classify(records):
    writes = [r for r in records if r["kind"] in ("register", "event")]
    acked = [r for r in writes if r["status"] is not None and 200 <= r["status"] < 300]
    rejected = [r for r in writes if r["status"] is not None and not 200 <= r["status"] < 300]
    unanswered = [r for r in writes if r["status"] is None]
    return writes, acked, rejected, unanswered


def present(rec, by_title, by_text):
    """The rows of REC's write in the database: [] or [(case, row)]."""
    if rec["kind"].endswith("register"):
        return [(c, c["history"][0]) for c in by_title.get(TITLE_PREFIX + rec["marker"], [])
                if c["history"]]
    return by_text.get(TEXT_PREFIX + rec["marker"], [])


def check_writes(records, snap, report):
    """Acknowledged writes present as answered; unanswered wholly there or absent; rejected
    absent. Returns the unanswered writes with whether each was there."""
    by_title, by_text = index(snap)
    writes, acked, rejected, unanswered = classify(records)
    missing = 0
    for r in acked:
        found = present(r, by_title, by_text)
        resp = r["response"] or {}
        if len(found) != 1:
            missing += 1
            report.bad(f"acknowledged {r['kind']} {r['marker']} found {len(found)} times")
            continue
        c, h = found[0]
        if r["kind"] == "register":
            if (c["id"] != resp.get("id") or c["reference"] != resp.get("reference")
                    or c["title"] != r["body"]["title"]):
                report.bad(f"registration {r['marker']}: answered {resp.get('id')} "
                           f"{resp.get('reference')}, stored {c['id']} {c['reference']}")
        else:
            if (c["id"] != r["case_id"] or h["seq"] != resp.get("version")
                    or h["event"] != r["body"]["event"]):
                report.bad(f"event {r['marker']}: answered case {r['case_id']} version "
                           f"{resp.get('version')}, stored case {c['id']} seq {h['seq']} "
                           f"{h['event']}")
    present_n = absent_n = 0
    for r in unanswered:
        found = present(r, by_title, by_text)
        if len(found) > 1:
            report.bad(f"unanswered {r['kind']} {r['marker']} stored {len(found)} times")
        r["was_present"] = bool(found)
        if found:
            present_n += 1
        else:
            absent_n += 1
            if r["kind"] == "register" and ("reg-" + r["marker"]) in snap["keys"]:
                report.bad(f"registration {r['marker']}: key stored without the case")
            if r["kind"] == "event" and ("ev-" + r["marker"]) in snap["keys"]:
                report.bad(f"event {r['marker']}: key stored without the history row")
    rejected_present = 0
    in_doubt_unknown = 0
    for r in rejected:
        if present(r, by_title, by_text):
            msg = json.dumps(r.get("response"), ensure_ascii=False)
            if r["status"] == 503 and "not known yet" in msg:
                in_doubt_unknown += 1  # the server said it could not tell: allowed
                continue
            rejected_present += 1
            report.bad(f"rejected {r['kind']} {r['marker']} ({r['status']}) is stored")
    ref_answers = [r["response"]["reference"] for r in acked
                   if r["kind"] == "register" and not r.get("replayed")]
    dup_answers = [x for x, n in collections.Counter(ref_answers).items() if n > 1]
    if dup_answers:
        report.bad(f"one reference answered to two registrations: {dup_answers[:5]}")
    statuses = collections.Counter(r["status"] for r in rejected)
    errors = collections.Counter(r["error"] for r in unanswered)
    report.count("write requests", len(writes))
    report.count("registrations", sum(1 for r in writes if r["kind"] == "register"))
    report.count("events", sum(1 for r in writes if r["kind"] == "event"))
    report.count("acknowledged", len(acked))
    report.count("rejected by status", dict(sorted(statuses.items())))
    report.count("unanswered", len(unanswered))
    report.count("unanswered by kind", dict(sorted(errors.items())))
    report.count("unanswered found present", present_n)
    report.count("unanswered found absent", absent_n)
    report.count("acknowledged missing", missing)
    report.count("rejected but stored", rejected_present)
    report.count("in-doubt 503 stored", in_doubt_unknown)
    report.count("duplicate references answered", len(dup_answers))
    return unanswered


def retry_unanswered(workload, unanswered, report):
    """Sends every unanswered write again with its key; returns the retry records."""
    retries = []
    for r in unanswered:
        rr = workload.send(r["method"], r["path"], r["body"], r["headers"],
                           kind="retry-" + r["kind"], marker=r["marker"],
                           extra={"case_id": r.get("case_id"), "was_present": r["was_present"]})
        retries.append(rr)
        if rr["status"] is None:
            report.bad(f"retry of {r['marker']} got no answer ({rr['error']})")
    return retries


def check_retries(retries, snap, report):
    """After the retries: every marker at most once; a present write replayed as stored, an
    absent one carried out once (or refused, for an event whose If-Match is stale now)."""
    by_title, by_text = index(snap)
    outcome = collections.Counter()
    for rr in retries:
        found = present(rr, by_title, by_text)
        resp = rr.get("response") or {}
        if len(found) > 1:
            report.bad(f"after retry {rr['marker']} is stored {len(found)} times")
            continue
        ok = rr["status"] is not None and 200 <= rr["status"] < 300
        if rr["was_present"]:
            outcome["present, replayed" if rr.get("replayed") else "present, not replayed"] += 1
            if not ok or not rr.get("replayed"):
                report.bad(f"retry of stored {rr['marker']}: {rr['status']} "
                           f"replayed={rr.get('replayed')}")
        else:
            outcome[f"absent, {rr['status']}" + (" replayed" if rr.get("replayed") else "")] += 1
            if ok and rr.get("replayed"):
                report.bad(f"retry of absent {rr['marker']} replayed a stored answer")
            if ok != bool(found):
                report.bad(f"retry of absent {rr['marker']}: {rr['status']}, stored "
                           f"{len(found)} times")
            if not ok and rr["kind"] == "retry-register":
                report.bad(f"retry of absent registration {rr['marker']}: {rr['status']}")
        if ok and found:
            c, h = found[0]
            if rr["kind"] == "retry-register":
                if c["id"] != resp.get("id") or c["reference"] != resp.get("reference"):
                    report.bad(f"retry of {rr['marker']} answered {resp.get('id')}, stored "
                               f"{c['id']}")
            elif h["seq"] != resp.get("version") or c["id"] != rr["case_id"]:
                report.bad(f"retry of {rr['marker']} answered version {resp.get('version')}, "
                           f"stored seq {h['seq']}")
    report.count("retries of unanswered writes", dict(sorted(outcome.items())))
    # Answers to retries may not repeat a reference either (replays excepted).
    refs = [r["response"]["reference"] for r in retries
            if r["kind"] == "retry-register" and r["status"] == 201 and not r.get("replayed")]
    stored = set(c["reference"] for c in snap["cases"].values())
    if len(refs) != len(set(refs)) or not set(refs) <= stored:
        report.bad("retried registrations answered duplicate or unstored references")


def replay_sample(workload, acked, rng, report, n=100):
    """A sample of acknowledged writes sent again: the same answer, replayed."""
    bad = 0
    sample = rng.sample(acked, min(n, len(acked)))
    for r in sample:
        rr = workload.send(r["method"], r["path"], r["body"], r["headers"], kind="replay",
                           marker=r["marker"])
        if rr["status"] != r["status"] or not rr.get("replayed") or \
                rr.get("response") != r["response"]:
            bad += 1
            report.bad(f"repeat of acknowledged {r['marker']}: {rr['status']} "
                       f"replayed={rr.get('replayed')}")
    report.count("acknowledged writes repeated (replay checked)", len(sample))
    report.count("repeats not replayed identically", bad)


def final_checks(env, workload, report, rng):
    """The checks after the crashes, with a working server and database."""
    records = list(workload.records)
    snap = snapshot(env.cluster)
    check_database(snap, report)
    unanswered = check_writes(records, snap, report)
    retries = retry_unanswered(workload, unanswered, report)
    snap2 = snapshot(env.cluster)
    check_database(snap2, report)
    check_retries(retries, snap2, report)
    _, acked, _, _ = classify(records)
    replay_sample(workload, acked, rng, report)
    report.count("cases at the end", len(snap2["cases"]))
    report.count("history rows at the end", sum(len(c["history"]) for c in
                                                snap2["cases"].values()))


def print_report(report, title):
    log(f"== {title}")
    for k, v in report.counts.items():
        log(f"  {k}: {v}")
    log(f"  violations: {len(report.violations)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--threads", type=int, default=6)
    ap.add_argument("--min-run", type=float, default=0.1,
                    help="least seconds of load between a restart and the next kill")
    ap.add_argument("--max-run", type=float, default=1.5,
                    help="most seconds of load between a restart and the next kill")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    log(f"crash_server: seed {seed}, {args.kills} kills, {args.threads} threads, "
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M:%S} UTC, "
        f"load average {os.getloadavg()[0]:.2f}")
    env = Environment("crashsrv", rng)
    report = Report()
    started = time.monotonic()
    try:
        env.setup()
        env.start_server()
        log(f"  cluster and server ready after {time.monotonic() - started:.1f} s")
        workload = Workload(env, args.threads, seed)
        workload.start()
        restart_times = []
        for k in range(args.kills):
            time.sleep(rng.uniform(args.min_run, args.max_run))
            env.server.kill9()
            if rng.random() < 0.3:
                time.sleep(rng.uniform(0, 0.5))  # sometimes stay down a little
            restart_times.append(env.start_server())
            if (k + 1) % 10 == 0:
                log(f"  {k + 1} kills, {len(workload.records)} requests")
        time.sleep(args.min_run + 0.5)
        workload.stop()
        log(f"  crashes done after {time.monotonic() - started:.1f} s")
        report.count("kills", args.kills)
        report.count("restart to ready, max s", round(max(restart_times, default=0), 3))
        final_checks(env, workload, report, rng)
        report.count("commit_in_doubt log lines", env.log_lines("event=commit_in_doubt"))
        report.count("seconds", round(time.monotonic() - started, 1))
        workload.write_log(os.path.join(env.out, "requests.jsonl"))
        print_report(report, "server crashes")
        log(f"logs: {env.out}")
    except Exception as e:  # the harness failed, not the server
        log(f"harness failure: {e!r}")
        env.finish(keep=True)
        return 2
    env.finish(args.keep)
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
