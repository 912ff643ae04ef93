#!/usr/bin/env bash
# Runs bench/search.py against a throwaway PostgreSQL 15 (stopped and removed on exit, even on failure).
# Usage: bash bench/run_search_bench.sh [--services 100000] [--rounds 30] [--requests 400]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_BIN=/usr/lib/postgresql/15/bin
[ -x $PG_BIN/initdb ] || { apt-get update -qq && apt-get install -y -qq postgresql-15 postgresql-contrib >/dev/null; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TMP=$(mktemp -d)
cleanup() { as_pg $PG_BIN/pg_ctl -D "$TMP/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM
[ "$(id -u)" = 0 ] && chown postgres "$TMP"
as_pg $PG_BIN/initdb -D "$TMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg $PG_BIN/pg_ctl -D "$TMP/data" -l "$TMP/pg.log" -w start \
  -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c shared_buffers=256MB -c work_mem=32MB" >/dev/null
DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres" SEARCH_BACKEND=database $PY bench/search.py "$@"
