#!/usr/bin/env bash
# Runs CMD… against a throwaway PostgreSQL cluster: installs the server with apt when it is missing (as
# root), creates a cluster in a temporary folder listening on 127.0.0.1 and a free port, exports
# TEST_DATABASE_URL (and DATABASE_URL, for the CLI) for an empty database, runs the command, then stops
# the cluster and removes it. Exit status: the command's.
#   bash scripts/with-postgres.sh .venv/bin/python -m pytest -q
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 CMD [ARG…]" >&2; exit 2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
PGBIN="$(find_bin)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "with-postgres: PostgreSQL is not installed; run as root or apt-get install postgresql" >&2
    exit 1
  fi
  apt-get update -qq
  # The package would start its own cluster on 5432: this script runs its own on a free port.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
  PGBIN="$(find_bin)"
fi

# initdb refuses to run as root: the cluster belongs to the postgres account then.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

DIR="$(mktemp -d /tmp/helpdesk-pg.XXXXXX)"
chmod 755 "$DIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

stop() {
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Throwaway and fast: no durability needed, room for many test apps' connections.
as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres helpdesk_test

export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/helpdesk_test"
export DATABASE_URL="$TEST_DATABASE_URL"
export TEST_POSTGRES_BIN="$PGBIN"
echo "with-postgres: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
set +e
"$@"
rc=$?
set -e
exit "$rc"
