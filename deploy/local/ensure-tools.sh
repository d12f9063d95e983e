#!/usr/bin/env bash
# Command-line tools NasSav and its tests call as processes: ffmpeg/ffprobe (thumbnails, remux) and
# Chromium (the browser tests drive Debian's chromium through Playwright; never Playwright's own download).
# Installs what is missing from Debian's packages; prints nothing on stdout.
#   deploy/local/ensure-tools.sh [check]
#   deploy/local/ensure-tools.sh fonts    CJK fonts for pictures of the UI (docs/screenshots), 56 MB: not for tests
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ "${1:-}" = fonts ]; then
  apt_install fonts-noto-cjk
  exit
fi

if [ "${1:-}" = check ]; then
  command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null && [ -x /usr/bin/chromium ]
  exit
fi
if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  apt_install ffmpeg
fi
log "ffmpeg: $(ffmpeg -hide_banner -version 2>/dev/null | head -n1)"
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
log "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
