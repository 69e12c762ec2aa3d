#!/usr/bin/env bash
# Schemathesis over every operation of the API's own OpenAPI document, against a live server:
# gunicorn (gunicorn.conf.py, one worker) on 127.0.0.1 and a free port, a fresh SQLite instance in a
# temporary folder, the real corpus and search index, logged in as a verified researcher (session
# cookie + CSRF token, as the chat page sends them). The spec's examples, then boundary cases, then
# generated ones, at most SCHEMATHESIS_MAX_EXAMPLES per operation; it fails on any 5xx and on any
# status, content type or body the document does not declare. Embeddings come from
# HELPDESK_EMBED_CACHE (default: instance/embed-cache.sqlite3, kept between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-40}

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p instance
export HELPDESK_INSTANCE_DIR="$work/instance"
export DATABASE_URL="sqlite:///$work/instance/helpdesk.sqlite3"
export HELPDESK_INDEX_DIR="$work/index"
export HELPDESK_EMBED_CACHE=${HELPDESK_EMBED_CACHE:-$PWD/instance/embed-cache.sqlite3}
export HELPDESK_SECURE_COOKIES=0 HELPDESK_JSON_LOGS=0 HELPDESK_ACCESS_LOG="$work/access.log"
mkdir -p "$HELPDESK_INSTANCE_DIR"

"$PY" -m helpdesk init-db >/dev/null
"$PY" -m helpdesk faq import --seed corpus/desk-faq >/dev/null
"$PY" -m helpdesk index build | tail -1
password="schemathesis $(head -c 12 /dev/urandom | base64)"
"$PY" -m helpdesk users create --email fuzz@example.jp --name fuzz --role researcher --password "$password" >/dev/null

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
HELPDESK_BIND="127.0.0.1:$port" HELPDESK_WORKERS=1 "$VENV/bin/gunicorn" -c gunicorn.conf.py \
  >"$work/server.log" 2>&1 &
server=$!

# Ready once a warm worker answers (bounded: the model loads in about a minute on two cores).
for _ in $(seq 1 300); do
  if "$PY" -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('$base/readyz', timeout=5).status != 200)" \
       2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 1
done

# Log in as the page does: the form's CSRF token, then the session cookie and the token for the API.
read -r cookie token < <(FUZZ_PASSWORD="$password" "$PY" - "$base" <<'PY'
import os, re, sys
import requests
base = sys.argv[1]
browser = requests.Session()
meta = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
token = meta.search(browser.get(f"{base}/login").text).group(1)
done = browser.post(f"{base}/login", data={"csrf_token": token, "email": "fuzz@example.jp",
                                                "password": os.environ["FUZZ_PASSWORD"]}, allow_redirects=False)
assert done.status_code == 302, f"login failed: {done.status_code}"
token = meta.search(browser.get(f"{base}/").text).group(1)  # the token changes at login
mine = browser.get(f"{base}/api/v1/tickets", headers={"X-CSRFToken": token})
assert mine.status_code == 200, f"the session does not reach the tickets API: {mine.status_code}"
print("; ".join(f"{c.name}={c.value}" for c in browser.cookies), token)
PY
)

# Twice: as the researcher (every operation past its login check) and as a visitor without cookies.
fuzz() {
  timeout 900 "$VENV/bin/schemathesis" run "$base/api/v1/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing --max-examples "$MAX_EXAMPLES" --seed 17 --workers 1 \
    --request-timeout 60 --suppress-health-check all --warnings off "$@"
}
echo "== as a verified researcher (session cookie + X-CSRFToken)"
fuzz -H "Cookie: $cookie" -H "X-CSRFToken: $token" "$@"
echo "== as a visitor (no cookies)"
fuzz "$@"
