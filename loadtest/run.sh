#!/usr/bin/env bash
# `make load`: 50 signed-in HR officers for 60 s against gunicorn on 127.0.0.1:$LOAD_PORT (default 8765),
# on the PostgreSQL and Redis of DATABASE_URL / REDIS_URL. Results: artifacts/load/.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${LOAD_PORT:-8765}
USERS=${LOAD_USERS:-50}
DURATION=${LOAD_DURATION:-60s}
WORKERS=${LOAD_WORKERS:-3}  # as the Dockerfile: three sync workers
PY=.venv/bin/python
OUT=artifacts/load
mkdir -p "$OUT"

# Production-like settings, served over plain HTTP on the loopback.
export DEBUG=false SECRET_KEY="load-test-$(date +%s)" ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false \
  SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 STATIC_MANIFEST=false LOG_LEVEL=WARNING

$PY manage.py migrate --noinput >/dev/null
DEBUG=true $PY manage.py seed_demo --if-empty
$PY loadtest/setup_sessions.py "$USERS" "$OUT/sessions.json"

$PY -m gunicorn socialpolicy.wsgi -b "127.0.0.1:$PORT" -w "$WORKERS" \
  --log-level warning --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break
  sleep 0.2
done

LOAD_SESSIONS="$OUT/sessions.json" .venv-load/bin/locust -f loadtest/locustfile.py --headless \
  -u "$USERS" -r "$USERS" -t "$DURATION" --host "http://127.0.0.1:$PORT" --csv "$OUT/run" --only-summary --stop-timeout 30 \
  2>&1 | tee "$OUT/locust.txt"
$PY loadtest/report.py "$OUT/run_stats.csv" | tee "$OUT/summary.md"
