#!/usr/bin/env bash
# The servers the tests start for themselves: PostgreSQL (scripts/with-postgres.sh) and redis-server
# (the shared rate-limit test). Installed with apt when missing and run as root; neither is left running.
set -euo pipefail
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql postgresql-client)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-servers: missing ${missing[*]}; run as root or apt-get install them" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packages start their own services; the tests run private ones on free ports instead.
for service in redis-server postgresql; do
  service "$service" stop >/dev/null 2>&1 || true
done
