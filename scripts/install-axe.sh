#!/usr/bin/env bash
# axe-core from npm (the version pinned in scripts/axe/package-lock.json) for the accessibility browser test,
# which injects scripts/axe/node_modules/axe-core/axe.min.js into the pages it checks.
set -euo pipefail
cd "$(dirname "$0")/axe"
if [ -f node_modules/axe-core/axe.min.js ] && grep -q "\"version\": \"$(sed -n 's/.*"axe-core": "\(.*\)".*/\1/p' package.json)\"" node_modules/axe-core/package.json; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-axe: npm is missing; run as root or install it (apt-get install npm)" >&2
    exit 0
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
npm ci --no-audit --no-fund --silent
