#!/usr/bin/env bash
# Redis 7 for NasSav on this machine: a private, memory-only server on 127.0.0.1:$NASSAV_REDIS_PORT.
#   deploy/local/redis.sh start|stop|status|env
# Prints nothing on stdout except for `status` and `env` (NASSAV_TEST_REDIS=127.0.0.1:PORT).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${NASSAV_REDIS_PORT:-56379}"
DIR="$RUN_DIR/redis"
PIDFILE="$DIR/redis.pid"
PORTFILE="$DIR/port"
# A running server keeps the port it was started with, whatever the environment says now.
if pid_alive "$PIDFILE" redis-server && [ -s "$PORTFILE" ]; then PORT=$(cat "$PORTFILE"); fi

start() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  if pid_alive "$PIDFILE" redis-server; then log "redis already running on $PORT (PID $(cat "$PIDFILE"))"; return 0; fi
  rm -f "$PIDFILE"
  require_free_port "$PORT" NASSAV_REDIS_PORT
  mkdir -p "$DIR"
  echo "$PORT" >"$PORTFILE"
  # No persistence: tests and local runs want a clean, fast server; --daemonize closes our stdio.
  redis-server --port "$PORT" --bind 127.0.0.1 --protected-mode yes --daemonize yes \
    --save '' --appendonly no --dir "$DIR" --pidfile "$PIDFILE" --logfile "$DIR/redis.log" </dev/null >&2 \
    || { tail -n 20 "$DIR/redis.log" >&2 2>/dev/null; exit 1; }
  for _ in $(seq 1 100); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = PONG ] && pid_alive "$PIDFILE" redis-server; then
      log "redis ready on 127.0.0.1:$PORT (PID $(cat "$PIDFILE"))"
      return 0
    fi
    sleep 0.1
  done
  log "redis did not answer PING on $PORT in 10 s"; tail -n 20 "$DIR/redis.log" >&2 2>/dev/null; exit 1
}

stop() {
  stop_pid "$PIDFILE" 20 redis-server
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) pid_alive "$PIDFILE" redis-server && echo running || echo stopped ;;
  env) echo "NASSAV_TEST_REDIS=127.0.0.1:$PORT" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
