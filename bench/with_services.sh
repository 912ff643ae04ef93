#!/usr/bin/env bash
# Runs a page benchmark (gunicorn + production settings + wrk) against a throwaway PostgreSQL 15 and a throwaway
# Redis, both stopped and removed on exit, even on failure. Installs what is missing (Debian packages).
# Usage: bash bench/with_services.sh bench/orders.py [its arguments]   (run_orders_bench.sh, run_pages_bench.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPT=$1
shift
PY=.venv/bin/python
PG_BIN=/usr/lib/postgresql/15/bin
need_apt() { [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }; apt-get install -y -qq "$@" >/dev/null; }
[ -x $PG_BIN/initdb ] || need_apt postgresql-15 postgresql-contrib
command -v redis-server >/dev/null || need_apt redis-server
command -v wrk >/dev/null || need_apt wrk
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
REDIS_PORT=$(free_port)
TMP=$(mktemp -d)
cleanup() {
  # gunicorn is stopped by the script; its pid file is the safety net when the script itself was killed.
  [ -s "$TMP/gunicorn.pid" ] && kill "$(cat "$TMP/gunicorn.pid")" 2>/dev/null || true
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  as_pg $PG_BIN/pg_ctl -D "$TMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
[ "$(id -u)" = 0 ] && chown postgres "$TMP"
as_pg $PG_BIN/initdb -D "$TMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg $PG_BIN/pg_ctl -D "$TMP/data" -l "$TMP/pg.log" -w start \
  -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB -c work_mem=32MB -c max_wal_size=4GB" >/dev/null
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
  --dir "$TMP" --logfile "$TMP/redis.log" >/dev/null
DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" \
  $PY "$SCRIPT" --pidfile "$TMP/gunicorn.pid" "$@"
