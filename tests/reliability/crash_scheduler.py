#!/usr/bin/python3
"""Scheduler crashes under a simulated clock: every due reminder is sent, none is recorded twice.

A private PostgreSQL cluster gets the demo organisation, people and a webhook to receive
reminders, and many motions and remisser (registered and distributed over HTTP by a short-lived
`kansli serve` with its scheduler off) whose deadlines fall due over the simulated period. Then,
for --seconds of wall time, a simulated clock (KANSLI_NOW) moves forward 6 to 30 hours per step.
In each step 2 or 3 `kansli scheduler` processes (long-running, sometimes `--once`) run at that
instant against the database; they are killed with SIGKILL at random moments and restarted, and
now and then one starts with KANSLI_TEST_FAULT=die_after_claim or die_after_delivery_claim. A
step ends when nothing due at its instant is left to do (or after --step-limit seconds), and its
schedulers are stopped, by SIGTERM or SIGKILL at random.

At the end the clock moves past every lease, one clean `kansli scheduler --once` runs, and the
database and the peers are checked:
  - every reminder due by the final instant is fired (one notification) or dropped because a
    later reminder of the same deadline, also due and fired, superseded it while the clock
    jumped over both (no step that finished its work ran between their fire times); no other
    outcome (nothing changes the cases during the run, so no deadline is met or moved);
  - no reminder has two notifications, no deadline step was notified twice, no notification has
    two deliveries to one target, and every fired on-day or overdue reminder planned its
    successor;
  - every delivery is sent, and each e-mail arrived at the SMTP sink (tests/support/peers/
    smtp_sink.py: Message-ID <kansli-delivery-ID@domain>, envelope recipient = target) and each
    webhook at the receiver (tests/support/peers/webhook_receiver.py: Idempotency-Key
    kansli-delivery-ID); nothing arrived that the database does not record as sent.
Sending is at least once: a scheduler killed between handing a message to the peer and
recording it as sent leaves its lease to expire, and the next one sends it again with the same
Message-ID / Idempotency-Key. Those repeats are counted separately ("peer duplicates"); each
needs the kill of a process with a sender running (SIGKILL, or SIGTERM before a handler is in
place), so there can be at most one per killed sender thread, which is checked.

usage: /usr/bin/python3 crash_scheduler.py [--seconds 600] [--cases 400] [--span-days 365]
                                           [--seed N] [--keep]
Exit status: 0 when every check holds, 1 on a violation, 2 when the harness itself failed.
Environment: KANSLI_BINARY (see harness.py).
"""

import argparse
import bisect
import collections
import concurrent.futures
import datetime
import email.parser
import email.policy
import glob
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PORTS = (55300, 55399)
PEERS = os.path.join(harness.REPO, "tests", "support", "peers")
MAIL_FROM = "kansli@rjl.test"
LEASE_SECONDS = 20
DISPATCHERS = 2
SIM_START = datetime.datetime(2025, 1, 6, 5, 0, tzinfo=datetime.timezone.utc)
OFFICERS = [f"Handläggare {i:02d}" for i in range(1, 13)]


def log(msg):
    print(msg, flush=True)


def rfc3339(t):
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sql_instant(t):
    return "'" + t.astimezone(datetime.timezone.utc).isoformat() + "'::timestamptz"


