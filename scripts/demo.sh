#!/usr/bin/env bash
# The demo server with card payments: localstripe (a fake Stripe API, test cards only) on 8420 beside
# Django's server on 8000. Both stop when this script ends (Ctrl-C), also on error.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
LS_PID=""
cleanup() { [ -n "$LS_PID" ] && kill "$LS_PID" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
if ! curl -s -o /dev/null http://127.0.0.1:8420/js.stripe.com/v3/; then
  .venv/bin/localstripe --port 8420 --from-scratch >/tmp/localstripe-demo.log 2>&1 &
  LS_PID=$!
  for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:8420/js.stripe.com/v3/ && break; sleep 0.2; done
fi
$PY manage.py localstripe_webhook --site http://127.0.0.1:8000
echo "Card payments: test card 4242 4242 4242 4242 (3-D Secure: 4000 0027 6000 3184), any future date and CVC."
$PY manage.py runserver 127.0.0.1:8000
