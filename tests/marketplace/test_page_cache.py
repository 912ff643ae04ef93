"""The anonymous page cache (marketplace/page_cache.py): served without a query, never stale, never personal."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from catalog.counters import refresh_public_counts
from catalog.models import Service
from marketplace.page_cache import CACHED_PATHS
from marketplace.statistics.models import SearchDay
from search import api
from tests.factories import UserFactory, search_catalog


@pytest.fixture
def catalog(db):
    data = search_catalog()
    api.rebuild_index()
    cache.clear()
    return data


@pytest.mark.parametrize(
    ("path", "cached"),
    [
        ("/", True),
        ("/en/", True),
        ("/catalog/categories/", True),
        ("/en/catalog/providers/ningbo/services/tensile/", True),
        ("/standards/GB/T 228.1/", True),
        ("/search/api/services", True),
        ("/search/", False),
        ("/catalog/dashboard/", False),
        ("/orders/", False),
        ("/admin/", False),
        ("/en/accounts/login/", False),
    ],
)
def test_only_public_catalog_pages_are_cached(path, cached):
    assert (CACHED_PATHS.match(path) is not None) is cached


def test_a_repeated_anonymous_request_is_served_without_a_query(client, catalog, django_assert_num_queries):
    url = catalog["services"]["tensile"].get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200 and second.content == first.content


def test_a_catalog_write_invalidates_the_cached_pages(client, catalog, django_capture_on_commit_callbacks):
    service = catalog["services"]["tensile"]
    client.get(service.get_absolute_url())
    client.get(reverse("catalog:category-list"))
    with django_capture_on_commit_callbacks(execute=True):
        service.title_zh = "金属材料室温拉伸试验（新版）"
        service.save()
    assert "（新版）" in client.get(service.get_absolute_url()).content.decode()


def test_counters_written_without_signals_invalidate_too(client, catalog):
    url = reverse("catalog:category-list")
    client.get(url)
    Service.objects.filter(pk=catalog["services"]["pilot"].pk).update(status="archived")  # no signal
    refresh_public_counts()
    response = client.get(url)
    assert response.context is not None  # rendered again, not served from the cache


def test_signed_in_users_are_never_served_a_cached_page(client, catalog):
    url = catalog["services"]["tensile"].get_absolute_url()
    client.get(url)
    user = UserFactory()
    client.force_login(user)
    response = client.get(url)
    assert response.context is not None and response.context["user"] == user


def test_every_anonymous_search_page_is_still_counted(client, catalog):
    for _ in range(3):
        client.get(reverse("search:search"), {"q": "拉伸"})
    assert SearchDay.objects.get(query="拉伸").count == 3
