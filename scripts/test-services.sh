#!/usr/bin/env bash
# Throw-away PostgreSQL and Redis servers for the database-backed test suites (CI and developers).
#
#   scripts/test-services.sh start [postgres] [redis]   # both when none is named
#   scripts/test-services.sh stop                        # stops whatever is running
#   scripts/test-services.sh start-postgres | stop-postgres | start-redis | stop-redis
#   scripts/test-services.sh status
#
# `start` installs what is missing from Debian's packages (needs root), starts the servers on
# loopback only and prints, on stdout and nothing else, the lines to eval:
#   eval "$(scripts/test-services.sh start postgres redis)"
#   -> export DATABASE_URL=postgres://gatehouse:gatehouse@127.0.0.1:54329/gatehouse
#   -> export REDIS_URL=redis://127.0.0.1:63799
# Progress goes to stderr. `start-postgres` / `stop-postgres` restart PostgreSQL alone on the same
# data directory without installing anything (fault tests). Everything is idempotent, and servers
# are stopped by the PID they recorded, never by name.
#
# Environment: GH_SERVICES_DIR (default /tmp/gatehouse-services), GH_PG_PORT (54329),
# GH_REDIS_PORT (63799). The data are disposable: durability is switched off for speed.
set -euo pipefail
# The test suites may trade durability for speed (GH_PG_FAST=1, the default); the benchmarks run on
# PostgreSQL's stock fsync / synchronous_commit / full_page_writes (GH_PG_FAST=0), what production pays.
if [ "${GH_PG_FAST:-1}" = 1 ]; then
  PG_DURABILITY_OPTS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
else
  PG_DURABILITY_OPTS=""
fi

SERVICES_DIR="${GH_SERVICES_DIR:-/tmp/gatehouse-services}"
PG_PORT="${GH_PG_PORT:-54329}"
REDIS_PORT="${GH_REDIS_PORT:-63799}"
PG_DATA="$SERVICES_DIR/pg"
PG_RUN="$SERVICES_DIR/pg-run" # unix socket and server log, owned by the server's user
PG_PIDFILE="$SERVICES_DIR/postgres.pid"
REDIS_DIR="$SERVICES_DIR/redis"
REDIS_PIDFILE="$SERVICES_DIR/redis.pid"
REDIS_LOG="$SERVICES_DIR/redis.log"
DB_NAME=gatehouse
DB_USER=gatehouse
DB_PASSWORD=gatehouse
WAIT_SECONDS=30

log() { printf 'test-services: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as the PostgreSQL server's user: initdb and postgres refuse to run as root.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# True when PID names a live process (a zombie left for a non-reaping init counts as gone).
alive() {
  local pid="$1" state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state="$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# Runs a command that leaves a daemon behind with every file descriptor above 2 closed, so that
# the daemon holds none of the caller's pipes (a `$(...)` or `| tee` would wait for it) nor our lock.
detached() {
  (
    for fd in /proc/"$BASHPID"/fd/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    "$@"
  )
}

read_pid() {
  if [ -s "$1" ]; then head -n1 "$1" | tr -dc '0-9'; fi
}

# Sends SIGNAL to PID and waits until it is gone; escalates to SIGKILL after the bounded wait.
stop_pid() {
  local name="$1" pid="$2" signal="$3" i
  log "stopping $name (pid $pid, SIG$signal)"
  kill -s "$signal" "$pid" 2>/dev/null || true
  for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "$name (pid $pid) still running after ${WAIT_SECONDS}s: SIGKILL"
  kill -s KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  die "could not stop $name (pid $pid)"
}

# ---------------------------------------------------------------------------------------------
# Installation

APT_UPDATED=0
apt_install() {
  is_root || die "$* not installed, and installing needs root: apt-get install -y $*"
  command -v apt-get >/dev/null || die "$* not installed and there is no apt-get"
  local started=$SECONDS
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -q >&2
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "$@" </dev/null >&2 9>&- # a service it starts must not keep our lock
  log "installed $* in $((SECONDS - started))s"
}

# Newest /usr/lib/postgresql/N/bin holding the server binaries (N compared as a number), or nothing.
pg_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && [ -x "$dir/pg_ctl" ] &&
      [ -x "$dir/pg_isready" ] && [ -x "$dir/psql" ]; then
      echo "$dir"
    fi
  done | sort -t/ -k5,5n | tail -n1
}

ensure_installed() {
  local packages=() want
  for want in "$@"; do
    case "$want" in
      postgres) [ -n "$(pg_bin_dir)" ] && id postgres >/dev/null 2>&1 || packages+=(postgresql) ;;
      redis) command -v redis-server >/dev/null && command -v redis-cli >/dev/null || packages+=(redis-server) ;;
    esac
  done
  if [ "${#packages[@]}" -gt 0 ]; then apt_install "${packages[@]}"; fi
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

