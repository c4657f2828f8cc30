# shellcheck shell=bash disable=SC2034  # globals set here are used by the scripts that source it
# Shared helpers for scripts/run, scripts/test and scripts/pg. Source it, do not run it.
#
# A cluster lives in DATA/pg:
#   DATA/pg/data             the PostgreSQL 15 data directory (PGDATA)
#   DATA/pg/run              the Unix socket directory (private to the cluster owner)
#   DATA/pg/postgresql.log   the server log
# The owner is the current user, or the `postgres` system user when running as root
# (initdb and pg_ctl refuse to run as root).

KANSLI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
KANSLI_PGBIN=/usr/lib/postgresql/15/bin
# The CMake build directory (KANSLI_BUILD_DIR, default build/ in the checkout).
KANSLI_BUILD_DIR="$(realpath -m -- "${KANSLI_BUILD_DIR:-$KANSLI_ROOT/build}")"
KANSLI_PACKAGES=(
  build-essential cmake pkg-config libboost-dev libpqxx-dev libspdlog-dev libcpprest-dev
  doctest-dev libhowardhinnant-date-dev libcurl4-openssl-dev libsodium-dev nlohmann-json3-dev libssl-dev
  postgresql-15 clang-format python3-aiosmtpd python3-icalendar
)

kansli_say() { printf 'kansli: %s\n' "$*" >&2; }
kansli_out() { printf 'kansli: %s\n' "$*"; }
# Prints one line and exits 1. Inside $(...) it exits 99 instead, which tells the ERR trap of the
# enclosing shell that the problem was already reported.
kansli_die() {
  kansli_say "$*"
  if ((BASH_SUBSHELL > 0)); then exit 99; fi
  exit 1
}

# A command that fails unexpectedly under `set -e` gets one line naming it (once, not per subshell).
_kansli_on_err() {
  if (($1 == 99)); then
    if ((BASH_SUBSHELL > 0)); then exit 99; fi
    exit 1
  fi
  if ((BASH_SUBSHELL == 0)); then
    kansli_say "stopped: \`$2\` failed (exit status $1)"
  fi
}
set -E
trap '_kansli_on_err $? "$BASH_COMMAND"' ERR

# ---------------------------------------------------------------------------------------------
# Debian packages

# Prints the names (one a line) of the given packages that are not installed.
kansli_missing_packages() {
  local status p
  status="$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null || true)"
  for p in "$@"; do
    if ! grep -qx "$p install ok installed" <<<"$status"; then
      printf '%s\n' "$p"
    fi
  done
}

