#!/usr/bin/env bash
# PostgreSQL 15 for NasSav on this machine: a private cluster on 127.0.0.1:$NASSAV_PG_PORT.
#   deploy/local/postgres.sh start|stop|status|env
# Prints nothing on stdout except for `env`, which prints NASSAV_TEST_POSTGRES=<connection string>.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${NASSAV_PG_PORT:-55432}"
DIR="$RUN_DIR/postgres"
# The cluster runs as the postgres user, who cannot enter a RUN_DIR below a private folder (a clone
# under /root): then the cluster lives in /tmp and $RUN_DIR/postgres is a link to it.
if [ -L "$DIR" ]; then DIR=$(readlink -f "$DIR"); fi
PIDFILE="$DIR/data/postmaster.pid"
USER_NAME=nassav
PASSWORD="${NASSAV_PG_PASSWORD:-nassav}"
# A running cluster keeps the port it was started with (line 4 of postmaster.pid).
if pid_alive "$PIDFILE"; then PORT=$(sed -n 4p "$PIDFILE"); fi
CONN="Host=127.0.0.1;Port=$PORT;Username=$USER_NAME;Password=$PASSWORD;Database=nassav"

pg_bin() {
  local b
  for b in /usr/lib/postgresql/*/bin; do [ -x "$b/initdb" ] && { echo "$b"; return; }; done
  return 1
}

start() {
  if ! pg_bin >/dev/null; then apt_install postgresql; fi
  local bin; bin=$(pg_bin)
  if pid_alive "$PIDFILE"; then log "postgres already running on $PORT"; return 0; fi
  if [ ! -L "$RUN_DIR/postgres" ] && [ ! -s "$DIR/data/PG_VERSION" ] && ! runuser -u postgres -- test -x "$RUN_DIR"; then
    rm -rf "$RUN_DIR/postgres"
    DIR=$(mktemp -d /tmp/nassav-postgres.XXXXXX); chmod 755 "$DIR"
    ln -s "$DIR" "$RUN_DIR/postgres"
    PIDFILE="$DIR/data/postmaster.pid"
    log "the postgres user cannot enter $RUN_DIR: cluster in $DIR (linked from $RUN_DIR/postgres)"
  fi
  mkdir -p "$DIR/socket"
  chown -R postgres:postgres "$DIR" 2>/dev/null || true
  if [ ! -s "$DIR/data/PG_VERSION" ]; then
    log "initdb in $DIR/data"
    echo "$PASSWORD" > "$DIR/pwfile"; chown postgres "$DIR/pwfile"
    runuser -u postgres -- "$bin/initdb" -D "$DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
  fi
  runuser -u postgres -- "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 start \
    -o "-p $PORT -k $DIR/socket -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" >&2 \
    || { tail -n 30 "$DIR/postgres.log" >&2; exit 1; }
  # Role and database, idempotently, over the local socket.
  runuser -u postgres -- "$bin/psql" -h "$DIR/socket" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q -d postgres >&2 <<SQL
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$USER_NAME') THEN
    CREATE ROLE $USER_NAME LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END\$\$;
SELECT 'CREATE DATABASE nassav OWNER $USER_NAME' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'nassav')\gexec
-- Tests drop their databases WITH (FORCE); an autovacuum worker busy in one belongs to another role,
-- and terminating it needs this (else the drop fails now and then with 42501).
GRANT pg_signal_backend TO $USER_NAME;
SQL
  log "postgres ready on 127.0.0.1:$PORT"
}

stop() {
  # pg_ctl stop waits for a clean shutdown; the PID file is the postmaster's own.
  if pid_alive "$PIDFILE"; then
    local bin; bin=$(pg_bin)
    runuser -u postgres -- "$bin/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >&2 || stop_pid "$PIDFILE"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) pid_alive "$PIDFILE" && echo running || echo stopped ;;
  env) echo "NASSAV_TEST_POSTGRES=$CONN" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
