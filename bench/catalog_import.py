"""Benchmark: import 10,000 services from a generated CSV through the real import (dry run + commit).

Not a test. Prints the time and rows/s of each phase and compares the whole import with a baseline
measured in the same run: a plain `bulk_create` of the same 10,000 rows (no parsing, no checks).

    DJANGO_SETTINGS_MODULE=marketplace.settings.dev .venv/bin/python bench/catalog_import.py
    DATABASE_URL=postgres://... DJANGO_SETTINGS_MODULE=marketplace.settings.dev .venv/bin/python bench/catalog_import.py

Options: --rows N (default 10000). It creates (or reuses) a bench provider, category and user, and
deletes the bench provider's services before and after each phase, so it can run repeatedly against
a development database. Migrations must have been applied.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalog import importing  # noqa: E402
from catalog.models import Provider, Service, ServiceCategory, ServiceImport  # noqa: E402
from catalog.services import service_import_commit, service_import_start  # noqa: E402
from marketplace.accounts.models import User  # noqa: E402
from marketplace.organizations.models import Membership, Organization  # noqa: E402
from marketplace.organizations.uscc import check_character  # noqa: E402

STANDARDS = ["GB/T 228.1-2021; ISO 6892-1", "GB/T 3923.1-2013", "ISO 19973-1:2015", "GB/T 307.1-2017", ""]
MODES = [("per_unit", "300", "试样"), ("fixed", "4500", ""), ("per_hour", "680", "小时"), ("quote_only", "", "")]


def setup() -> tuple[User, Provider, ServiceCategory]:
    body = "91330200MA9999999"
    org, _ = Organization.objects.get_or_create(
        uscc=body + check_character(body),
        defaults={"kind": "provider", "name": "基准测试检测中心", "province": "浙江省", "city": "宁波市"},
    )
    provider, _ = Provider.objects.get_or_create(
        slug="bench-provider",
        defaults={
            "organization": org,
            "name_zh": org.name,
            "level": "platform",
            "province": "浙江省",
            "city": "宁波市",
            "verification": "verified",
            "verified_at": timezone.now(),
        },
    )
    category, _ = ServiceCategory.objects.get_or_create(
        slug="bench-category", defaults={"name_zh": "基准类别", "name_en": "Bench category"}
    )
    user = User.objects.filter(email="bench@example.cn").first() or User.objects.create_user(
        "bench@example.cn", "bench-pass-2026"
    )
    Membership.objects.get_or_create(user=user, organization=org)
    return user, provider, category


def generate_csv(rows: int, category: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(importing.COLUMNS)
    for n in range(rows):
        mode, price, unit = MODES[n % len(MODES)]
        values = {
            "slug": f"bench-service-{n:05d}",
            "title_zh": f"金属材料拉伸试验 {n}",
            "title_en": f"Tensile test of metals {n}",
            "category": category,
            "field": "",
            "summary_zh": "依据国家标准开展室温拉伸试验，出具检测报告。",
            "summary_en": "Room-temperature tensile test with a formal report.",
            "description_zh": "检测在具备资质的实验室完成。" * 3,
            "description_en": "Testing takes place in an accredited laboratory. " * 3,
            "standards": STANDARDS[n % len(STANDARDS)],
            "sample_requirements_zh": "每组 3 个试样。",
            "pricing_mode": mode,
            "price": price,
            "price_unit": unit,
            "turnaround_days": str(3 + n % 20),
            "status": "published" if n % 3 else "draft",
        }
        writer.writerow([values[c] for c in importing.COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def clear(provider: Provider) -> None:
    Service.objects.filter(provider=provider).delete()


def teardown(user: User, provider: Provider, category: ServiceCategory) -> None:
    """Leave the development database as it was: the bench objects must not show up in the demo."""
    organization = provider.organization
    provider.delete()  # services, imports and equipment go with it
    organization.delete()
    category.delete()
    user.delete()


def baseline(provider: Provider, category: ServiceCategory, rows: int) -> float:
    """Plain bulk_create of equivalent rows: the floor any import has to pay for the writes alone."""
    now = timezone.now()
    objs = [
        Service(
            provider=provider,
            category=category,
            slug=f"bench-service-{n:05d}",
            title_zh=f"金属材料拉伸试验 {n}",
            title_en=f"Tensile test of metals {n}",
            summary_zh="依据国家标准开展室温拉伸试验，出具检测报告。",
            summary_en="Room-temperature tensile test with a formal report.",
            description_zh="检测在具备资质的实验室完成。" * 3,
            description_en="Testing takes place in an accredited laboratory. " * 3,
            standards=["GB/T 228.1-2021", "ISO 6892-1"],
            sample_requirements_zh="每组 3 个试样。",
            pricing_mode="per_unit",
            price=Decimal("300"),
            price_unit="试样",
            turnaround_days=5,
            status="published",
            published_at=now,
        )
        for n in range(rows)
    ]
    start = time.perf_counter()
    with transaction.atomic():
        Service.objects.bulk_create(objs, batch_size=importing.BATCH_SIZE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    rows = args.rows

    user, provider, category = setup()
    clear(provider)
    content = generate_csv(rows, category.slug)
    print(f"database: {connection.vendor}  rows: {rows}  file: {len(content) / 1e6:.1f} MB")

    base = baseline(provider, category, rows)
    clear(provider)

    start = time.perf_counter()
    job = service_import_start(actor=user, provider=provider, upload=SimpleUploadedFile("bench.csv", content))
    job.refresh_from_db()
    dry = time.perf_counter() - start
    assert job.status == ServiceImport.Status.VALID, job.row_errors[:5]

    start = time.perf_counter()
    service_import_commit(actor=user, service_import=job)
    job.refresh_from_db()
    commit = time.perf_counter() - start
    assert job.status == ServiceImport.Status.DONE, job.message
    imported = Service.objects.filter(provider=provider).count()
    assert imported == rows, imported

    total = dry + commit
    print(f"baseline bulk_create : {base:7.2f} s  {rows / base:9.0f} rows/s")
    print(f"import dry run       : {dry:7.2f} s  {rows / dry:9.0f} rows/s")
    print(f"import commit        : {commit:7.2f} s  {rows / commit:9.0f} rows/s  (re-validates, then writes)")
    print(f"import total         : {total:7.2f} s  {rows / total:9.0f} rows/s")
    print(f"ratio total/baseline : {total / base:7.2f}x")

    job.file.delete(save=False)
    teardown(user, provider, category)


if __name__ == "__main__":
    main()
