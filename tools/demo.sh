#!/usr/bin/env bash
# See the whole pipeline offline: starts the demo site (tools/NasSav.DemoSite, 127.0.0.1:5380) and the
# standalone NasSav host (127.0.0.1:9790) configured by tools/NasSav.DemoSite/demo-config.yaml, prints
# what to try, and stops both (by PID) on Ctrl-C or when either of them exits.
#
#   tools/demo.sh [--reset]        --reset: start from an empty demo data folder
#
# Knobs: NASSAV_DEMO_DATA (.run/demo-data), DEMO_COUNT (60 numbered AVIDs), CONFIGURATION (Debug),
#        DEMO_SEGMENT_DELAY_MS (750: each HLS segment waits this long, so a download takes ~6 s and its progress
#        is seen moving; 0 = as fast as possible), DEMO_CLIP_SECONDS (120: length of every demo stream).
# Logs: .run/demo-logs/{demo-site,standalone}.log. Demo media cache: .run/demo-site-cache.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
CONFIGURATION="${CONFIGURATION:-Debug}"
DATA="${NASSAV_DEMO_DATA:-$ROOT/.run/demo-data}"
LOGS="$ROOT/.run/demo-logs"
SITE=http://127.0.0.1:5380
API=http://127.0.0.1:9790
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { echo "[demo] $*"; }

reset=0
for arg in "$@"; do
  case "$arg" in
    --reset) reset=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) say "unknown argument: $arg (see --help)"; exit 2 ;;
  esac
done

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in 5380 9790; do
  if port_busy "$port"; then say "127.0.0.1:$port is already in use: stop what listens there first"; exit 1; fi
done

deploy/local/ensure-tools.sh   # ffmpeg and ffprobe (installs them when missing)

mkdir -p "$LOGS"
build() {
  if ! dotnet build "$1" -c "$CONFIGURATION" -nologo -v q >"$LOGS/build.log" 2>&1; then
    cat "$LOGS/build.log"; say "build of $1 failed"; exit 1
  fi
}
say "building the demo site and the standalone host..."
t0=$SECONDS
build tools/NasSav.DemoSite/NasSav.DemoSite.csproj
build tools/NasSav.Standalone/NasSav.Standalone.csproj
say "built in $((SECONDS - t0)) s"

if [ "$reset" = 1 ]; then rm -rf "$DATA"; fi
mkdir -p "$DATA"

pids=()
names=()
cleanup() {
  trap - EXIT INT TERM
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ "${#pids[@]}" -gt 0 ] && say "stopped the demo site and NasSav"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# $1 URL, $2 name, $3 PID, $4 log: waits up to 120 s; a process that exits meanwhile fails the script.
wait_for() {
  local deadline=$((SECONDS + 120))
  until curl -sf -o /dev/null "$1"; do
    if ! kill -0 "$3" 2>/dev/null; then say "$2 exited during startup; last lines of $4:"; tail -n 30 "$4"; exit 1; fi
    if [ "$SECONDS" -ge "$deadline" ]; then say "$2 not ready after 120 s (see $4)"; exit 1; fi
    sleep 0.2
  done
}

say "starting the demo site on $SITE (first start generates covers, avatars and HLS streams with ffmpeg)..."
dotnet "tools/NasSav.DemoSite/bin/$CONFIGURATION/net10.0/NasSav.DemoSite.dll" --urls "$SITE" \
  --Demo:CacheDir="$ROOT/.run/demo-site-cache" --Demo:Count="${DEMO_COUNT:-60}" \
  --Demo:SegmentDelayMs="${DEMO_SEGMENT_DELAY_MS:-750}" --Demo:ClipSeconds="${DEMO_CLIP_SECONDS:-120}" \
  >"$LOGS/demo-site.log" 2>&1 &
pids+=($!); names+=("demo site")
wait_for "$SITE/health" "the demo site" "${pids[0]}" "$LOGS/demo-site.log"
grep -E "generated|cached|Media ready" "$LOGS/demo-site.log" | sed 's/^/[demo site] /' || true

say "starting NasSav (standalone) on $API with data in $DATA..."
NASSAV_CONFIG="$ROOT/tools/NasSav.DemoSite/demo-config.yaml" \
  dotnet "tools/NasSav.Standalone/bin/$CONFIGURATION/net10.0/NasSav.Standalone.dll" --Data:Root="$DATA" \
  >"$LOGS/standalone.log" 2>&1 &
pids+=($!); names+=("NasSav")
wait_for "$API/health/ready" "NasSav" "${pids[1]}" "$LOGS/standalone.log"

cat <<TIPS

  Web UI:     $API/   (open it in a browser: Add → "DEMO-001 DEMO-002", then Library, Downloads, System)
  Demo site:  $SITE/   (every AVID, its stream kind and switches)
  NasSav API: $API/nassav/api/   (data: $DATA, logs: $LOGS/)

  Try:
    curl -s -X POST $API/nassav/api/resource -H 'Content-Type: application/json' -d '{"avid":"DEMO-001"}'
    curl -s "$API/nassav/api/resource/metadata?avid=DEMO-001"
    curl -s -o DEMO-001.jpg "$API/nassav/api/resource/cover?avid=DEMO-001"          # &size=small|medium|large
    curl -s "$API/nassav/api/actors/"
    curl -s -o avatar.jpg "$API/nassav/api/actors/1/avatar"
    curl -s "$API/nassav/api/genres/"
    curl -s "$API/nassav/api/source/list"
    curl -s -X POST $API/nassav/api/downloads/DEMO-001     # then watch ws://127.0.0.1:9790/nassav/ws/tasks/ (~6 s)

  Switches (tools/NasSav.DemoSite/README.md):
    DEMO-403  DEMO-404  DEMO-500  DEMO-SLOW  DEMO-JUNK      every source fails that way
    DEMO-FB-403 … DEMO-FB-JUNK                              only the first source fails: the second serves it
    DEMO-WRONG  (metadata page of another AVID)   DEMO-NOMETA  (no metadata page)
    DEMO-003, -006, …: AES-128 streams   DEMO-005, -010, …: master playlists
    {"avid":"DEMO-002","source":"demomissav"}: only the second source

  Ctrl-C stops both.
TIPS

# Until Ctrl-C, or until one of the two exits (then the other is stopped too).
set +e
wait -n "${pids[@]}"
status=$?
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then say "${names[$i]} exited ($status); see $LOGS/"; fi
done
exit "$status"
