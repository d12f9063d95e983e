#!/usr/bin/env bash
# The one test command:  ./test.sh [extra `dotnet test` arguments, e.g. --filter FullyQualifiedName~Catalog]
#
#  1. checks the .NET SDK (global.json), installs ffmpeg, Chromium and the servers' Debian packages if missing;
#  2. starts PostgreSQL, Redis, RabbitMQ, Garnet and s3rver through deploy/local/servers.sh (while the
#     solution builds), unless NASSAV_TEST_POSTGRES / _REDIS / _RABBITMQ / _GARNET / _S3RVER already point at servers or they
#     already run in $NASSAV_RUN_DIR (those are used and left running);
#  3. builds NasSav.sln once and runs `dotnet test` on it with the NASSAV_TEST_* variables set;
#  4. stops, by PID, the servers it started (also on failure or Ctrl-C);
#  5. prints `N passed, N failed[, N skipped]` as its last line (summed over every test assembly
#     from the TRX results) and exits non-zero on any failure.
#
# Knobs: CONFIGURATION (Debug), NASSAV_RUN_DIR (.run), NASSAV_BUILD_TIMEOUT_MIN (30, restore + build),
# NASSAV_TEST_TIMEOUT_MIN (60, whole test run),
# NASSAV_TEST_HANG_TIMEOUT (10m, one test), NASSAV_PG_PORT / NASSAV_REDIS_PORT / NASSAV_RABBITMQ_PORT /
# NASSAV_GARNET_PORT / NASSAV_S3RVER_PORT.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"
CONFIGURATION="${CONFIGURATION:-Debug}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NASSAV_RUN_DIR="${NASSAV_RUN_DIR:-$ROOT/.run}"
mkdir -p "$NASSAV_RUN_DIR"
LOCAL="$ROOT/deploy/local"
RESULTS="$ROOT/TestResults/$(date +%Y%m%d-%H%M%S)-$$"
T0=$SECONDS

say() { echo "[test.sh $((SECONDS - T0))s] $*"; }

# Every exit path ends with the summary line, so the last line always tells the outcome.
summary() { echo "$1 passed, $2 failed${3:+, $3 skipped}"; }
die() { say "$*"; stop_servers; summary 0 1; exit 1; }

# --- 1. tools ------------------------------------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  say "the .NET 10 SDK is required and 'dotnet' is not on PATH (https://dot.net, or Debian/Ubuntu packages dotnet-sdk-10.0)"
  summary 0 1; exit 1
fi
if ! sdk=$(dotnet --version 2>&1); then
  say "no .NET SDK matches global.json ($(tr -d '\n' <global.json)); installed: $(dotnet --list-sdks | tr '\n' ' ')"
  summary 0 1; exit 1
fi
say ".NET SDK $sdk"

# --- 2. servers ----------------------------------------------------------------------------------
source "$LOCAL/lib.sh"   # port helpers only; it sets -euo pipefail, as here
started=()    # servers this run starts, and therefore stops
use=()        # servers whose NASSAV_TEST_* line comes from `servers.sh env`
start_pid=""
stop_servers() {
  if [ -n "$start_pid" ]; then wait "$start_pid" 2>/dev/null || true; start_pid=""; fi
  if [ ${#started[@]} -gt 0 ]; then
    say "stopping ${started[*]}"
    "$LOCAL/servers.sh" stop "${started[@]}" 2>&1 || say "stopping ${started[*]} failed"
    started=()
  fi
}
trap 'stop_servers' EXIT
trap 'say "interrupted"; exit 130' INT TERM

# pick_port NAME VARIABLE DEFAULT COUNT : keeps the configured port when free, else moves up by 100s.
pick_port() {
  local name=$1 var=$2 base=${!2:-$3} count=$4 port
  port=$(free_port_block "$base" "$count") || die "no free ports for $name near $base"
  [ "$port" = "$base" ] || say "$name: port $base is taken by another program; using $port"
  export "$var=$port"
}

for s in postgres redis rabbitmq garnet s3rver; do
  var="NASSAV_TEST_${s^^}"
  if [ -n "${!var:-}" ]; then say "$s: using $var from the environment"; continue; fi
  use+=("$s")
  if [ "$("$LOCAL/$s.sh" status)" = running ]; then
    say "$s: already running in $NASSAV_RUN_DIR (left running afterwards)"
    continue
  fi
  case $s in
    postgres) pick_port postgres NASSAV_PG_PORT 55432 1 ;;
    redis) pick_port redis NASSAV_REDIS_PORT 56379 1 ;;
    garnet) pick_port garnet NASSAV_GARNET_PORT 56479 1 ;;
    rabbitmq) pick_port rabbitmq NASSAV_RABBITMQ_PORT 55672 14 ;;
    s3rver) pick_port s3rver NASSAV_S3RVER_PORT 54569 1 ;;
  esac
  started+=("$s")