def accepts(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Peer:
    """A peer script from tests/support/peers writing what it receives into DIR."""

    def __init__(self, script, port, directory, logfile):
        self.port = port
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.log = open(logfile, "ab")
        self.proc = subprocess.Popen(["/usr/bin/python3", os.path.join(PEERS, script), str(port),
                                      directory], stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        for _ in range(150):
            if accepts(port):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"{script} did not start on port {port}; see {logfile}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# --- setup --------------------------------------------------------------------------------------


def add_people(url, port, admin, webhook_port):
    """The kansli mailbox and the webhook with the command line, the people over the admin API."""
    harness.kansli(["recipients", "add", "--name", "Kansliet", "--email", "kansliet@rjl.test",
                    "--function", "kansli"], url)
    harness.kansli(["webhooks", "add", "--url", f"http://127.0.0.1:{webhook_port}/kansli",
                    "--secret", "delad-hemlighet-" + os.urandom(8).hex()], url)
    people = [{"name": name, "email": f"hl{i:02d}@rjl.test", "function": "officer"}
              for i, name in enumerate(OFFICERS, 1)]
    people += [{"name": f"Sekreterare {o}", "email": f"sekreterare-{o}@rjl.test",
                "function": "secretary", "organ": o} for o in ("fs", "ana", "tim", "rs")]
    people += [{"name": f"Ordförande {o}", "email": f"ordforande-{o}@rjl.test",
                "function": "chair", "organ": o}
               for o in ("fs-pres", "ana-pres", "tim-pres", "rf-pres")]
    for body in people:
        status, _, raw = harness.request(port, "POST", "/api/v1/recipients", body, admin)
        if status != 201:
            raise RuntimeError(f"POST /api/v1/recipients answered {status}: {raw[:300]!r}")


def register_cases(port, registrar, secretary, n, span_days, rng):
    """N cases, half motions (received up to 7 months before the start, so their answer_due
    falls in the first six months and later deadlines after) and half remisser (answer_by spread
    over SPAN_DAYS)."""
    start = SIM_START.date()
    jobs = []
    for i in range(n):
        officer = rng.choice(OFFICERS)
        if i % 2 == 0:
            received = start - datetime.timedelta(days=rng.randint(1, 215))
            body = {"type": "motion", "title": f"Motion {i} om kollektivtrafik",
                    "received": received.isoformat(), "officer": officer,
                    "submitters": [{"name": "Mikael Ekvall", "party": "V"}]}
            event = {"event": "distribute", "organ": "rf-pres",
                     "to": rng.choice(["fs", "ana", "tim"]),
                     "date": (received + datetime.timedelta(days=1)).isoformat()}
        else:
            received = start - datetime.timedelta(days=rng.randint(1, 40))
            answer_by = start + datetime.timedelta(days=rng.randint(1, span_days))
            body = {"type": "remiss", "title": f"Remiss {i} om regional utveckling",
                    "received": received.isoformat(), "sender": "Socialdepartementet",
                    "answer_by": answer_by.isoformat(), "officer": officer,
                    "to": rng.choice(["fs", "ana", "tim", "rs"])}
            event = None
        jobs.append((body, event))

    def one(job):
        body, event = job
        for _ in range(5):
            try:
                status, _, raw = harness.request(port, "POST", "/api/v1/cases", body, registrar)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the server did not answer a registration")
        if status != 201:
            raise RuntimeError(f"registration answered {status}: {raw[:300]!r}")
        case_id = json.loads(raw)["id"]
        if event:
            status, _, raw = harness.request(port, "POST", f"/api/v1/cases/{case_id}/events",
                                             event, secretary)
            if status != 200:
                raise RuntimeError(f"distribute answered {status}: {raw[:300]!r}")
        return case_id

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, jobs))


# --- the schedulers -----------------------------------------------------------------------------


