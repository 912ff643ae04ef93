"""Operators' statistics equal what a person counts from the raw rows; exports, the bureau's PDF, search logging,
access, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from catalog.models import Provider, Service
from marketplace.statistics.models import SearchDay
from marketplace.statistics.reports import render_monthly_report, to_csv, to_xlsx
from marketplace.statistics.selectors import PAID_STATUSES, Period, platform_statistics, public_numbers
from marketplace.statistics.services import record_search
from orders import services
from orders.models import Order, QuoteRequest, Refund, Review
from orders.payments.services import refund_issue
from tests.factories import ProviderFactory, ServiceFactory, UserFactory, platform_operator
from tests.orders.conftest import make_deal, order_in_state, request_quote, send_quote

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "statistics"


@pytest.fixture
def trade(db):
    """Two deals' worth of orders in several states, a refund, a review and a quote."""
    deal, other = make_deal(), make_deal()
    order_in_state(deal, "completed")
    order_in_state(deal, "in_progress")
    order_in_state(other, "report_issued")
    order_in_state(other, "pending_payment")
    refunded = order_in_state(other, "paid")
    refund_issue(actor=other.provider_user, order_id=refunded.pk, amount=Decimal("100.00"), reason="部分退款")
    done = Order.objects.filter(status="completed").first()
    services.review_create(actor=deal.buyer_user, order_id=done.pk, rating=4, comment="很好")
    send_quote(deal, request_quote(deal))
    return deal, other


def test_statistics_equal_counts_from_the_raw_rows(trade):
    stats = platform_statistics(Period.last_months(12))
    paid = [o for o in Order.objects.all() if o.status in PAID_STATUSES and o.paid_at is not None]
    assert stats.orders == len(paid) == 4
    assert stats.revenue == sum((o.total for o in paid), Decimal("0"))
    assert stats.smes_served == len({o.buyer_id for o in paid}) == 2
    assert stats.refunds == sum((r.amount for r in Refund.objects.all()), Decimal("0")) == Decimal("100.00")
    assert sum(m["orders"] for m in stats.months) == stats.orders
    assert sum(row.orders for row in stats.by_provider) == stats.orders
    assert {row.label: row.orders for row in stats.by_province} == _count_by(paid, lambda o: o.provider.province)
    assert stats.rating_count == Review.objects.count() == 1 and stats.rating_average == 4.0
    spans = [(o.report_issued_at, o.paid_at) for o in Order.objects.all()]
    took = [(issued - paid).total_seconds() for issued, paid in spans if issued is not None and paid is not None]
    expected = sum(took) / len(took) / 86400
    assert stats.turnaround_days == round(expected, 1)
    request = QuoteRequest.objects.get()
    first = min(q.created_at for q in request.quotes.all())
    assert stats.quote_response_hours == round((first - request.created_at).total_seconds() / 3600, 1)
    verified = Provider.objects.filter(verification="verified")
    assert sum(n for _label, n in stats.providers_by_level) == verified.count()
    assert sum(n for _label, n in stats.services_by_category) == Service.objects.public().count()


def _count_by(rows, key):
    counts: dict[str, int] = {}
    for row in rows:
        counts[key(row)] = counts.get(key(row), 0) + 1
    return counts


def test_a_month_without_orders_counts_nothing(trade):
    stats = platform_statistics(Period(start=dt.date(2020, 1, 1), end=dt.date(2020, 2, 1)))
    assert stats.orders == 0 and stats.revenue == 0 and stats.rating_count == 0


def test_exports_hold_the_same_numbers_and_neutralise_formulas(trade):
    ProviderFactory(province="=cmd|' /C calc'!A0")
    stats = platform_statistics(Period.last_months(12))
    text = to_csv(stats).decode("utf-8-sig")
    assert str(stats.orders) in text and "'=cmd" in text and "\n=cmd" not in text
    workbook = load_workbook(io.BytesIO(to_xlsx(stats)))
    months = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert sum(row[1] for row in months[1:]) == stats.orders
    cells = [
        c for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)
    ]
    assert not any(c.startswith("=") for c in cells)


def test_monthly_report_renders_chinese_text_and_a_chart(trade):
    stats = platform_statistics(Period.last_months(1))
    pdf = render_monthly_report(stats)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "平台月度报告" in text and "已付款订单" in text
    assert str(stats.orders) in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report.pdf").write_bytes(pdf)
    subprocess.run(  # noqa: S603
        [
            "/usr/bin/pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(ARTIFACTS / "report.pdf"),
            str(ARTIFACTS / "report"),
        ],
        check=True,
    )
    assert any(ARTIFACTS.glob("report-*1.png"))


def test_searches_are_counted_per_day_and_query_without_who_searched(db):
    record_search("  Tensile   TEST ", 3)
    record_search("tensile test", 0)
    record_search("", 0)
    row = SearchDay.objects.get()
    assert (row.query, row.count, row.zero_results) == ("tensile test", 2, 1)
    assert [f.name for f in SearchDay._meta.fields] == ["id", "day", "query", "count", "zero_results"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_searches_all_count():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")

    def search() -> None:
        try:
            record_search("盐雾试验", 1)
        finally:
            connection.close()

    threads = [threading.Thread(target=search) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SearchDay.objects.get().count == 10


def test_the_search_page_logs_its_query(client, db):
    client.get("/search/", {"q": "拉伸试验"})
    client.get("/search/", {"q": "拉伸试验", "page": "2"})  # paging is not a new search
    assert SearchDay.objects.get().count == 1


def test_only_operators_see_statistics(client, trade):
    for user in (trade[0].buyer_user, UserFactory(is_staff=True)):
        client.force_login(user)
        assert client.get(reverse("statistics:overview")).status_code == 404
        assert client.get(reverse("statistics:report")).status_code == 404
    client.force_login(platform_operator())
    page = client.get(reverse("statistics:overview"), {"months": "6"})
    assert page.status_code == 200 and 'id="chart-data"' in page.content.decode()
    assert client.get(reverse("statistics:export", args=["csv"])).status_code == 200
    assert client.get(reverse("statistics:export", args=["xlsx"])).status_code == 200
    assert client.get(reverse("statistics:export", args=["exe"])).status_code == 404
    for hostile in ({"months": "7"}, {"month": "2026-13"}, {"month": "0000-01"}, {"months": "\x00"}):
        assert client.get(reverse("statistics:overview"), hostile).status_code == 200


def test_the_period_selector_shows_the_period_the_page_shows(client, db):
    client.force_login(platform_operator())
    default = client.get(reverse("statistics:overview")).content.decode()
    assert '<option value="12" selected>' in default  # the last 12 months, as the figures are
    chosen = client.get(reverse("statistics:overview"), {"months": "6"}).content.decode()
    assert '<option value="6" selected>' in chosen


def test_statistics_page_costs_the_same_queries_with_more_data(client, db):
    client.force_login(platform_operator())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("statistics:overview")).status_code == 200
        return len(captured)

    deal = make_deal()
    order_in_state(deal, "completed")
    few = queries()
    for _ in range(3):
        other = make_deal()
        order_in_state(other, "paid")
        ServiceFactory(provider=ProviderFactory(), status=Service.Status.PUBLISHED)
    assert queries() == few


def test_home_page_numbers_come_from_the_cached_summary(client, trade):
    numbers = public_numbers()
    assert numbers["centers"] == Provider.objects.filter(verification="verified").count()
    assert numbers["smes_served"] == 2
    ProviderFactory()  # not counted until the cache expires: the home page never counts per request
    assert public_numbers() == numbers
