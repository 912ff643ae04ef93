#!/usr/bin/env bash
# The whole test suite, on real services: throwaway PostgreSQL 15 and Redis on loopback ports,
# then lint, type checks, migration and deploy checks, and pytest. Servers stop even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

need_pkgs=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_pkgs+=(postgresql-15 postgresql-contrib)
command -v redis-server >/dev/null || need_pkgs+=(redis-server)
command -v chromium >/dev/null || need_pkgs+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need_pkgs+=(fonts-noto-cjk)
command -v msgfmt >/dev/null || need_pkgs+=(gettext)
command -v pdftoppm >/dev/null || need_pkgs+=(poppler-utils)
ldconfig -p | grep libpangoft2 >/dev/null || need_pkgs+=(libpango-1.0-0 libpangoft2-1.0-0)  # not grep -q: with pipefail, its early exit can SIGPIPE ldconfig
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "== installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
TMP=$(mktemp -d)
PG_BIN=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  as_pg $PG_BIN/pg_ctl -D "$TMP/data" -m immediate stop >/dev/null 2>&1 || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

[ "$(id -u)" = 0 ] && chown postgres "$TMP"
as_pg $PG_BIN/initdb -D "$TMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg $PG_BIN/pg_ctl -D "$TMP/data" -l "$TMP/pg.log" -w start \
  -o "-p $PG_PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null

export CI=1
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
echo "== PostgreSQL on $PG_PORT, Redis on $REDIS_PORT"

echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy .
echo "== migrations"; $PY manage.py makemigrations --check --dry-run
echo "== translations"; $PY manage.py compilemessages --ignore=.venv >/dev/null
echo "== deploy check"
SECRET_KEY="ci-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" ALLOWED_HOSTS=example.cn \
  WAGTAILADMIN_BASE_URL=https://example.cn \
  $PY manage.py check --deploy --fail-level WARNING --settings=marketplace.settings.production
echo "== collectstatic (manifest storage: a vendored file referring to a missing one fails here, not in production)"
SECRET_KEY="ci-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" ALLOWED_HOSTS=example.cn \
  WAGTAILADMIN_BASE_URL=https://example.cn STATIC_ROOT="$TMP/static" \
  $PY manage.py collectstatic --noinput -v0 --settings=marketplace.settings.production
echo "== pytest"
$PY -m pytest -n 2 --dist loadgroup "$@"
echo "== search on SQLite (the embedded demo's engine: FTS5 instead of PostgreSQL's full-text search)"
DATABASE_URL="sqlite:///$TMP/search-sqlite.sqlite3" $PY -m pytest -n 2 --dist loadgroup -p no:cacheprovider tests/search