class Fleet:
    """The scheduler processes of the current step, and what happened to every one of them."""

    def __init__(self, url, directory, smtp_port, rng):
        self.url = url
        self.directory = directory
        self.smtp_port = smtp_port
        self.rng = rng
        self.procs = []  # (Process, kind, fault)
        self.started = 0
        self.started_once = 0
        self.kills = 0  # SIGKILL of a live process
        self.killed_senders = 0  # sender threads those processes had
        self.fault_runs = collections.Counter()
        self.fault_exits = 0
        self.clean_exits = 0
        self.term_deaths = 0  # ended by SIGTERM's default action (no handler installed yet)
        self.bad_exits = []
        self.serial = 0

    def env(self, now, fault):
        e = {"KANSLI_NOW": rfc3339(now), "KANSLI_SMTP_URL": f"smtp://127.0.0.1:{self.smtp_port}",
             "KANSLI_MAIL_FROM": MAIL_FROM, "KANSLI_PUBLIC_URL": "https://kansli.rjl.test",
             "KANSLI_DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
             "KANSLI_DISPATCHERS": str(DISPATCHERS), "KANSLI_POLL_MS": "100",
             "KANSLI_DB_POOL": "4", "KANSLI_LOG_LEVEL": "info"}
        if fault:
            e["KANSLI_TEST_FAULT"] = fault
        return e

    def start(self, now):
        once = self.rng.random() < 0.25
        fault = ""
        r = self.rng.random()
        if r < 0.06:
            fault = "die_after_claim"
        elif r < 0.12:
            fault = "die_after_delivery_claim"
        self.serial += 1
        logfile = os.path.join(self.directory, "logs", f"scheduler-{self.serial:05d}.log")
        p = harness.Process(["scheduler", "--once"] if once else ["scheduler"], self.url, logfile,
                            self.env(now, fault)).start()
        self.started += 1
        self.started_once += once
        if fault:
            self.fault_runs[fault] += 1
        self.procs.append((p, "once" if once else "long", fault))

    def reap(self):
        """Forgets the processes that exited by themselves; returns how many did."""
        gone = 0
        for entry in list(self.procs):
            p, kind, fault = entry
            if p.alive():
                continue
            code = p.proc.returncode
            p.log.close()
            self.procs.remove(entry)
            gone += 1
            if code == 70 and fault:
                self.fault_exits += 1
            elif code == 0:
                self.clean_exits += 1
            else:
                self.bad_exits.append((p.log_path, code))
        return gone

    def kill_one(self):
        live = [e for e in self.procs if e[0].alive()]
        if not live:
            return
        entry = self.rng.choice(live)
        p, kind, _ = entry
        p.kill9()
        self.procs.remove(entry)
        self.kills += 1
        self.killed_senders += DISPATCHERS if kind == "long" else 1

    def stop_all(self):
        """Ends a step: SIGKILL or SIGTERM, at random."""
        for entry in list(self.procs):
            p, kind, _ = entry
            if not p.alive():
                continue
            if self.rng.random() < 0.5:
                p.kill9()
                self.kills += 1
                self.killed_senders += DISPATCHERS if kind == "long" else 1
                self.procs.remove(entry)
            else:
                p.stop(timeout=30)
                code = p.proc.returncode
                self.procs.remove(entry)
                if code == -signal.SIGTERM:
                    # `--once`, and a long-running one still starting, do not catch SIGTERM: that
                    # is a kill in the middle of its work too.
                    self.term_deaths += 1
                    self.killed_senders += DISPATCHERS if kind == "long" else 1
                elif code in (0, 70):
                    self.clean_exits += code == 0
                    self.fault_exits += code == 70
                else:
                    self.bad_exits.append((p.log_path, code))
        self.reap()


def work_left(cluster, now):
    """(reminders due and pending, deliveries due, pending and not leased) at NOW."""
    t = sql_instant(now)
    row = cluster.sql(
        f"SELECT (SELECT count(*) FROM reminders WHERE status = 'pending' AND fire_at <= {t}), "
        f"(SELECT count(*) FROM deliveries WHERE status = 'pending' AND next_attempt_at <= {t} "
        f"AND (lease_until IS NULL OR lease_until <= {t}))")[0]
    return int(row[0]), int(row[1])


def simulate(cluster, fleet, seconds, step_limit, rng):
    now = SIM_START
    steps = 0
    stalled = 0
    drained = []  # the instants of the steps that finished everything due
    t_end = time.monotonic() + seconds
    while time.monotonic() < t_end:
        now = now + datetime.timedelta(seconds=rng.randint(6 * 3600, 30 * 3600))
        steps += 1
        for _ in range(rng.choice((2, 3, 3))):
            fleet.start(now)
        step_start = time.monotonic()
        next_kill = step_start + rng.expovariate(1 / 0.4)
        while True:
            time.sleep(0.05)
            if time.monotonic() >= next_kill:
                if rng.random() < 0.5:
                    fleet.kill_one()
                next_kill = time.monotonic() + rng.expovariate(1 / 0.4)
            fleet.reap()
            while len(fleet.procs) < 2:
                fleet.start(now)
            reminders, deliveries = work_left(cluster, now)
            if reminders == 0 and deliveries == 0:
                drained.append(now)
                break
            if time.monotonic() - step_start > step_limit or time.monotonic() > t_end + 30:
                stalled += 1
                break
        fleet.stop_all()
        if steps % 25 == 0:
            log(f"  step {steps}: simulated {rfc3339(now)}, {fleet.started} schedulers started, "
                f"{fleet.kills} killed, {time.monotonic() - (t_end - seconds):.0f} s")
    return now, steps, stalled, drained


