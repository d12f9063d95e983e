#!/usr/bin/env bash
# The distributed set on this machine without Docker: PostgreSQL, Redis and RabbitMQ (servers.sh),
# then every service host and the gateway as separate `dotnet X.Host.dll` processes.
#   deploy/local/run-distributed.sh start|stop|status|restart [--no-build]
#
# Builds the six hosts once (deploy/local/hosts.slnf, $CONFIGURATION, Release by default), then runs
# the built dlls. Ports (127.0.0.1, overridable): catalog 5101, scraper 5102, translator 5103,
# downloader 5104, maintenance 5105 (NASSAV_<NAME>_PORT), gateway 9790 (NASSAV_GATEWAY_PORT; bind
# address NASSAV_GATEWAY_HOST, 127.0.0.1). Logs, PID files and the shared data folder live under
# $RUN_DIR/apps. `stop` stops the hosts, then the servers that `start` started (not those that were
# already running). Any other setting can be passed as an environment variable (e.g. Logging__Format=simple).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

CONFIGURATION="${CONFIGURATION:-Release}"
APPS="$RUN_DIR/apps"
DATA_ROOT="${NASSAV_DATA_ROOT:-$APPS/data}"
GATEWAY_HOST="${NASSAV_GATEWAY_HOST:-127.0.0.1}"
# name|project folder|port; started in this order, stopped in reverse.
HOSTS=(
  "catalog|services/catalog/NasSav.Catalog.Host|${NASSAV_CATALOG_PORT:-5101}"
  "scraper|services/scraper/NasSav.Scraper.Host|${NASSAV_SCRAPER_PORT:-5102}"
  "translator|services/translator/NasSav.Translator.Host|${NASSAV_TRANSLATOR_PORT:-5103}"
  "downloader|services/downloader/NasSav.Downloader.Host|${NASSAV_DOWNLOADER_PORT:-5104}"
  "maintenance|services/maintenance/NasSav.Maintenance.Host|${NASSAV_MAINTENANCE_PORT:-5105}"
  "gateway|gateway/NasSav.Gateway.Host|${NASSAV_GATEWAY_PORT:-9790}"
)

dll_of() { local folder=$1; echo "$REPO_ROOT/$folder/bin/$CONFIGURATION/net10.0/$(basename "$folder").dll"; }

