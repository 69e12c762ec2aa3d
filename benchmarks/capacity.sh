#!/usr/bin/env bash
# The capacity runs of the README ("Load testing"), on this checkout: a server from gunicorn.conf.py on a
# throwaway database and a free port on 127.0.0.1; the query-embedding ceiling on the same cores, with the
# server idle; benchmarks/load.py with 1, 4 and 16 clients (novel questions, asks only) and once with 16
# clients and a tenth tickets; the server stopped, the ceiling again; then the 16 clients' asks/s over the
# mean of the two ceilings. Each load run has its own question order (SEED + clients; the answer cache must
# not serve a question an earlier run asked), and the ceilings embed the 16 clients' questions.
#   bash benchmarks/capacity.sh [SECONDS]                               # SQLite
#   bash scripts/with-postgres.sh bash benchmarks/capacity.sh [SECONDS] # PostgreSQL, with Redis limits
# Run it on an otherwise idle machine: the figures are the machine's. SECONDS per run: 30 by default.
set -euo pipefail
RUN_SECONDS="${1:-30}"
SEED="${SEED:-$(date +%s)}"
PY="${PYTHON:-.venv/bin/python}"
WORK="$(mktemp -d /tmp/helpdesk-capacity.XXXXXX)"
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT="$(free_port)"
URL="http://127.0.0.1:$PORT"
SERVER=""
REDIS=""
stop() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [ -n "$REDIS" ] && kill "$REDIS" 2>/dev/null && wait "$REDIS" 2>/dev/null
  rm -rf "$WORK"
}
trap stop EXIT

export DATABASE_URL="${DATABASE_URL:-sqlite:///$WORK/load.sqlite3}"
if [[ "$DATABASE_URL" == postgresql* ]]; then
  # Shared rate limits, as on several nodes: a private redis-server that keeps nothing.
  REDIS_PORT="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >"$WORK/redis.log" &
  REDIS=$!
  export HELPDESK_RATELIMIT_STORAGE_URI="redis://127.0.0.1:$REDIS_PORT"
fi
export HELPDESK_BIND="127.0.0.1:$PORT" HELPDESK_SECURE_COOKIES=0 HELPDESK_MAIL_SENDER=0
PASSWORD="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(16))')"
"$PY" -m helpdesk init-db
"$PY" -m helpdesk index build >/dev/null
"$PY" -m helpdesk users create --email load@example.jp --name "Load test" --role researcher --password "$PASSWORD"

"$PY" -m gunicorn -c gunicorn.conf.py >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 300); do
  "$PY" -c "import urllib.request as u; u.urlopen('$URL/readyz', timeout=5)" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 1
done
# The server's workers have warmed up and wait: the ceiling's two processes have the cores to themselves.
"$PY" benchmarks/load.py --ceiling --seconds "$RUN_SECONDS" --seed $((SEED + 16)) --json-out "$WORK/ceiling-before.json"
echo "server: $(nproc) cores, database $(echo "$DATABASE_URL" | cut -d: -f1), limits ${HELPDESK_RATELIMIT_STORAGE_URI:-memory://}"
for clients in 1 4 16; do
  "$PY" benchmarks/load.py --url "$URL" --clients "$clients" --seconds "$RUN_SECONDS" --seed $((SEED + clients)) --json-out "$WORK/clients-$clients.json"
done
"$PY" benchmarks/load.py --url "$URL" --clients 16 --seconds "$RUN_SECONDS" --seed $((SEED + 100)) --tickets 0.1 \
  --email load@example.jp --password "$PASSWORD"
kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
SERVER=""
"$PY" benchmarks/load.py --ceiling --seconds "$RUN_SECONDS" --seed $((SEED + 16)) --json-out "$WORK/ceiling-after.json"
echo "seed $SEED"
"$PY" benchmarks/load.py --ratio "$WORK/clients-16.json" "$WORK/ceiling-before.json" "$WORK/ceiling-after.json"