pg_running_pid() {
  local pid
  pid="$(read_pid "$PG_PIDFILE")"
  if [ -z "$pid" ] || ! alive "$pid"; then
    # the server may have been started before the pid file was written: trust postmaster.pid
    pid="$(read_pid "$PG_DATA/postmaster.pid")"
  fi
  if [ -n "$pid" ] && alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]; then
    echo "$pid"
  fi
}

pg_psql() {
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres "$@"
}

start_postgres() {
  PG_BIN="$(pg_bin_dir)"
  [ -n "$PG_BIN" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (run: $0 start postgres)"
  local major pid i
  major="$("$PG_BIN/postgres" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')"

  mkdir -p "$SERVICES_DIR" "$PG_RUN"
  chmod 755 "$SERVICES_DIR"
  if is_root; then
    chown postgres: "$PG_RUN"
    as_pg test -x "$SERVICES_DIR" || die "user postgres cannot enter $SERVICES_DIR: choose another GH_SERVICES_DIR"
  fi

  pid="$(pg_running_pid)"
  if [ -n "$pid" ]; then
    echo "$pid" >"$PG_PIDFILE"
    log "PostgreSQL already running (pid $pid, port $PG_PORT)"
  else
    if [ -f "$PG_DATA/PG_VERSION" ] && [ "$(cat "$PG_DATA/PG_VERSION")" != "$major" ]; then
      log "data dir $PG_DATA is for PostgreSQL $(cat "$PG_DATA/PG_VERSION"), server is $major: recreating it"
      rm -rf "$PG_DATA"
    fi
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      log "initdb $PG_DATA (PostgreSQL $major)"
      rm -rf "$PG_DATA"
      mkdir -p "$PG_DATA"
      chmod 700 "$PG_DATA"
      if is_root; then chown postgres: "$PG_DATA"; fi
      local locale=(--no-locale)
      if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then locale=(--locale=C.UTF-8); fi
      as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 "${locale[@]}" --no-sync \
        --auth-local=trust --auth-host=scram-sha-256 </dev/null >"$SERVICES_DIR/initdb.log" 2>&1 ||
        { cat "$SERVICES_DIR/initdb.log" >&2; die "initdb failed"; }
    fi
    rm -f "$PG_PIDFILE"
    log "starting PostgreSQL $major on 127.0.0.1:$PG_PORT"
    detached as_pg "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_RUN/postgres.log" -w -t "$WAIT_SECONDS" \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='$PG_RUN'" \
      -o "-c max_connections=300 $PG_DURABILITY_OPTS" \
      </dev/null >"$SERVICES_DIR/pg_ctl.log" 2>&1 ||
      {
        cat "$SERVICES_DIR/pg_ctl.log" >&2
        tail -n 30 "$PG_RUN/postgres.log" >&2 2>/dev/null || true
        die "PostgreSQL did not start (log: $PG_RUN/postgres.log)"
      }
    pid="$(read_pid "$PG_DATA/postmaster.pid")"
    [ -n "$pid" ] || die "PostgreSQL started but $PG_DATA/postmaster.pid has no PID"
    echo "$pid" >"$PG_PIDFILE"
  fi

  for ((i = 0; ; i++)); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; then break; fi
    [ "$i" -lt "$WAIT_SECONDS" ] || die "PostgreSQL not ready after ${WAIT_SECONDS}s (log: $PG_RUN/postgres.log)"
    sleep 1
  done

  pg_psql <<SQL >&2
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PASSWORD';
  ELSE
    ALTER ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PASSWORD';
  END IF;
END
\$\$;
SQL
  if [ "$(pg_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
    pg_psql -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2
  fi
  log "PostgreSQL ready (pid $(read_pid "$PG_PIDFILE"), data $PG_DATA)"
}

stop_postgres() {
  local pid
  pid="$(pg_running_pid)"
  if [ -n "$pid" ]; then
    stop_pid PostgreSQL "$pid" INT # fast shutdown: ends sessions, no waiting for clients
  else
    log "PostgreSQL not running"
  fi
  rm -f "$PG_PIDFILE"
}

# ---------------------------------------------------------------------------------------------
# Redis

redis_running_pid() {
  local pid
  pid="$(read_pid "$REDIS_PIDFILE")"
  if [ -n "$pid" ] && alive "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == redis-server* ]]; then
    echo "$pid"
  fi
}

start_redis() {
  command -v redis-server >/dev/null || die "redis-server not found (run: $0 start redis)"
  local pid i
  mkdir -p "$SERVICES_DIR" "$REDIS_DIR"
  pid="$(redis_running_pid)"
  if [ -n "$pid" ]; then
    log "Redis already running (pid $pid, port $REDIS_PORT)"
  else
    rm -f "$REDIS_PIDFILE"
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    detached redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
      --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" --dir "$REDIS_DIR" \
      </dev/null >"$SERVICES_DIR/redis-start.log" 2>&1 ||
      { cat "$SERVICES_DIR/redis-start.log" >&2; die "redis-server failed to start (log: $REDIS_LOG)"; }
  fi
  for ((i = 0; ; i++)); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && [ -n "$(redis_running_pid)" ]; then
      break
    fi
    if [ "$i" -ge "$((WAIT_SECONDS * 5))" ]; then
      tail -n 20 "$REDIS_LOG" >&2 2>/dev/null || true
      die "Redis not ready after ${WAIT_SECONDS}s (log: $REDIS_LOG)"
    fi
    sleep 0.2
  done
  log "Redis ready (pid $(redis_running_pid))"
}

stop_redis() {
  local pid
  pid="$(redis_running_pid)"
  if [ -n "$pid" ]; then
    stop_pid Redis "$pid" TERM
  else
    log "Redis not running"
  fi
  rm -f "$REDIS_PIDFILE"
}

# ---------------------------------------------------------------------------------------------

print_env() {
  local want
  for want in "$@"; do
    case "$want" in
      postgres) echo "export DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME" ;;
      redis) echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT" ;;
    esac
  done
}

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# One invocation at a time (a fault test may restart PostgreSQL while another asks for it).
mkdir -p "$SERVICES_DIR"
exec 9>"$SERVICES_DIR/.lock"
flock -w 300 9 || die "another test-services.sh held $SERVICES_DIR/.lock for 300s"

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  start)
    services=("$@")
    [ "${#services[@]}" -gt 0 ] || services=(postgres redis)
    for s in "${services[@]}"; do
      case "$s" in postgres | redis) ;; *) die "unknown service '$s' (postgres, redis)" ;; esac
    done
    ensure_installed "${services[@]}"
    for s in "${services[@]}"; do "start_$s"; done
    print_env "${services[@]}"
    ;;
  stop)
    [ $# -eq 0 ] || usage
    stop_redis
    stop_postgres
    ;;
  start-postgres | start-redis)
    [ $# -eq 0 ] || usage
    "start_${command#start-}"
    print_env "${command#start-}"
    ;;
  stop-postgres | stop-redis)
    [ $# -eq 0 ] || usage
    "stop_${command#stop-}"
    ;;
  status)
    pid="$(pg_running_pid)"
    if [ -n "$pid" ]; then echo "postgres: running (pid $pid, port $PG_PORT)"; else echo "postgres: stopped"; fi
    pid="$(redis_running_pid)"
    if [ -n "$pid" ]; then echo "redis: running (pid $pid, port $REDIS_PORT)"; else echo "redis: stopped"; fi
    ;;
  *) usage ;;
esac
