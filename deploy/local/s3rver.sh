#!/usr/bin/env bash
# s3rver (npm, an S3-compatible test server) for NasSav's S3 tests: 127.0.0.1:$NASSAV_S3RVER_PORT, data
# in the run folder. Installed with npm into the run folder on first start (no global install).
#   deploy/local/s3rver.sh start|stop|status|env
# Prints nothing on stdout except for `status` and `env` (NASSAV_TEST_S3RVER=http://127.0.0.1:PORT).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION=3.7.1
PORT="${NASSAV_S3RVER_PORT:-54569}"
DIR="$RUN_DIR/s3rver"
PIDFILE="$DIR/s3rver.pid"
PORTFILE="$DIR/port"
BIN="$DIR/node_modules/s3rver/bin/s3rver.js"
if pid_alive "$PIDFILE" s3rver && [ -s "$PORTFILE" ]; then PORT=$(cat "$PORTFILE"); fi

install() {
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  [ -f "$BIN" ] && return 0
  mkdir -p "$DIR"
  log "npm install s3rver@$VERSION (log: $DIR/npm.log)"
  (cd "$DIR" && npm install --no-audit --no-fund --silent "s3rver@$VERSION" >"$DIR/npm.log" 2>&1 </dev/null) \
    || { tail -n 30 "$DIR/npm.log" >&2; exit 1; }
}

start() {
  install
  if pid_alive "$PIDFILE" s3rver; then log "s3rver already running on $PORT (PID $(cat "$PIDFILE"))"; return 0; fi
  rm -f "$PIDFILE"
  require_free_port "$PORT" NASSAV_S3RVER_PORT
  mkdir -p "$DIR/data"
  echo "$PORT" >"$PORTFILE"
  # setsid: the server outlives this script (tests start it once and leave it for the next run).
  setsid node "$BIN" -d "$DIR/data" -a 127.0.0.1 -p "$PORT" --silent </dev/null >"$DIR/s3rver.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 100); do
    if port_busy "$PORT" && pid_alive "$PIDFILE" s3rver; then
      log "s3rver ready on 127.0.0.1:$PORT (PID $(cat "$PIDFILE"))"
      return 0
    fi
    sleep 0.1
  done
  log "s3rver did not listen on $PORT in 10 s"; tail -n 20 "$DIR/s3rver.log" >&2 2>/dev/null; exit 1
}

stop() {
  stop_pid "$PIDFILE" 10 s3rver
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) pid_alive "$PIDFILE" s3rver && echo running || echo stopped ;;
  env) echo "NASSAV_TEST_S3RVER=http://127.0.0.1:$PORT" ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
