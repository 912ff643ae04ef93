#!/usr/bin/env bash
# Order lists, operator console, statistics and the booking calendar at N orders.
# Usage: bash bench/run_orders_bench.sh [--orders 10000] [--duration 8] [--explain]
exec bash "$(dirname "$0")/with_services.sh" bench/orders.py "$@"
