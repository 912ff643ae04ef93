"""Public page benchmark: every public page and the search API at 100,000 (or 1,000,000) services.

Not a test. `bash bench/run_pages_bench.sh --services 100000` starts a throwaway PostgreSQL 15 and Redis and
runs it; it also runs against whatever DATABASE_URL and REDIS_URL point at (PostgreSQL only):

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/pages.py --services 100000

Everything runs with marketplace.settings.production (bench values for what it requires, bench/serving.py).
It migrates; generates the catalog of bench/search.py once per N (300 centers, 21 categories, 10 fields, N
services, 1 in 25 a draft); recounts the maintained counters and rebuilds the search index as the nightly
tasks would; creates the CMS home page; collects static files; starts gunicorn and measures each URL with
wrk in the same run as /healthz, after checking that every URL answers 200 with what it must show.
"""

import argparse
import signal
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# First: bench.serving sets the production settings before bench.search would set Django up with its own.
import bench.serving  # noqa: F401

# isort: split
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from bench.search import generate
from bench.serving import Page, collect_static, measure_pages, print_table
from catalog.counters import refresh_public_counts
from catalog.models import Provider, Service, ServiceCategory
from cms.setup import ensure_site
from marketplace.organizations.models import Organization
from search import api


def ensure_catalog(count: int) -> None:
    """The bench catalog with exactly `count` services (replaced when another size was generated before)."""
    existing = Service.objects.filter(slug__startswith="bench-").count()
    if existing == count:
        print(f"catalog: {count:,} bench services already there", flush=True)
        return
    started = time.perf_counter()
    if existing:
        Service.objects.filter(slug__startswith="bench-").delete()
        Provider.objects.filter(slug__startswith="bench-provider-").delete()
        Organization.objects.filter(name__startswith="基准中心").delete()
    generate(count)
    print(f"catalog: {count:,} services generated in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    refresh_public_counts(None)
    api.rebuild_index()
    cache.clear()
    api.warm_landing_search()
    print(f"counters and search index in {time.perf_counter() - started:.0f} s", flush=True)


def pages() -> list[Page]:
    """The measured URLs, each with text it must show (the data it is about, not only the layout)."""
    provider = Provider.objects.filter(slug__startswith="bench-provider-", verification="verified").first()
    root = ServiceCategory.objects.filter(slug__startswith="bench-", parent__isnull=True).first()
    child = ServiceCategory.objects.filter(slug__startswith="bench-", parent__isnull=False).first()
    service = Service.objects.public().filter(provider=provider).select_related("provider").first()
    if provider is None or root is None or child is None or service is None:
        raise SystemExit("the bench catalog is incomplete")
    last_directory_page = -(-Provider.objects.filter(verification="verified").count() // 20)
    tensile = quote("拉伸试验")
    return [
        Page("/healthz", "", ['"ok"']),
        Page("/", "", ['class="hero']),
        Page("/en/", "", ['class="hero']),
        Page("/catalog/categories/", "", [root.name_zh, f"{root.public_service_count:,}".replace(",", "")]),
        Page("/catalog/providers/", "", ['class="card provider-card']),
        Page(f"/catalog/providers/?page={last_directory_page}", "", ['class="card provider-card']),
        Page("/catalog/providers/?level=provincial&province=%E6%B5%99%E6%B1%9F%E7%9C%81", "", ["provider-card"]),
        Page(root.get_absolute_url(), "", [root.name_zh, "service-card"]),
        Page(f"{child.get_absolute_url()}?page=5", "", [child.name_zh, "service-card"]),
        Page(provider.get_absolute_url(), "", [provider.name_zh, "service-card"]),
        Page(service.get_absolute_url(), "", [service.title_zh]),
        Page("/search/", "", ["search-results"]),
        Page(f"/search/?q={tensile}", "", ["<mark>"]),
        Page(f"/search/?q={quote('GB/T 228.1')}", "", ["GB/T 228.1"]),
        Page(f"/search/api/services?q={tensile}", "", ['"total"']),
        Page(f"/standards/{quote('GB/T 228.1')}/", "", ["compare-table"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per URL")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk per URL before measuring")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--pidfile", default="", help="gunicorn's pid file (the runner's cleanup reads it)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only (DATABASE_URL=postgres://...)")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # the runner's trap unwinds; gunicorn is stopped
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
    collect_static()
    ensure_catalog(args.services)
    ensure_site()
    measured = pages()
    run = measure_pages(measured, {"": ""}, args)
    print(f"\nservices: {args.services:,} (public: {Service.objects.public().count():,})")
    print_table(measured, run, args)


if __name__ == "__main__":
    main()
