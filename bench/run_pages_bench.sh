#!/usr/bin/env bash
# Every public page and the search API at N services (100,000 by default; --services 1000000 for the 1M run).
# Usage: bash bench/run_pages_bench.sh [--services 100000] [--duration 8]
exec bash "$(dirname "$0")/with_services.sh" bench/pages.py "$@"