done

# Packages first (ffmpeg for the thumbnail tests, Chromium for the browser tests, then the servers' packages).
"$LOCAL/ensure-tools.sh" 2>&1 || die "installing ffmpeg or chromium failed"
if [ ${#started[@]} -gt 0 ]; then
  "$LOCAL/servers.sh" install "${started[@]}" 2>&1 || die "installing the servers' packages failed"
  say "starting ${started[*]} (in the background, while the solution builds)"
  "$LOCAL/servers.sh" start "${started[@]}" >"$NASSAV_RUN_DIR/servers-start.log" 2>&1 &
  start_pid=$!
fi

# --- 3. build ------------------------------------------------------------------------------------
build_args=(-c "$CONFIGURATION" -nologo -v:minimal)
[ -z "${CI:-}" ] || build_args+=(-nodeReuse:false)
say "dotnet build NasSav.sln ${build_args[*]}"
if ! timeout --kill-after=30s "${NASSAV_BUILD_TIMEOUT_MIN:-30}m" dotnet build NasSav.sln "${build_args[@]}" 2>&1; then
  die "the build failed or ran past ${NASSAV_BUILD_TIMEOUT_MIN:-30} minutes (see above)"
fi

if [ -n "$start_pid" ]; then
  if ! wait "$start_pid"; then
    start_pid=""
    cat "$NASSAV_RUN_DIR/servers-start.log"
    die "starting ${started[*]} failed (see above; logs under $NASSAV_RUN_DIR)"
  fi
  start_pid=""
  cat "$NASSAV_RUN_DIR/servers-start.log"
fi
if [ ${#use[@]} -gt 0 ]; then
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    export "$line"
    say "${line%%=*}=${line#*=}"
  done < <("$LOCAL/servers.sh" env "${use[@]}")
fi

# --- 4. test -------------------------------------------------------------------------------------
mkdir -p "$RESULTS"
say "dotnet test NasSav.sln (results in ${RESULTS#"$ROOT"/})"
set +e
timeout --kill-after=60s "${NASSAV_TEST_TIMEOUT_MIN:-60}m" \
  dotnet test NasSav.sln -c "$CONFIGURATION" --no-build \
    --logger "console;verbosity=normal" --logger "trx" --results-directory "$RESULTS" \
    --blame-hang-timeout "${NASSAV_TEST_HANG_TIMEOUT:-10m}" --blame-hang-dump-type none \
    "$@" 2>&1 | tee "$RESULTS/dotnet-test.log"
rc=${PIPESTATUS[0]}
set -e
[ $rc -ne 124 ] || say "dotnet test ran past ${NASSAV_TEST_TIMEOUT_MIN:-60} minutes and was stopped"

# --- 5. count, stop, summary ---------------------------------------------------------------------
passed=0 failed=0 skipped=0 files=0
counter() { grep -o " $1=\"[0-9]*\"" <<<"$2" | head -n1 | tr -dc '0-9' || true; }
shopt -s nullglob globstar
for trx in "$RESULTS"/**/*.trx; do
  files=$((files + 1))
  c=$(grep -o '<Counters [^>]*>' "$trx" | head -n1 || true)
  p=$(counter passed "$c"); f=$(counter failed "$c"); e=$(counter error "$c")
  t=$(counter timeout "$c"); a=$(counter aborted "$c"); n=$(counter notExecuted "$c")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${n:-0}))
done
say "$files test result file(s): $passed passed, $failed failed, $skipped skipped; dotnet test exit code $rc"
# Cross-check with the console's per-assembly blocks ("Total tests: 4" then "Passed: 1",
# "Failed: 3", "Skipped: 0", " Total time: ..."): a test host that crashed may leave no TRX file.
read -r cp cf cs < <(awk '
  /^Total tests: / { block = 1; next }
  block && /^ +Passed: +[0-9]+ *$/ { p += $2; next }
  block && /^ +Failed: +[0-9]+ *$/ { f += $2; next }
  block && /^ +Skipped: +[0-9]+ *$/ { s += $2; next }
  /Total time:/ { block = 0 }
  END { print p + 0, f + 0, s + 0 }' "$RESULTS/dotnet-test.log")
if [ $((cp + cf + cs)) -gt $((passed + failed + skipped)) ]; then
  say "the console reports more tests ($cp passed, $cf failed, $cs skipped) than the TRX files: using its counts"
  passed=$cp failed=$cf skipped=$cs
fi
if [ $rc -ne 0 ] && [ $failed -eq 0 ]; then
  say "dotnet test failed without a failed test in the results (crash, hang, time-out or setup error): counted as one failure"
  failed=1
fi

stop_servers
if [ -n "${CI:-}" ]; then dotnet build-server shutdown >/dev/null 2>&1 || true; fi
summary "$passed" "$failed" "$skipped"
[ $failed -eq 0 ] && [ $rc -eq 0 ]
