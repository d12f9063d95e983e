#!/usr/bin/env bash
# Garnet (Microsoft's Redis-compatible server, a .NET tool) for the Redis client's tests: a second
# server speaking RESP, on 127.0.0.1:$NASSAV_GARNET_PORT, memory only, Lua enabled (EVAL is off by default).
#   deploy/local/garnet.sh start|stop|status|env
# Prints nothing on stdout except for `status` and `env` (NASSAV_TEST_GARNET=127.0.0.1:PORT, only while it
# runs: Garnet is optional, and a line naming a stopped server would make its tests fail instead of start it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${NASSAV_GARNET_PORT:-56479}"
VERSION=2.2.8
DIR="$RUN_DIR/garnet"
TOOLS="$RUN_DIR/tools/garnet-$VERSION"
PIDFILE="$DIR/garnet.pid"
PORTFILE="$DIR/port"
if pid_alive "$PIDFILE" garnet-server && [ -s "$PORTFILE" ]; then PORT=$(cat "$PORTFILE"); fi

install() {
  [ -x "$TOOLS/garnet-server" ] && return 0
  mkdir -p "$RUN_DIR/tools"
  log "installing garnet-server $VERSION into $TOOLS"
  dotnet tool install --tool-path "$TOOLS" garnet-server --version "$VERSION" >"$RUN_DIR/tools/garnet-install.log" 2>&1 \
    || { tail -n 20 "$RUN_DIR/tools/garnet-install.log" >&2; exit 1; }
}

start() {
  install
  if pid_alive "$PIDFILE" garnet-server; then log "garnet already running on $PORT (PID $(cat "$PIDFILE"))"; return 0; fi
  rm -f "$PIDFILE"
  require_free_port "$PORT" NASSAV_GARNET_PORT
  mkdir -p "$DIR"
  echo "$PORT" >"$PORTFILE"
  # Garnet does not daemonize: run it in the background, detached from our stdio, and keep its PID.
  nohup "$TOOLS/garnet-server" --bind 127.0.0.1 --port "$PORT" --lua -m 256m --index 16m \
    </dev/null >"$DIR/garnet.log" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 300); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = PONG ]; then
      log "garnet ready on 127.0.0.1:$PORT (PID $(cat "$PIDFILE"))"
      return 0
    fi
    pid_alive "$PIDFILE" garnet-server || break
    sleep 0.1
  done
  log "garnet did not answer PING on $PORT in 30 s"; tail -n 20 "$DIR/garnet.log" >&2 2>/dev/null; exit 1
}

stop() {
  stop_pid "$PIDFILE" 20 garnet-server
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) pid_alive "$PIDFILE" garnet-server && echo running || echo stopped ;;
  env) if pid_alive "$PIDFILE" garnet-server; then echo "NASSAV_TEST_GARNET=127.0.0.1:$PORT"; fi ;;
  *) echo "usage: $0 install|start|stop|status|env" >&2; exit 2 ;;
esac
