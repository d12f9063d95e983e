#!/usr/bin/env bash
# Command-line tools NasSav and its tests call as processes: ffmpeg/ffprobe (thumbnails, remux) and, for the
# browser tests (tests/NasSav.BrowserTests, Playwright driving it through ExecutablePath), Debian's Chromium.
# Installs what is missing from Debian's packages (one apt run); prints nothing on stdout.
#   deploy/local/ensure-tools.sh [check]      check: exit 0 when everything is there, 1 otherwise
#   deploy/local/ensure-tools.sh fonts        CJK fonts for pictures of the UI (docs/screenshots), 56 MB: not for tests
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHROMIUM=/usr/bin/chromium

have_ffmpeg() { command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; }
have_chromium() { [ -x "$CHROMIUM" ]; }

if [ "${1:-}" = fonts ]; then
  apt_install fonts-noto-cjk
  exit
fi
if [ "${1:-}" = check ]; then
  have_ffmpeg && have_chromium
  exit
fi
need=()
have_ffmpeg || need+=(ffmpeg)
have_chromium || need+=(chromium)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
log "ffmpeg: $(ffmpeg -hide_banner -version 2>/dev/null | head -n1)"
log "chromium: $("$CHROMIUM" --version 2>/dev/null | head -n1)"
