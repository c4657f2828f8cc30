"""Shared pieces of the reliability harnesses in tests/reliability/.

A private, throwaway PostgreSQL 15 cluster (run as the postgres user when started as root), the
real `kansli` binary as a server or a scheduler, and a small HTTP client. Standard library only:
the harnesses run with Debian's /usr/bin/python3.

Environment read here:
  KANSLI_BINARY   the kansli executable (default <repo>/build/app/kansli)
  PGBIN           PostgreSQL 15 binaries (default /usr/lib/postgresql/15/bin)
"""

import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")


def binary():
    return os.environ.get("KANSLI_BINARY", os.path.join(REPO, "build", "app", "kansli"))


def scratch_dir(name):
    """A fresh directory under /tmp for a harness's cluster and logs: short enough for a Unix
    socket path and reachable by the postgres user whatever the checkout's location."""
    d = tempfile.mkdtemp(prefix=f"kansli-{name}-", dir="/tmp")
    os.chmod(d, 0o711)
    return d


def free_port(low, high, rng=None, taken=None):
    """A port in [low, high] nobody listens on at 127.0.0.1 and not in TAKEN (which it joins).
    With RNG the ports are tried in random order, so harnesses starting at once, sharing a range,
    are unlikely to pick the same one."""
    ports = list(range(low, high + 1))
    if rng is not None:
        rng.shuffle(ports)
    for port in ports:
        if taken is not None and port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        if taken is not None:
            taken.add(port)
        return port
    raise RuntimeError(f"no free port between {low} and {high}")


def run_main(main, name):
    """Runs a harness's MAIN and exits with its status; a harness that itself fails (not one of
    its checks) exits 2 with its traceback."""
    try:
        sys.exit(main())
    except Exception as e:  # noqa: BLE001 -- the harness itself failed, not a check
        import traceback
        traceback.print_exc()
        print(f"{name}: harness failure: {e}", file=sys.stderr)
        sys.exit(2)