# Installs whichever of the given packages (default: all the project needs) are missing.
# shellcheck disable=SC2120  # arguments are optional
kansli_ensure_packages() {
  local -a wanted=("$@") missing=() sudo=()
  if ((${#wanted[@]} == 0)); then wanted=("${KANSLI_PACKAGES[@]}"); fi
  if ! command -v dpkg-query >/dev/null; then
    kansli_die "dpkg-query not found: these scripts expect Debian 12 (bookworm)."
  fi
  mapfile -t missing < <(kansli_missing_packages "${wanted[@]}")
  if ((${#missing[@]} == 0)); then return 0; fi
  if ((EUID != 0)); then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      kansli_die "these Debian packages are missing; install them as root (sudo apt-get install ${missing[*]}) and rerun."
    fi
  fi
  kansli_say "installing Debian packages: ${missing[*]}"
  if [[ -z ${KANSLI_APT_UPDATED:-} ]]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
      kansli_die "apt-get update failed (see above); check the network and the apt sources."
    export KANSLI_APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" || kansli_die "apt-get install failed for: ${missing[*]} (see above)."
}

# ---------------------------------------------------------------------------------------------
# Build

kansli_build() {
  local build="$KANSLI_BUILD_DIR" out
  kansli_say "building in $build (RelWithDebInfo, ${KANSLI_BUILD_JOBS:-2} jobs)"
  if ! out="$(cmake -S "$KANSLI_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo 2>&1)"; then
    printf '%s\n' "$out" >&2
    kansli_die "cmake could not configure the project (see above)."
  fi
  cmake --build "$build" -j "${KANSLI_BUILD_JOBS:-2}" ||
    kansli_die "the build failed (see the compiler output above)."
}

# ---------------------------------------------------------------------------------------------
# Small utilities

# Absolute path of $1 (relative to the current directory); need not exist.
kansli_abspath() { realpath -m -- "$1"; }

# Succeeds when something accepts TCP connections on 127.0.0.1:$1.
kansli_port_in_use() {
  # shellcheck disable=SC2016  # $1 belongs to the inner shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

kansli_check_port() { # VALUE VARIABLE-NAME
  if ! [[ $1 =~ ^[0-9]+$ ]] || (($1 < 1024 || $1 > 65535)); then
    kansli_die "$2=$1 is not a usable port (1024-65535)."
  fi
}

# Prints the first directory on the way to $1 (an absolute path) that user $2 cannot enter;
# prints nothing when every one can be entered.
kansli_blocking_dir() {
  local path="" part
  local -a parts
  IFS=/ read -ra parts <<<"${1#/}"
  for part in "${parts[@]}"; do
    [[ -n $part ]] || continue
    path+="/$part"
    [[ -d $path ]] || return 0
    if ! (cd / && runuser -u "$2" -- test -x "$path"); then
      printf '%s\n' "$path"
      return 0
    fi
  done
}

# A random password: hex, so it needs no escaping in a URL or in SQL.
kansli_random_password() {
  od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

# The password part of a postgresql://user:password@host:port/db URL in file $1 (or nothing).
kansli_dsn_password() {
  [[ -r $1 ]] || return 0
  sed -n 's|^postgresql://[^:/@]*:\([^@]*\)@.*$|\1|p' "$1" | head -n 1
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL cluster
#
# kansli_pg_setup DATA PORT PORT-VARIABLE-NAME sets these globals (and changes nothing on disk):
#   KANSLI_PG_DATA_ROOT KANSLI_PG_BASE KANSLI_PGDATA KANSLI_PG_SOCKDIR KANSLI_PG_LOG
#   KANSLI_PG_PORT_WANTED KANSLI_PG_PORT_VAR KANSLI_PG_OWNER
# Optional: KANSLI_PG_EXTRA_CONF (lines appended to the generated configuration).

kansli_pg_setup() {
  KANSLI_PG_DATA_ROOT="$(kansli_abspath "$1")"
  KANSLI_PG_PORT_WANTED="$2"
  KANSLI_PG_PORT_VAR="$3"
  KANSLI_PG_BASE="$KANSLI_PG_DATA_ROOT/pg"
  KANSLI_PGDATA="$KANSLI_PG_BASE/data"
  KANSLI_PG_SOCKDIR="$KANSLI_PG_BASE/run"
  KANSLI_PG_LOG="$KANSLI_PG_BASE/postgresql.log"
  kansli_check_port "$KANSLI_PG_PORT_WANTED" "$KANSLI_PG_PORT_VAR"

  local me
  me="$(id -un)"
  if [[ -d $KANSLI_PG_BASE ]]; then
    KANSLI_PG_OWNER="$(stat -c %U "$KANSLI_PG_BASE")"
    if ((EUID == 0)) && [[ $KANSLI_PG_OWNER == root ]]; then
      kansli_die "$KANSLI_PG_BASE belongs to root, but PostgreSQL cannot run as root; remove it to start afresh."
    fi
    if ((EUID != 0)) && [[ $KANSLI_PG_OWNER != "$me" ]]; then
      kansli_die "the cluster in $KANSLI_PG_BASE belongs to user $KANSLI_PG_OWNER; run this as $KANSLI_PG_OWNER or root, or set ${KANSLI_DATA_VAR:-KANSLI_DATA} elsewhere."
    fi
  elif ((EUID == 0)); then
    KANSLI_PG_OWNER=postgres
  else
    KANSLI_PG_OWNER="$me"
  fi
}

# Runs a command as the cluster owner, from / (the owner may not be able to enter the current directory).
kansli_pg_as_owner() {
  if ((EUID == 0)); then
    (cd / && runuser -u "$KANSLI_PG_OWNER" -- "$@")
  else
    "$@"
  fi
}

kansli_pg_exec_as_owner() {
  if ((EUID == 0)); then
    cd /
    exec runuser -u "$KANSLI_PG_OWNER" -- "$@"
  fi
  exec "$@"
}

kansli_pg_exists() { [[ -f $KANSLI_PGDATA/PG_VERSION ]]; }

# Exit status of `pg_ctl status`: 0 running, 3 stopped, 4 no cluster.
kansli_pg_status_code() {
  local rc=0
  if ! kansli_pg_exists; then
    echo 4
    return 0
  fi
  kansli_pg_as_owner "$KANSLI_PGBIN/pg_ctl" status -D "$KANSLI_PGDATA" >/dev/null 2>&1 || rc=$?
  echo "$rc"
}

kansli_pg_is_running() { [[ $(kansli_pg_status_code) == 0 ]]; }

# The port and pid of the running postmaster (from postmaster.pid).
kansli_pg_running_port() { sed -n 4p "$KANSLI_PGDATA/postmaster.pid" 2>/dev/null || true; }
kansli_pg_running_pid() { sed -n 1p "$KANSLI_PGDATA/postmaster.pid" 2>/dev/null || true; }

# Prints the directory on the way to $1 that the cluster owner cannot enter (nothing when none).
# Only root needs the check: otherwise the owner is the current user, who just created $1.
kansli_pg_blocked_dir() {
  ((EUID == 0)) || return 0
  kansli_blocking_dir "$1" "$KANSLI_PG_OWNER"
}

# Prints why the socket path would be too long for a Unix socket (nothing when it fits).
kansli_pg_socket_problem() {
  local sock="$KANSLI_PG_SOCKDIR/.s.PGSQL.$KANSLI_PG_PORT_WANTED"
  if ((${#sock} > 107)); then
    printf 'the socket path %s is %d characters long, more than the 107 a Unix socket allows\n' \
      "$sock" "${#sock}"
  fi
}

kansli_pg_ensure_owner_account() {
  ((EUID == 0)) || return 0
  [[ $KANSLI_PG_OWNER == postgres ]] || return 0
  if ! getent passwd postgres >/dev/null; then
    kansli_say "creating the postgres system user"
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
      --shell /bin/bash postgres || kansli_die "could not create the postgres system user."
  fi
}

# Creates DATA/pg (owned by the cluster owner) and DATA/pg/run, checking the owner can reach them.
kansli_pg_prepare_dirs() {
  local problem
  kansli_pg_ensure_owner_account
  mkdir -p "$KANSLI_PG_DATA_ROOT" || kansli_die "cannot create the data directory $KANSLI_PG_DATA_ROOT."
  problem="$(kansli_pg_blocked_dir "$KANSLI_PG_DATA_ROOT")"
  if [[ -n $problem ]]; then
    kansli_die "the $KANSLI_PG_OWNER user cannot enter $problem (mode $(stat -c %a "$problem")), so PostgreSQL cannot run in $KANSLI_PG_DATA_ROOT; set ${KANSLI_DATA_VAR:-KANSLI_DATA} to a directory it can reach (e.g. /var/tmp/kansli) or run: chmod o+x $problem"
  fi
  problem="$(kansli_pg_socket_problem)"
  if [[ -n $problem ]]; then
    kansli_die "$problem; set ${KANSLI_DATA_VAR:-KANSLI_DATA} to a shorter path."
  fi
  if [[ ! -d $KANSLI_PG_BASE ]]; then
    if ((EUID == 0)); then
      install -d -m 700 -o "$KANSLI_PG_OWNER" -g "$(id -gn "$KANSLI_PG_OWNER")" "$KANSLI_PG_BASE"
    else
      mkdir -m 700 "$KANSLI_PG_BASE"
    fi
  fi
  kansli_pg_as_owner mkdir -p -m 700 "$KANSLI_PG_SOCKDIR"
}

# Creates the cluster unless it exists.
kansli_pg_create() {
  if kansli_pg_exists; then return 0; fi
  if [[ -d $KANSLI_PGDATA ]] && [[ -n $(ls -A "$KANSLI_PGDATA") ]]; then
    kansli_die "$KANSLI_PGDATA is not empty but holds no cluster; remove it to start afresh."
  fi
  kansli_say "creating a PostgreSQL 15 cluster in $KANSLI_PGDATA (owner: $KANSLI_PG_OWNER)"
  # (The subshell keeps the redirection away from an INT/EXIT trap that runs meanwhile.)
  if ! (kansli_pg_as_owner "$KANSLI_PGBIN/initdb" -D "$KANSLI_PGDATA" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$KANSLI_PG_BASE/initdb.log" 2>&1); then
    tail -n 20 "$KANSLI_PG_BASE/initdb.log" >&2
    kansli_die "initdb failed (full output in $KANSLI_PG_BASE/initdb.log)."
  fi
  printf "\n# Kansli: settings rewritten at every start by scripts/lib.sh.\ninclude_if_exists = 'kansli.conf'\n" |
    kansli_pg_as_owner tee -a "$KANSLI_PGDATA/postgresql.conf" >/dev/null
  # Only the owner may use the (private) socket; everyone else comes over TCP with a password.
  {
    echo "# Written by scripts/lib.sh."
    printf '%-7s %-9s %-16s %-13s %s\n' '# TYPE' DATABASE USER ADDRESS METHOD \
      local all "$KANSLI_PG_OWNER" '' trust \
      host all all 127.0.0.1/32 scram-sha-256
  } | kansli_pg_as_owner tee "$KANSLI_PGDATA/pg_hba.conf" >/dev/null
}

# Starts the cluster unless it is running (on the wanted port).
kansli_pg_start() {
  local port
  if kansli_pg_is_running; then
    port="$(kansli_pg_running_port)"
    if [[ $port != "$KANSLI_PG_PORT_WANTED" ]]; then
      kansli_die "the cluster in $KANSLI_PGDATA is already running on port $port, not $KANSLI_PG_PORT_WANTED; stop it first (scripts/pg stop) or set $KANSLI_PG_PORT_VAR=$port."
    fi
    kansli_say "PostgreSQL is already running on 127.0.0.1:$port"
    return 0
  fi
  if kansli_port_in_use "$KANSLI_PG_PORT_WANTED"; then
    kansli_die "port $KANSLI_PG_PORT_WANTED on 127.0.0.1 is already taken by another program; set $KANSLI_PG_PORT_VAR to a free port."
  fi
  kansli_pg_as_owner tee "$KANSLI_PGDATA/kansli.conf" >/dev/null <<EOF
# Written by scripts/lib.sh at every start; edit there, not here.
listen_addresses = '127.0.0.1'
port = $KANSLI_PG_PORT_WANTED
unix_socket_directories = '${KANSLI_PG_SOCKDIR//\'/\'\'}'
password_encryption = 'scram-sha-256'
synchronous_commit = on
log_line_prefix = '%m [%p] %q%u@%d '
${KANSLI_PG_EXTRA_CONF:-}
EOF
  kansli_say "starting PostgreSQL on 127.0.0.1:$KANSLI_PG_PORT_WANTED (log: $KANSLI_PG_LOG)"
  if ! kansli_pg_as_owner "$KANSLI_PGBIN/pg_ctl" start -D "$KANSLI_PGDATA" -l "$KANSLI_PG_LOG" \
    -w -t 60 -s; then
    tail -n 15 "$KANSLI_PG_LOG" >&2 || true
    kansli_die "PostgreSQL did not start (the end of $KANSLI_PG_LOG is above)."
  fi
}

# Stops the cluster if it is running. $1: shutdown mode (fast by default).
kansli_pg_stop() {
  if ! kansli_pg_exists; then
    kansli_say "there is no cluster in $KANSLI_PGDATA"
    return 0
  fi
  if ! kansli_pg_is_running; then
    kansli_say "PostgreSQL in $KANSLI_PGDATA is not running"
    return 0
  fi
  kansli_pg_as_owner "$KANSLI_PGBIN/pg_ctl" stop -D "$KANSLI_PGDATA" -m "${1:-fast}" -w -t 60 -s ||
    kansli_die "PostgreSQL in $KANSLI_PGDATA did not stop (see $KANSLI_PG_LOG)."
  kansli_say "stopped PostgreSQL in $KANSLI_PGDATA"
}

# psql as the cluster superuser over the private socket, on the maintenance database.
# shellcheck disable=SC2120  # arguments are optional
kansli_pg_admin_psql() {
  kansli_pg_as_owner "$KANSLI_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$KANSLI_PG_SOCKDIR" \
    -p "$(kansli_pg_running_port)" -d postgres "$@"
}

# Creates login role $1 (or resets its password and attributes) and database $2 owned by it.
# $3: password; $4: extra role attributes (e.g. CREATEDB).
kansli_pg_ensure_role_db() {
  local role=$1 db=$2 password=$3 attrs=${4:-}
  kansli_pg_admin_psql >/dev/null <<EOF || kansli_die "could not create the $role role and the $db database (see above)."
SET password_encryption = 'scram-sha-256';
SELECT format('CREATE ROLE %I LOGIN', '$role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') \gexec
ALTER ROLE "$role" WITH LOGIN $attrs PASSWORD '$password';
SELECT format('CREATE DATABASE %I OWNER %I', '$db', '$role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db') \gexec
EOF
}

# Writes URL $2 to file $1, readable by the current user only.
kansli_write_secret() {
  (umask 077 && printf '%s\n' "$2" >"$1.tmp" && mv -f "$1.tmp" "$1")
  chmod 600 "$1"
}

# Creates (if needed) and starts the cluster, makes sure role $1 and database $2 exist, and writes
# the URL to file $4 (reusing the password stored there). $3: extra role attributes.
# Sets KANSLI_PG_URL.
kansli_pg_up() {
  local role=$1 db=$2 attrs=$3 url_file=$4 password
  kansli_pg_prepare_dirs
  kansli_pg_create
  kansli_pg_start
  password="$(kansli_dsn_password "$url_file")"
  if [[ -z $password ]]; then password="$(kansli_random_password)"; fi
  kansli_pg_ensure_role_db "$role" "$db" "$password" "$attrs"
  KANSLI_PG_URL="postgresql://$role:$password@127.0.0.1:$KANSLI_PG_PORT_WANTED/$db"
  if [[ ! -f $url_file ]] || [[ $(<"$url_file") != "$KANSLI_PG_URL" ]]; then
    kansli_write_secret "$url_file" "$KANSLI_PG_URL"
  fi
  chmod 600 "$url_file"
}

# The development cluster used by scripts/run and scripts/pg: KANSLI_DATA (default ./var in the
# repository) on KANSLI_PG_PORT (default 54329). Sets KANSLI_DATA to an absolute path.
kansli_dev_pg_setup() {
  KANSLI_DATA="$(kansli_abspath "${KANSLI_DATA:-$KANSLI_ROOT/var}")"
  KANSLI_DATABASE_URL_FILE="$KANSLI_DATA/database-url"
  kansli_pg_setup "$KANSLI_DATA" "${KANSLI_PG_PORT:-54329}" KANSLI_PG_PORT
}
