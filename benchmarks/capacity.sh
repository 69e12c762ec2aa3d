#!/usr/bin/env bash
# The capacity runs of the README ("Load testing"), on this checkout: a server from gunicorn.conf.py on a
# throwaway database and a free port on 127.0.0.1; benchmarks/load.py with 1 and 4 clients (novel questions,
# asks only) and 16 clients with a tenth tickets; then ROUNDS (4) windows of 16 clients asking, each between
# two measurements of the query-embedding ceiling on the same cores (the server idle), and each window's served
# asks/s over the mean of its two ceilings, with their median and pooled ratio. Each load run has its own
# question order (the answer cache must not serve a question an earlier run asked), and the ceilings around a
# window embed that window's questions.
#   bash benchmarks/capacity.sh [SECONDS]                               # SQLite
#   bash scripts/with-postgres.sh bash benchmarks/capacity.sh [SECONDS] # PostgreSQL, with Redis limits
# Run it on an otherwise idle machine: the figures are the machine's. SECONDS per run: 30 by default (a window and a ceiling: half).
set -euo pipefail
RUN_SECONDS="${1:-30}"
ROUNDS="${ROUNDS:-4}"
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
"$PY" -m helpdesk users create --email load@example.jp --name "Load test" --role researcher --password="$PASSWORD"

"$PY" -m gunicorn -c gunicorn.conf.py >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 300); do
  "$PY" -c "import urllib.request as u; u.urlopen('$URL/readyz', timeout=5)" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 1
done
echo "server: $(nproc) cores, database $(echo "$DATABASE_URL" | cut -d: -f1), limits ${HELPDESK_RATELIMIT_STORAGE_URI:-memory://}"
for clients in 1 4; do
  "$PY" benchmarks/load.py --url "$URL" --clients "$clients" --seconds "$RUN_SECONDS" --seed $((SEED + clients))
done
"$PY" benchmarks/load.py --url "$URL" --clients 16 --seconds "$RUN_SECONDS" --seed $((SEED + 100)) --tickets 0.1 \
  --email load@example.jp --password="$PASSWORD"
# The ratio: ROUNDS windows of 16 clients, each between two ceilings (the warmed server idle meanwhile, so the
# ceiling's processes have the cores to themselves), each window on its own novel questions, which the ceilings
# around it embed too.
WINDOW=$(( (RUN_SECONDS + 1) / 2 ))
RUNS=()
for round in $(seq "$ROUNDS"); do
  "$PY" benchmarks/load.py --ceiling --seconds "$WINDOW" --seed $((SEED + 16 * round)) --json-out "$WORK/ceiling-$round.json"
  RUNS+=("$WORK/ceiling-$round.json")
  "$PY" benchmarks/load.py --url "$URL" --clients 16 --seconds "$WINDOW" --seed $((SEED + 16 * round)) \
    --json-out "$WORK/clients-16-$round.json"
  RUNS+=("$WORK/clients-16-$round.json")
done
"$PY" benchmarks/load.py --ceiling --seconds "$WINDOW" --seed $((SEED + 16 * ROUNDS)) --json-out "$WORK/ceiling-last.json"
echo "seed $SEED"
"$PY" benchmarks/load.py --ratio "${RUNS[@]}" "$WORK/ceiling-last.json"