# --- the checks ---------------------------------------------------------------------------------


def read_sink(directory):
    """{delivery id: [envelope recipients of each copy]}, plus Message-IDs it cannot place."""
    got = collections.defaultdict(list)
    strange = []
    parser = email.parser.BytesParser(policy=email.policy.compat32)
    pattern = re.compile(r"^<kansli-delivery-(\d+)@" + re.escape(MAIL_FROM.split("@")[1]) + ">$")
    for path in sorted(glob.glob(os.path.join(directory, "*.eml"))):
        with open(path, "rb") as f:
            msg = parser.parse(f, headersonly=True)
        m = pattern.match((msg["Message-ID"] or "").strip())
        if not m:
            strange.append(path)
            continue
        got[int(m.group(1))].append((msg["X-Rcpt-To"] or "").strip())
    return got, strange


def read_hooks(directory):
    got = collections.Counter()
    strange = []
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path) as f:
            rec = json.load(f)
        m = re.match(r"^kansli-delivery-(\d+)$", rec["headers"].get("idempotency-key", ""))
        if not m:
            strange.append(path)
            continue
        got[int(m.group(1))] += 1
    return got, strange


def check(cluster, final, smtp_dir, hook_dir, fleet, drained):
    t = sql_instant(final)
    violations = []
    figures = {}

    def one(query):
        return cluster.sql(query)

    def count(query):
        return int(one(query)[0][0])

    status = dict((s, int(n)) for s, n in one(
        f"SELECT status, count(*) FROM reminders WHERE fire_at <= {t} GROUP BY status"))
    figures["reminders_due"] = sum(status.values())
    figures["reminders_fired"] = status.get("fired", 0)
    figures["reminders_pending_after_final_time"] = count(
        f"SELECT count(*) FROM reminders WHERE fire_at > {t}")
    if status.get("pending", 0):
        violations.append(f"{status['pending']} due reminders were never fired")
    if status.get("cancelled", 0):
        violations.append(f"{status['cancelled']} due reminders were cancelled, though no case "
                          "changed")
    # Dropped: only as superseded by a later reminder of the same deadline that did go out.
    drops = one(f"SELECT coalesce(note, ''), count(*) FROM reminders WHERE fire_at <= {t} AND "
                "status = 'dropped' GROUP BY 1")
    superseded = 0
    for note, n in drops:
        if note == "ersatt av en senare påminnelse":
            superseded = int(n)
        else:
            violations.append(f"{n} due reminders dropped with note '{note}'")
    figures["reminders_superseded"] = superseded
    unexplained = count(
        f"SELECT count(*) FROM reminders r WHERE r.fire_at <= {t} AND r.status = 'dropped' AND "
        "r.note = 'ersatt av en senare påminnelse' AND NOT EXISTS (SELECT 1 FROM reminders s "
        "WHERE s.case_id = r.case_id AND s.deadline_seq = r.deadline_seq AND s.deadline_kind = "
        "r.deadline_kind AND s.deadline_due = r.deadline_due AND s.status = 'fired' AND "
        "s.fire_at >= r.fire_at AND s.id <> r.id)")
    if unexplained:
        violations.append(f"{unexplained} reminders dropped as superseded with no later one fired")
    # Superseding is by design when the clock jumped over both fire times (nobody ran in
    # between). A step that finished its work between them should have sent the earlier one:
    # then a crash made it late, which is a violation.
    pairs = one(
        f"SELECT r.id, (extract(epoch FROM r.fire_at) * 1000000)::bigint, (SELECT "
        "(extract(epoch FROM min(s.fire_at)) * 1000000)::bigint FROM reminders s WHERE "
        "s.case_id = r.case_id AND s.deadline_seq = r.deadline_seq AND s.deadline_kind = "
        "r.deadline_kind AND s.deadline_due = r.deadline_due AND s.status = 'fired' AND "
        f"s.fire_at > r.fire_at) FROM reminders r WHERE r.fire_at <= {t} AND "
        "r.status = 'dropped' AND r.note = 'ersatt av en senare påminnelse'")
    marks = sorted(int(x.timestamp() * 1000000) for x in drained)
    late = []
    for rid, fire_us, next_us in pairs:
        if next_us == "":
            continue  # superseded by one with the same fire time (counted above if unfired)
        i = bisect.bisect_left(marks, int(fire_us))
        if i < len(marks) and marks[i] < int(next_us):
            late.append(int(rid))
    figures["superseded_after_a_finished_step"] = len(late)
    if late:
        violations.append(f"{len(late)} reminders were superseded although a step that finished "
                          f"its work ran between their fire times, e.g. {late[:10]}")
    # One notification per fired reminder, none for the others, never two.
    figures["fired_without_notification"] = count(
        "SELECT count(*) FROM reminders r WHERE r.status = 'fired' AND NOT EXISTS "
        "(SELECT 1 FROM notifications n WHERE n.reminder_id = r.id)")
    figures["duplicated_notifications"] = count(
        "SELECT count(*) FROM (SELECT reminder_id FROM notifications WHERE reminder_id IS NOT "
        "NULL GROUP BY reminder_id HAVING count(*) > 1) x")
    figures["notifications_of_unfired"] = count(
        "SELECT count(*) FROM notifications n JOIN reminders r ON r.id = n.reminder_id "
        "WHERE r.status <> 'fired'")
    figures["duplicated_steps"] = count(
        "SELECT count(*) FROM (SELECT 1 FROM reminders r JOIN notifications n ON n.reminder_id = "
        "r.id GROUP BY r.case_id, r.deadline_seq, r.deadline_kind, r.deadline_due, r.step "
        "HAVING count(*) > 1) x")
    figures["notifications"] = count("SELECT count(*) FROM notifications")
    figures["notifications_without_reminder"] = count(
        "SELECT count(*) FROM notifications WHERE reminder_id IS NULL")
    for key, what in (("fired_without_notification", "fired reminders have no notification"),
                      ("duplicated_notifications", "reminders have more than one notification"),
                      ("notifications_of_unfired", "notifications belong to unfired reminders"),
                      ("duplicated_steps", "deadline steps were notified more than once"),
                      ("notifications_without_reminder", "notifications have no reminder")):
        if figures[key]:
            violations.append(f"{figures[key]} {what}")
    # A fired on-day or overdue reminder plans the next overdue step in its transaction.
    figures["overdue_chain_broken"] = count(
        "SELECT count(*) FROM reminders r WHERE r.status = 'fired' AND (r.step = 'on_day' OR "
        "r.step LIKE 'overdue:%') AND NOT EXISTS (SELECT 1 FROM reminders s WHERE s.case_id = "
        "r.case_id AND s.deadline_seq = r.deadline_seq AND s.deadline_kind = r.deadline_kind AND "
        "s.deadline_due = r.deadline_due AND s.step LIKE 'overdue:%' AND s.fire_on > r.fire_on)")
    if figures["overdue_chain_broken"]:
        violations.append(f"{figures['overdue_chain_broken']} fired on-day/overdue reminders "
                          "planned no next overdue step")
    # Deliveries: one per target, all sent.
    figures["deliveries_duplicated_target"] = count(
        "SELECT count(*) FROM (SELECT 1 FROM deliveries GROUP BY notification_id, channel, target "
        "HAVING count(*) > 1) x")
    if figures["deliveries_duplicated_target"]:
        violations.append(f"{figures['deliveries_duplicated_target']} notifications have two "
                          "deliveries to one target")
    figures["notifications_without_delivery"] = count(
        "SELECT count(*) FROM notifications n WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE "
        "d.notification_id = n.id)")
    if figures["notifications_without_delivery"]:
        violations.append(f"{figures['notifications_without_delivery']} notifications have no "
                          "delivery")
    rows = one("SELECT id, channel, target, status, attempts FROM deliveries")
    deliveries = {int(r[0]): (r[1], r[2], r[3], int(r[4])) for r in rows}
    by_status = collections.Counter(d[2] for d in deliveries.values())
    figures["deliveries"] = len(deliveries)
    figures["deliveries_sent"] = by_status.get("sent", 0)
    figures["deliveries_email"] = sum(1 for d in deliveries.values() if d[0] == "email")
    figures["deliveries_webhook"] = sum(1 for d in deliveries.values() if d[0] == "webhook")
    figures["deliveries_attempts_over_1"] = sum(1 for d in deliveries.values() if d[3] > 1)
    if by_status.get("pending", 0) or by_status.get("dead", 0):
        violations.append(f"deliveries not sent: {by_status.get('pending', 0)} pending, "
                          f"{by_status.get('dead', 0)} dead")
    # What the peers received.
    mails, strange_mail = read_sink(smtp_dir)
    hooks, strange_hooks = read_hooks(hook_dir)
    if strange_mail or strange_hooks:
        violations.append(f"{len(strange_mail) + len(strange_hooks)} messages at the peers "
                          f"without a delivery id, e.g. {(strange_mail + strange_hooks)[:3]}")
    missing = []
    wrong_rcpt = []
    unknown = []
    for did, (channel, target, st, _) in deliveries.items():
        if st != "sent":
            continue
        if channel == "email":
            copies = mails.get(did, [])
            if not copies:
                missing.append(did)
            elif any(rcpt != target for rcpt in copies):
                wrong_rcpt.append(did)
        elif not hooks.get(did):
            missing.append(did)
    for did in list(mails) + list(hooks):
        if did not in deliveries or deliveries[did][2] != "sent":
            unknown.append(did)
    figures["sink_messages"] = sum(len(v) for v in mails.values())
    figures["webhook_posts"] = sum(hooks.values())
    figures["missing_at_peers"] = len(missing)
    dup_mail = {d: len(v) - 1 for d, v in mails.items() if len(v) > 1}
    dup_hook = {d: n - 1 for d, n in hooks.items() if n > 1}
    figures["sink_duplicates"] = sum(dup_mail.values())
    figures["webhook_duplicates"] = sum(dup_hook.values())
    if missing:
        violations.append(f"{len(missing)} sent deliveries never reached their peer, e.g. "
                          f"{sorted(missing)[:10]}")
    if wrong_rcpt:
        violations.append(f"{len(wrong_rcpt)} e-mails went to another recipient than their "
                          f"delivery's target, e.g. {sorted(wrong_rcpt)[:10]}")
    if unknown:
        violations.append(f"{len(unknown)} messages at the peers are not recorded as sent, e.g. "
                          f"{sorted(unknown)[:10]}")
    repeats = figures["sink_duplicates"] + figures["webhook_duplicates"]
    if repeats > fleet.killed_senders:
        violations.append(f"{repeats} repeated sends, more than the {fleet.killed_senders} sender "
                          "threads killed: a repeat that no crash explains")
    figures["duplicate_delivery_ids"] = sorted(list(dup_mail) + list(dup_hook))[:20]
    return figures, violations