class Cluster:
    """A PostgreSQL cluster in DIR/pg, listening on 127.0.0.1:PORT only, with a role and database
    `kansli` (password authentication over TCP). Made afresh by create(); removed by destroy()."""

    def __init__(self, directory, port, extra_conf=""):
        self.root = os.path.realpath(directory)
        self.base = os.path.join(self.root, "pg")
        self.data = os.path.join(self.base, "data")
        self.sockdir = os.path.join(self.base, "run")
        self.log = os.path.join(self.base, "postgresql.log")
        self.port = port
        self.extra_conf = extra_conf
        self.password = "reliability-" + os.urandom(6).hex()
        self.owner = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    @property
    def url(self):
        return f"postgresql://kansli:{self.password}@127.0.0.1:{self.port}/kansli"

    def _as_owner(self, args, **kw):
        if os.geteuid() == 0:
            args = ["runuser", "-u", self.owner, "--"] + args
        return subprocess.run(args, cwd="/", check=kw.pop("check", True), **kw)

    def create(self):
        if os.path.exists(self.base):
            self.destroy()
        os.makedirs(self.root, exist_ok=True)
        if os.geteuid() == 0:
            if subprocess.run(["getent", "passwd", "postgres"], capture_output=True).returncode:
                subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                                "--home-dir", "/var/lib/postgresql", "postgres"], check=True)
            # The owner must be able to reach the directory (use scratch_dir() for one it can).
            os.makedirs(self.base)
            shutil.chown(self.base, self.owner, self.owner)
            os.chmod(self.base, 0o700)
        else:
            os.makedirs(self.base, mode=0o700)
        self._as_owner(["mkdir", "-p", "-m", "700", self.sockdir])
        self._as_owner([f"{PGBIN}/initdb", "-D", self.data, "-E", "UTF8", "--locale=C.UTF-8",
                        "--auth-local=trust", "--auth-host=scram-sha-256"],
                       capture_output=True)
        conf = f"""
listen_addresses = '127.0.0.1'
port = {self.port}
unix_socket_directories = '{self.sockdir}'
password_encryption = 'scram-sha-256'
max_connections = 200
log_line_prefix = '%m [%p] %q%u@%d '
{self.extra_conf}
"""
        self._as_owner(["tee", "-a", os.path.join(self.data, "postgresql.conf")],
                       input=conf.encode(), stdout=subprocess.DEVNULL)
        hba = (f"local all {self.owner} trust\n"
               "host all all 127.0.0.1/32 scram-sha-256\n")
        self._as_owner(["tee", os.path.join(self.data, "pg_hba.conf")], input=hba.encode(),
                       stdout=subprocess.DEVNULL)
        self.start()
        self.admin_sql(f"CREATE ROLE kansli LOGIN PASSWORD '{self.password}'")
        self.admin_sql("CREATE DATABASE kansli OWNER kansli")

    def start(self):
        self._as_owner([f"{PGBIN}/pg_ctl", "start", "-D", self.data, "-l", self.log, "-w",
                        "-t", "60", "-s"])

    def stop(self, mode="fast"):
        """pg_ctl stop -m MODE: 'immediate' is a crash (no checkpoint, recovery at next start)."""
        self._as_owner([f"{PGBIN}/pg_ctl", "stop", "-D", self.data, "-m", mode, "-w", "-t", "60",
                        "-s"])

    def running(self):
        r = self._as_owner([f"{PGBIN}/pg_ctl", "status", "-D", self.data], check=False,
                           capture_output=True)
        return r.returncode == 0

    def postgres_pids(self):
        """The postmaster and all its children."""
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            master = int(f.readline())
        out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
        return [master] + [int(p) for p in out.split()]

    def signal_all(self, sig):
        """Sends SIG (e.g. SIGSTOP/SIGCONT) to the postmaster and every backend: a hung server."""
        for pid in self.postgres_pids():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def admin_sql(self, sql, db="postgres"):
        """Runs SQL as the cluster superuser over the private socket; returns rows as lists of
        strings (tab-separated output of psql -At)."""
        r = self._as_owner([f"{PGBIN}/psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                            "-h", self.sockdir, "-p", str(self.port), "-d", db, "-c", sql],
                           capture_output=True, text=True)
        return [line.split("\t") for line in r.stdout.splitlines() if line != ""]

    def sql(self, query):
        """Runs QUERY on the kansli database as the superuser."""
        return self.admin_sql(query, db="kansli")

    def destroy(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            try:
                self.stop("immediate")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.base, ignore_errors=True)


def kansli(args, database_url, env=None, check=True, **kw):
    """Runs a kansli command (migrate, token create, ...) to completion."""
    e = dict(os.environ)
    e["KANSLI_DATABASE_URL"] = database_url
    e.update(env or {})
    return subprocess.run([binary()] + args, env=e, check=check, capture_output=True, text=True,
                          **kw)


def create_token(database_url, name, role, directory):
    path = os.path.join(directory, f"token-{name}")
    if os.path.exists(path):
        os.remove(path)
    kansli(["token", "create", "--name", name, "--role", role, "--output", path], database_url)
    with open(path) as f:
        return f.read().strip()


class Process:
    """A long-running kansli process (serve, scheduler), its output appended to LOG."""

    def __init__(self, args, database_url, log, env=None):
        self.args = args
        self.database_url = database_url
        self.log_path = log
        self.env = env or {}
        self.proc = None

    def start(self):
        e = dict(os.environ)
        e["KANSLI_DATABASE_URL"] = self.database_url
        e.update(self.env)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([binary()] + self.args, env=e, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        return self

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self.alive():
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self, timeout=15):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None:
            self.log.close()

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


class Server(Process):
    """`kansli serve` on 127.0.0.1:PORT."""

    def __init__(self, database_url, port, log, env=None):
        e = {"KANSLI_HOST": "127.0.0.1", "KANSLI_PORT": str(port)}
        e.update(env or {})
        super().__init__(["serve"], database_url, log, e)
        self.port = port

    def wait_ready(self, timeout=30):
        """Waits until GET /readyz answers 200; returns the seconds it took."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if not self.alive():
                raise RuntimeError(f"kansli serve exited with {self.proc.returncode}; see "
                                   f"{self.log_path}")
            try:
                if request(self.port, "GET", "/readyz", timeout=2)[0] == 200:
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"GET /readyz not 200 within {timeout} s; see {self.log_path}")


def request(port, method, path, body=None, token=None, timeout=30, headers=None):
    """One HTTP request on a fresh connection. Returns (status, headers dict, body bytes);
    raises OSError (incl. timeouts and refused connections) when no answer came."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            if isinstance(data, str):
                data = data.encode()
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    except http.client.HTTPException as e:
        raise OSError(f"HTTP failure: {e!r}") from e
    finally:
        conn.close()