start() {
  local build=1
  [ "${1:-}" != --no-build ] || build=0
  mkdir -p "$APPS" "$DATA_ROOT"
  command -v dotnet >/dev/null 2>&1 || { log "the .NET 10 SDK (dotnet) is required"; exit 1; }
  command -v curl >/dev/null 2>&1 || apt_install curl

  # Servers: start those not running yet and remember them, so that `stop` leaves the others alone.
  local name
  for name in postgres redis rabbitmq; do
    if [ "$("$HERE/$name.sh" status)" != running ]; then
      "$HERE/servers.sh" start "$name"
      grep -qx "$name" "$APPS/servers-started" 2>/dev/null || echo "$name" >>"$APPS/servers-started"
    fi
  done
  local env_lines; env_lines=$("$HERE/servers.sh" env)
  local pg redis amqp management
  pg=$(sed -n 's/^NASSAV_TEST_POSTGRES=//p' <<<"$env_lines")
  redis=$(sed -n 's/^NASSAV_TEST_REDIS=//p' <<<"$env_lines")
  amqp=$(sed -n 's/^NASSAV_TEST_RABBITMQ=//p' <<<"$env_lines")
  management=$(sed -n 's/^NASSAV_TEST_RABBITMQ_MANAGEMENT=//p' <<<"$env_lines")

  if [ $build = 1 ]; then
    log "building the hosts ($CONFIGURATION)"
    dotnet build "$HERE/hosts.slnf" -c "$CONFIGURATION" -nologo -v:minimal >"$APPS/build.log" 2>&1 \
      || { tail -n 40 "$APPS/build.log" >&2; log "build failed (full log: $APPS/build.log)"; exit 1; }
  fi

  local entry folder port dll pidfile catalog_port="" maintenance_port="" downloader_port=""
  for entry in "${HOSTS[@]}"; do
    IFS='|' read -r name folder port <<<"$entry"
    [ "$name" != catalog ] || catalog_port=$port
    [ "$name" != translator ] || translator_port=$port
    [ "$name" != maintenance ] || maintenance_port=$port
    [ "$name" != downloader ] || downloader_port=$port
    dll=$(dll_of "$folder")
    pidfile="$APPS/$name.pid"
    if pid_alive "$pidfile" "$dll"; then log "$name already running (PID $(cat "$pidfile"))"; continue; fi
    rm -f "$pidfile"
    [ -f "$dll" ] || { log "$dll is missing: run without --no-build"; exit 1; }
    local bind=127.0.0.1
    [ "$name" != gateway ] || bind=$GATEWAY_HOST
    require_free_port "$port" "NASSAV_${name^^}_PORT"
    (
      cd "$(dirname "$dll")"
      export ASPNETCORE_URLS="http://$bind:$port"
      export Data__Root="$DATA_ROOT"
      export Database__Provider=Postgres Database__ConnectionString="$pg"
      export Bus__Transport=RabbitMq Bus__RabbitMqUri="$amqp"
      # The error-queue API (maintenance) lists queues through the management plugin, here not on its default port.
      [ -z "$management" ] || export Bus__RabbitMqManagementUri="$management"
      export Redis__Endpoint="$redis"
      if [ "$name" = gateway ]; then
        export Gateway__Routes__0__PathPrefix=/nassav/api
        export Gateway__Routes__0__Destinations__0="http://127.0.0.1:$catalog_port"
        # Longest prefix wins: subtitle translation is the translator's own endpoint.
        export Gateway__Routes__1__PathPrefix=/nassav/api/translate
        export Gateway__Routes__1__Destinations__0="http://127.0.0.1:$translator_port"
        export Gateway__Routes__2__PathPrefix=/openapi
        export Gateway__Routes__2__Destinations__0="http://127.0.0.1:$catalog_port"
        export Gateway__Routes__3__PathPrefix=/nassav/api/maintenance
        export Gateway__Routes__3__Destinations__0="http://127.0.0.1:$maintenance_port"
        # The download lease's monitoring API is the downloader's own.
        export Gateway__Routes__4__PathPrefix=/nassav/api/monitoring
        export Gateway__Routes__4__Destinations__0="http://127.0.0.1:$downloader_port"
      fi
      # Own session: the host survives this script and the terminal; stopped by its PID only.
      exec setsid dotnet "$dll" </dev/null >>"$APPS/$name.log" 2>&1
    ) &
    echo $! >"$pidfile"
    log "$name starting on http://$bind:$port (PID $!, log $APPS/$name.log)"
  done

  # Ready when /health/ready answers 200 (Healthy or Degraded); a host that exits fails the start.
  local failed=0
  for entry in "${HOSTS[@]}"; do
    IFS='|' read -r name folder port <<<"$entry"
    local ok=0 body=""
    for _ in $(seq 1 600); do
      if ! pid_alive "$APPS/$name.pid"; then break; fi
      if body=$(curl -fsS -m 2 "http://127.0.0.1:$port/health/ready" 2>/dev/null); then ok=1; break; fi
      sleep 0.2
    done
    if [ $ok = 1 ]; then
      log "$name ready on port $port: $body"
    else
      failed=1
      log "$name is not ready (port $port); last lines of $APPS/$name.log:"
      tail -n 30 "$APPS/$name.log" >&2 || true
    fi
  done
  [ $failed = 0 ] || { log "some hosts did not start; './deploy/local/run-distributed.sh stop' stops the rest"; exit 1; }
  log "distributed set ready: http://$GATEWAY_HOST:${NASSAV_GATEWAY_PORT:-9790}/nassav/api/resources/"
}

stop() {
  local i entry name folder port
  for ((i = ${#HOSTS[@]} - 1; i >= 0; i--)); do
    IFS='|' read -r name folder port <<<"${HOSTS[$i]}"
    if pid_alive "$APPS/$name.pid" "$(dll_of "$folder")"; then
      log "stopping $name (PID $(cat "$APPS/$name.pid"))"
      stop_pid "$APPS/$name.pid" 30 "$(dll_of "$folder")"
    else
      rm -f "$APPS/$name.pid"
    fi
  done
  if [ -s "$APPS/servers-started" ]; then
    mapfile -t started <"$APPS/servers-started"
    "$HERE/servers.sh" stop "${started[@]}"
    rm -f "$APPS/servers-started"
  fi
}

status() {
  local entry name folder port
  for entry in "${HOSTS[@]}"; do
    IFS='|' read -r name folder port <<<"$entry"
    if pid_alive "$APPS/$name.pid" "$(dll_of "$folder")"; then echo "$name running port $port PID $(cat "$APPS/$name.pid")"
    else echo "$name stopped"; fi
  done
  "$HERE/servers.sh" status
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  restart) stop; start "${2:-}" ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status|restart [--no-build]" >&2; exit 2 ;;
esac
