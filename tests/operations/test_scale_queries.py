"""The operator console and the statistics page cost the same number of queries with 1,000 centers and 100,000
services as with a handful (the issue's scale), however many rows the grouped counts read."""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import IndustryField, Provider, Service, ServiceCategory
from marketplace.organizations.models import Organization
from tests.factories import ServiceFactory, platform_operator, valid_uscc

PROVIDERS = 1_000
SERVICES = 100_000
BATCH = 5_000
PAGES = [
    reverse("operations:queue"),
    reverse("operations:queue") + "?status=submitted",
    reverse("operations:providers"),
    reverse("operations:providers") + "?status=verified",
    reverse("statistics:overview"),
    reverse("statistics:export", kwargs={"fmt": "csv"}),
]


def _grow_catalog() -> None:
    """1,000 centers across levels, provinces and fields, and 100,000 services (bulk: no signals, no index)."""
    rng = random.Random(14)
    now = timezone.now()
    categories = list(ServiceCategory.objects.all())
    fields = [
        IndustryField.objects.create(slug=f"scale-{i}", name_zh=f"领域{i}", name_en=f"Field {i}") for i in range(8)
    ]
    provinces = ["浙江省", "江苏省", "广东省", "上海市", "北京市", "湖北省"]
    organizations = Organization.objects.bulk_create(
        Organization(
            kind="provider",
            name=f"规模中心{i}",
            uscc=valid_uscc(50_000 + i),
            province=provinces[i % 6],
            city="某市",
            verified_at=now,
        )
        for i in range(PROVIDERS)
    )
    providers = Provider.objects.bulk_create(
        Provider(
            organization=o,
            slug=f"scale-{i}",
            name_zh=o.name,
            level=["national", "provincial", "municipal", "platform"][i % 4],
            province=o.province,
            city=o.city,
            verification="verified",
            verified_at=now,
        )
        for i, o in enumerate(organizations)
    )
    for provider, field in zip(providers, fields * (PROVIDERS // len(fields)), strict=False):
        provider.fields.add(field)
    for start in range(0, SERVICES, BATCH):
        Service.objects.bulk_create(
            Service(
                provider=rng.choice(providers),
                category=rng.choice(categories),
                field=rng.choice(fields),
                slug=f"scale-{n}",
                title_zh=f"规模服务{n}",
                pricing_mode="fixed",
                price=Decimal(100),
                turnaround_days=5,
                status="published",
                published_at=now,
            )
            for n in range(start, start + BATCH)
        )


def _queries(client) -> dict[str, int]:
    counts = {}
    for path in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        counts[path] = len(queries)
    return counts


@pytest.mark.django_db
def test_console_and_statistics_queries_do_not_grow_with_1000_centers_and_100000_services(client):
    ServiceFactory.create_batch(3)  # a handful: categories, centers and services to group
    client.force_login(platform_operator())
    few = _queries(client)
    _grow_catalog()
    assert Service.objects.count() > SERVICES and Provider.objects.count() > PROVIDERS
    assert _queries(client) == few
    assert max(few.values()) <= 30  # the statistics page: one grouped query per figure (29 today)