# --- main ---------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=600,
                    help="wall time the simulated clock runs (default 600)")
    ap.add_argument("--cases", type=int, default=400)
    ap.add_argument("--span-days", type=int, default=365,
                    help="remisser's answer_by dates spread over this many days from the start")
    ap.add_argument("--step-limit", type=float, default=20,
                    help="longest wall time of one step before the clock moves on anyway")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    rng = random.Random(seed)
    directory = harness.scratch_dir("sched")
    os.makedirs(os.path.join(directory, "logs"))
    log(f"crash_scheduler: seed {seed}, binary {harness.binary()}, scratch {directory}")
    taken = set()
    cluster = harness.Cluster(directory, harness.free_port(*PORTS, rng, taken),
                              extra_conf="fsync = off\nsynchronous_commit = off\n")
    peers = []
    server = None
    fleet = None
    ok = False
    try:
        t0 = time.monotonic()
        cluster.create()
        url = cluster.url
        harness.kansli(["migrate"], url)
        harness.kansli(["organs", "load", os.path.join(harness.REPO, "app", "demo", "organs.json")],
                       url)
        smtp = Peer("smtp_sink.py", harness.free_port(*PORTS, rng, taken), os.path.join(directory, "smtp"),
                    os.path.join(directory, "logs", "smtp_sink.log"))
        peers.append(smtp)
        hook = Peer("webhook_receiver.py", harness.free_port(*PORTS, rng, taken), os.path.join(directory, "hook"),
                    os.path.join(directory, "logs", "webhook_receiver.log"))
        peers.append(hook)
        admin = harness.create_token(url, "admin", "admin", directory)
        registrar = harness.create_token(url, "registrar", "registrar", directory)
        secretary = harness.create_token(url, "secretary", "secretary", directory)
        port = harness.free_port(*PORTS, rng, taken)
        server = harness.Server(url, port, os.path.join(directory, "logs", "serve.log"),
                                {"KANSLI_SCHEDULER": "off",
                                 "KANSLI_NOW": rfc3339(SIM_START - datetime.timedelta(hours=1))})
        server.start()
        server.wait_ready()
        add_people(url, port, admin, hook.port)
        ids = register_cases(port, registrar, secretary, args.cases, args.span_days, rng)
        server.stop()
        server = None
        planned = int(cluster.sql("SELECT count(*) FROM reminders")[0][0])
        log(f"setup: {len(ids)} cases ({(len(ids) + 1) // 2} motions distributed, "
            f"{len(ids) // 2} remisser), {planned} reminders planned, "
            f"{time.monotonic() - t0:.0f} s")

        fleet = Fleet(url, directory, smtp.port, rng)
        w0 = time.monotonic()
        last, steps, stalled, drained = simulate(cluster, fleet, args.seconds, args.step_limit,
                                                 rng)
        wall = time.monotonic() - w0
        # A clean pass once every lease has run out.
        final = last + datetime.timedelta(hours=1)
        r = harness.kansli(["scheduler", "--once"], url, env=fleet.env(final, ""), check=False,
                           timeout=300)
        if r.returncode != 0:
            raise RuntimeError(f"the final scheduler pass failed ({r.returncode}): {r.stderr}")
        log(f"final pass at {rfc3339(final)}: {r.stdout.strip()}")
        left = work_left(cluster, final)
        days = (final - SIM_START).total_seconds() / 86400
        figures, violations = check(cluster, final, smtp.directory, hook.directory, fleet,
                                    drained)
        if left != (0, 0):
            violations.append(f"work left after the final pass: {left}")
        if fleet.bad_exits:
            violations.append(f"{len(fleet.bad_exits)} schedulers exited with an unexpected "
                              f"status, e.g. {fleet.bad_exits[:3]}")
        if figures["reminders_due"] == 0 or figures["deliveries"] == 0:
            violations.append("nothing fell due: the run tested nothing")
        log("")
        log(f"wall time {wall:.0f} s, steps {steps} (ended by the step limit: {stalled}), "
            f"simulated {rfc3339(SIM_START)} .. {rfc3339(final)} = {days:.1f} days")
        log(f"schedulers started {fleet.started} ({fleet.started_once} with --once; faults "
            f"die_after_claim {fleet.fault_runs['die_after_claim']}, die_after_delivery_claim "
            f"{fleet.fault_runs['die_after_delivery_claim']}), SIGKILLed {fleet.kills} (sender "
            f"threads killed {fleet.killed_senders}), ended by SIGTERM's default action "
            f"{fleet.term_deaths}, exited by a fault {fleet.fault_exits}, exited cleanly "
            f"{fleet.clean_exits}")
        for k, v in figures.items():
            log(f"  {k}: {v}")
        repeats = figures["sink_duplicates"] + figures["webhook_duplicates"]
        log(f"peer duplicates: {repeats} (a delivery sent, then its process SIGKILLed before "
            "recording it: sent again after the lease with the same Message-ID/Idempotency-Key; "
            f"at most one per killed sender thread, {fleet.killed_senders})")
        if violations:
            log("VIOLATIONS:")
            for v in violations:
                log("  " + v)
            return 1
        log("OK: every due reminder fired once and delivered; none recorded twice")
        ok = True
        return 0
    finally:
        if server is not None:
            server.stop()
        if fleet is not None:
            for p, _, _ in fleet.procs:
                if p.alive():
                    p.kill9()
        for p in peers:
            p.stop()
        cluster.destroy()
        if ok and not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
        else:
            log(f"scratch directory kept: {directory}")


if __name__ == "__main__":
    harness.run_main(main, "crash_scheduler")
