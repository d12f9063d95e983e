#!/usr/bin/env bash
# Shared helpers for the deploy/local server scripts (Debian, root, no systemd, no Docker).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Every server keeps its data, logs and PID file under one run folder; delete it to start afresh.
RUN_DIR="${NASSAV_RUN_DIR:-$REPO_ROOT/.run}"
mkdir -p "$RUN_DIR"

log() { echo "[deploy/local] $*" >&2; }

# pkg_installed PKG : true when dpkg says PKG is installed (not merely known or removed).
pkg_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

# apt_install PKG... : installs only what is missing; waits for another apt's lock instead of failing.
# `apt-get update` runs once an hour at most across scripts (a fresh machine has no package lists).
apt_install() {
  local missing=()
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local apt_log="$RUN_DIR/apt.log" stamp="$RUN_DIR/apt-updated"
  if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
    log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=600 update -qq >>"$apt_log" 2>&1 </dev/null || { tail -n 30 "$apt_log" >&2; return 1; }
    touch "$stamp"
  fi
  log "installing ${missing[*]} (log: $apt_log)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" \
    >>"$apt_log" 2>&1 </dev/null || { tail -n 30 "$apt_log" >&2; return 1; }
}

# proc_running PID : true when PID runs and is not a zombie (a stopped process stays `Z` until reaped).
proc_running() {
  local pid=$1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  local state; state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)
  [ "$state" != "Z" ]
}

# pid_alive FILE [CMD] : true when the PID in FILE runs and is not a zombie (and, with CMD, when its
# command line contains CMD: a stale PID file whose number was reused by another program is not ours).
pid_alive() {
  local f=$1 cmd=${2:-}
  [ -s "$f" ] || return 1
  local pid; pid=$(head -n1 "$f" 2>/dev/null | tr -dc '0-9')
  proc_running "$pid" || return 1
  [ -z "$cmd" ] || tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$cmd"
}

# stop_pid FILE [TIMEOUT_S] [CMD] : TERM, wait for that PID to end, then KILL and wait again.
# Stopped by PID, never by name; waits on the PID itself (some servers delete their PID file first).
stop_pid() {
  local f=$1 timeout=${2:-20} cmd=${3:-}
  pid_alive "$f" "$cmd" || { rm -f "$f"; return 0; }
  local pid; pid=$(head -n1 "$f" | tr -dc '0-9')
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((timeout * 10))); do proc_running "$pid" || { rm -f "$f"; return 0; }; sleep 0.1; done
  log "PID $pid did not stop in ${timeout}s; killing"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do proc_running "$pid" || break; sleep 0.1; done
  rm -f "$f"
}

# port_busy PORT : true when something already accepts TCP on 127.0.0.1:PORT.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port_block BASE COUNT : prints the first of BASE, BASE+100, BASE+200, ... (up to 50 tries)
# from which COUNT consecutive ports on 127.0.0.1 are all free.
free_port_block() {
  local base=$1 count=$2 k i ok
  for k in $(seq 0 49); do
    ok=1
    for i in $(seq 0 $((count - 1))); do
      if port_busy $((base + k * 100 + i)); then ok=0; break; fi
    done
    [ $ok = 1 ] && { echo $((base + k * 100)); return 0; }
  done
  return 1
}

# require_free_port PORT VARIABLE : fails with a clear message when another program holds PORT.
require_free_port() {
  if port_busy "$1"; then
    log "port $1 on 127.0.0.1 is taken by another program; choose another with $2=..."
    exit 1
  fi
}

# wait_port PORT TIMEOUT_S : until something accepts TCP on 127.0.0.1:PORT.
wait_port() {
  local port=$1 timeout=$2
  for _ in $(seq 1 $((timeout * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
