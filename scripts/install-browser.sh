#!/usr/bin/env bash
# Headless Chromium (Debian's) and a Japanese font for the browser test.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi ipagothic; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: chromium and fonts-ipafont-gothic are missing; run as root or install them (apt-get install chromium fonts-ipafont-gothic)" >&2
  exit 0
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-ipafont-gothic fontconfig >/dev/null
