#!/usr/bin/python3
"""Database crashes under write load: 503 while it is down, 2xx again soon after, nothing lost.

The set-up and the clients are those of crash_server.py (registrations and events with
Idempotency-Keys and If-Match, every request logged). One `kansli serve` runs throughout, while
the script stops PostgreSQL in immediate mode (a crash: no checkpoint, recovery at the next
start) at random moments, --crashes times (default 20), and starts it again after a random 1-5 s.

Checked per crash:
  - while the database is down (from the stop until the start), every answer is 503: any other
    status, and any request left without an answer, is a violation; the slowest answer is
    reported (over --max-down-latency seconds is a violation: a hang);
  - after the database is up again the server answers a write with 2xx by itself within 10 s
    (time from `pg_ctl start` returning to the end of the first 2xx of a request sent after it;
    the slowest is reported);
  - the server never answers 500 and does not exit.
Then the checks of crash_server.py: every acknowledged write present as answered, every
unanswered one wholly there or absent, no rejected write stored (a 503 that says the outcome is
not known yet excepted, and counted), no diarienummer twice and no gap in the series, and
retries with the same Idempotency-Key replay or carry out once. The server's
`event=commit_in_doubt` log lines (a COMMIT whose connection broke, resolved by looking the
transition up) are counted.

usage: /usr/bin/python3 crash_database.py [--crashes 20] [--threads 6] [--seed N] [--keep]
Exit status: 0 when every check holds, 1 on a violation, 2 when the harness itself failed.
Environment: as crash_server.py.
"""

import argparse
import datetime
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crash_server as cs  # noqa: E402

RECOVERY_LIMIT = 10.0


def check_cycles(records, cycles, report, max_down_latency):
    """Statuses while down, and the time from the database's return to the first 2xx."""
    down_statuses = {}
    down_other = 0
    down_max_latency = 0.0
    recoveries = []
    for i, cyc in enumerate(cycles):
        down = [r for r in records
                if r["t0"] >= cyc["stopped"] and r["t1"] <= cyc["starting"]]
        for r in down:
            key = r["status"] if r["status"] is not None else r.get("error")
            down_statuses[key] = down_statuses.get(key, 0) + 1
            down_max_latency = max(down_max_latency, r["t1"] - r["t0"])
            if r["status"] != 503:
                down_other += 1
                report.bad(f"crash {i + 1}: {r['method']} {r['path']} while the database was "
                           f"down: {r['status'] if r['status'] is not None else r['error']}")
            elif r["t1"] - r["t0"] > max_down_latency:
                report.bad(f"crash {i + 1}: a 503 took {r['t1'] - r['t0']:.1f} s")
        firsts = [r["t1"] for r in records
                  if r["kind"] in ("register", "event") and r["t0"] >= cyc["up"]
                  and r["status"] is not None and 200 <= r["status"] < 300]
        end = cycles[i + 1]["stopped"] if i + 1 < len(cycles) else float("inf")
        firsts = [t for t in firsts if t <= end]
        if not firsts:
            report.bad(f"crash {i + 1}: no write answered 2xx after the database came back")
            recoveries.append(None)
            continue
        took = min(firsts) - cyc["up"]
        recoveries.append(took)
        if took > RECOVERY_LIMIT:
            report.bad(f"crash {i + 1}: the first 2xx came {took:.1f} s after the database")
    fives = sum(1 for r in records if r["status"] == 500)
    if fives:
        report.bad(f"{fives} answers were 500")
    report.count("requests while down, by outcome", dict(sorted(down_statuses.items(),
                                                                key=str)))
    report.count("requests while down that were not 503", down_other)
    report.count("slowest answer while down, s", round(down_max_latency, 3))
    known = [t for t in recoveries if t is not None]
    report.count("database up to first 2xx write, max s", round(max(known, default=0), 3))
    report.count("database up to first 2xx write, per crash s",
                 [round(t, 2) if t is not None else None for t in recoveries])
    report.count("answers 500", fives)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--crashes", type=int, default=20)
    ap.add_argument("--threads", type=int, default=6)
    ap.add_argument("--min-run", type=float, default=1.0,
                    help="least seconds of load before a crash (after the first 2xx)")
    ap.add_argument("--max-run", type=float, default=3.0,
                    help="most seconds of load before a crash (after the first 2xx)")
    ap.add_argument("--min-down", type=float, default=1.0)
    ap.add_argument("--max-down", type=float, default=5.0)
    ap.add_argument("--max-down-latency", type=float, default=15.0,
                    help="a 503 slower than this while the database is down is a hang")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    cs.log(f"crash_database: seed {seed}, {args.crashes} crashes, {args.threads} threads, "
           f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M:%S} UTC, "
           f"load average {os.getloadavg()[0]:.2f}")
    env = cs.Environment("crashdb", rng)
    report = cs.Report()
    started = time.monotonic()
    try:
        env.setup()
        env.start_server()
        cs.log(f"  cluster and server ready after {time.monotonic() - started:.1f} s")
        workload = cs.Workload(env, args.threads, seed, timeout=60.0)
        workload.start()
        cycles = []
        for k in range(args.crashes):
            # Load for a while after the server answers writes again.
            t_load = time.monotonic()
            while time.monotonic() - t_load < 30 and not any(
                    r["kind"] in ("register", "event") and r["t0"] >= t_load
                    and r["status"] is not None and 200 <= r["status"] < 300
                    for r in workload.records[-200:]):
                time.sleep(0.05)
            time.sleep(rng.uniform(args.min_run, args.max_run))
            cyc = {"stopping": time.monotonic()}
            env.cluster.stop("immediate")
            cyc["stopped"] = time.monotonic()
            time.sleep(rng.uniform(args.min_down, args.max_down))
            cyc["starting"] = time.monotonic()
            env.cluster.start()
            cyc["up"] = time.monotonic()
            cycles.append(cyc)
            if not env.server.alive():
                report.bad(f"crash {k + 1}: kansli serve exited")
                env.start_server()
            if (k + 1) % 5 == 0:
                cs.log(f"  {k + 1} crashes, {len(workload.records)} requests")
        # Time for the last recovery to show, then stop the clients.
        t_end = time.monotonic()
        while time.monotonic() - t_end < RECOVERY_LIMIT + 5 and not any(
                r["kind"] in ("register", "event") and r["t0"] >= cycles[-1]["up"]
                and r["status"] is not None and 200 <= r["status"] < 300
                for r in workload.records[-200:]):
            time.sleep(0.05)
        time.sleep(0.5)
        workload.stop()
        cs.log(f"  crashes done after {time.monotonic() - started:.1f} s")
        report.count("database crashes", args.crashes)
        report.count("server alive at the end", env.server.alive())
        if not env.server.alive():
            report.bad("kansli serve is not running at the end")
            env.start_server()
        check_cycles(list(workload.records), cycles, report, args.max_down_latency)
        cs.final_checks(env, workload, report, rng)
        report.count("commit_in_doubt log lines", env.log_lines("event=commit_in_doubt"))
        report.count("seconds", round(time.monotonic() - started, 1))
        workload.write_log(os.path.join(env.out, "requests.jsonl"))
        cs.print_report(report, "database crashes")
        cs.log(f"logs: {env.out}")
    except Exception as e:  # the harness failed, not the server
        cs.log(f"harness failure: {e!r}")
        env.finish(keep=True)
        return 2
    env.finish(args.keep)
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
