"""Order lists stay cheap at size: a constant number of queries with 10,000 orders, filters, search, pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import Order, Thread

STATUSES = [s for s, _label in Order.Status.choices]


@pytest.fixture
def many_orders(deal):
    thread = Thread.objects.create(buyer=deal.buyer_org, provider=deal.provider)
    rows = [
        Order(
            number=f"SO-20261123-{i:06d}",
            buyer=deal.buyer_org,
            provider=deal.provider,
            service=deal.service,
            thread=thread,
            status=STATUSES[i % len(STATUSES)],
            subtotal=Decimal("300.00"),
            vat_rate=Decimal("0.06"),
            vat_amount=Decimal("18.00"),
            total=Decimal("318.00"),
        )
        for i in range(1, 10_001)
    ]
    Order.objects.bulk_create(rows, batch_size=2000)
    return deal


def _queries(client, url: str, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


# Session, user, memberships, the header's checks (provider dashboard, operator console, unread notifications),
# the status counts, the page of orders and its related rows: however many orders there are. Measured after one
# request, which fills what the header caches for every page (the bulletins link).
MAX_LIST_QUERIES = 13


def test_my_orders_with_10000_orders_has_constant_queries(client, many_orders):
    client.force_login(many_orders.buyer_user)
    url = reverse("orders:order-list")
    client.get(url)
    first, page = _queries(client, url)
    last, _ = _queries(client, url, page=400)
    filtered, filtered_page = _queries(client, url, status="paid", page=3)
    assert first == last == filtered
    assert first <= MAX_LIST_QUERIES
    assert "10000" in page.replace(",", "")  # the "All" tab counts every order
    assert 'aria-current="page">' in filtered_page


def test_incoming_with_10000_orders_has_constant_queries(client, many_orders):
    client.force_login(many_orders.provider_user)
    url = reverse("orders:incoming")
    client.get(url)
    assert _queries(client, url)[0] == _queries(client, url, page=100)[0] <= MAX_LIST_QUERIES


def test_search_by_number(client, many_orders):
    client.force_login(many_orders.buyer_user)
    _, page = _queries(client, reverse("orders:order-list"), q="so-20261123-004242")
    assert "SO-20261123-004242" in page
    assert "SO-20261123-004241" not in page


@pytest.mark.parametrize("params", [{"status": "nonsense"}, {"page": "abc"}, {"page": "-5"}, {"q": "x" * 500}])
def test_bad_list_parameters_never_fail(client, deal, params):
    client.force_login(deal.buyer_user)
    assert client.get(reverse("orders:order-list"), params).status_code == 200
