"""Figures for operators and the industry bureau. Each function is one grouped query (or a few), whatever
the number of rows; the page and the exports read the same `PlatformStatistics`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from catalog.models import Provider, Service
from orders.models import Order, QuoteRequest, Refund, Review

from .models import SearchDay
from .utilisation import Utilisation, equipment_utilisation

PAID_STATUSES = [
    Order.Status.PAID,
    Order.Status.SAMPLE_RECEIVED,
    Order.Status.IN_PROGRESS,
    Order.Status.REPORT_ISSUED,
    Order.Status.COMPLETED,
    Order.Status.REFUNDED,
]
TOP_QUERIES = 20


@dataclass(frozen=True)
class Period:
    """Whole months, `start` (first day) to `end` (first day of the month after the last)."""

    start: dt.date
    end: dt.date

    @classmethod
    def last_months(cls, months: int, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        end = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        start = end
        for _ in range(months):
            start = (start - dt.timedelta(days=1)).replace(day=1)
        return cls(start=start, end=end)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end, dt.time.min, tzinfo=tz),
        )


@dataclass
class Row:
    label: str
    orders: int = 0
    revenue: Decimal = Decimal("0.00")


@dataclass
class PlatformStatistics:
    period: Period
    providers_by_level: list[tuple[str, int]]
    providers_by_province: list[tuple[str, int]]
    providers_by_field: list[tuple[str, int]]
    services_by_category: list[tuple[str, int]]
    months: list[dict[str, Any]]
    by_provider: list[Row]
    by_category: list[Row]
    by_field: list[Row]
    by_province: list[Row]
    orders: int
    revenue: Decimal
    refunds: Decimal
    smes_served: int
    quote_response_hours: float | None
    turnaround_days: float | None
    rating_average: float | None
    rating_count: int
    searches_per_day: list[tuple[dt.date, int]]
    top_queries: list[tuple[str, int]]
    zero_result_queries: list[tuple[str, int]]
    utilisation: list[Utilisation]  # per bookable instrument
    utilisation_by_center: list[Utilisation]


def _money(value: Decimal | None) -> Decimal:
    """Yuan to the fen (SQLite sums decimals with many places)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _choices_label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


def providers_by_level() -> list[tuple[str, int]]:
    rows = Provider.objects.filter(verification=Provider.Verification.VERIFIED).values("level").annotate(n=Count("id"))
    return [(_choices_label(Provider.Level.choices, r["level"]), r["n"]) for r in rows.order_by("-n", "level")]


def providers_by_province() -> list[tuple[str, int]]:
    rows = (
        Provider.objects.filter(verification=Provider.Verification.VERIFIED).values("province").annotate(n=Count("id"))
    )
    return [(r["province"], r["n"]) for r in rows.order_by("-n", "province")]


def providers_by_field() -> list[tuple[str, int]]:
    rows = (
        Provider.objects.filter(verification=Provider.Verification.VERIFIED)
        .values("fields__name_zh", "fields__name_en")
        .annotate(n=Count("id"))
        .exclude(fields__name_zh=None)
    )
    return [(_bilingual(r["fields__name_zh"], r["fields__name_en"]), r["n"]) for r in rows.order_by("-n")]


def services_by_category() -> list[tuple[str, int]]:
    rows = (
        Service.objects.public()
        .values("category__name_zh", "category__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "category__name_zh")
    )
    return [(_bilingual(r["category__name_zh"], r["category__name_en"]), r["n"]) for r in rows]


def _bilingual(zh: str | None, en: str | None) -> str:
    from marketplace.languages import pick

    return pick(zh or "", en or "")


def paid_orders(period: Period) -> Any:
    start, end = period.bounds()
    return Order.objects.filter(status__in=PAID_STATUSES, paid_at__gte=start, paid_at__lt=end)


def _grouped(period: Period, key: str, label: Any) -> list[Row]:
    rows = paid_orders(period).values(*key.split(",")).annotate(orders=Count("id"), revenue=Sum("total"))
    result = [Row(label=label(r), orders=r["orders"], revenue=_money(r["revenue"])) for r in rows]
    return sorted(result, key=lambda row: (-row.revenue, row.label))


def monthly(period: Period) -> list[dict[str, Any]]:
    """Orders paid, revenue, SMEs served and refunds per month of the period (months without orders included)."""
    start, end = period.bounds()
    paid = {
        r["month"].date() if hasattr(r["month"], "date") else r["month"]: r
        for r in paid_orders(period)
        .annotate(month=TruncMonth("paid_at"))
        .values("month")
        .annotate(orders=Count("id"), revenue=Sum("total"), smes=Count("buyer", distinct=True))
    }
    refunds = {
        r["month"].date() if hasattr(r["month"], "date") else r["month"]: r["amount"]
        for r in Refund.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(amount=Sum("amount"))
    }
    months, cursor = [], period.start
    while cursor < period.end:
        row = paid.get(cursor, {})
        months.append(
            {
                "month": cursor,
                "orders": row.get("orders", 0),
                "revenue": _money(row.get("revenue")),
                "smes": row.get("smes", 0),
                "refunds": _money(refunds.get(cursor)),
            }
        )
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return months


def quote_response_hours(period: Period) -> float | None:
    """Average time from a quote request to its first quote, for requests made in the period."""
    start, end = period.bounds()
    delay = ExpressionWrapper(Min("quotes__created_at") - F("created_at"), output_field=DurationField())
    rows = (
        QuoteRequest.objects.filter(created_at__gte=start, created_at__lt=end, quotes__isnull=False)
        .values("pk")
        .annotate(delay=delay)
        .values_list("delay", flat=True)
    )
    delays = [d.total_seconds() for d in rows if d is not None]
    return round(sum(delays) / len(delays) / 3600, 1) if delays else None


def turnaround_days(period: Period) -> float | None:
    """Average time from payment to the report, for reports issued in the period."""
    start, end = period.bounds()
    took = ExpressionWrapper(F("report_issued_at") - F("paid_at"), output_field=DurationField())
    value = (
        Order.objects.filter(report_issued_at__gte=start, report_issued_at__lt=end, paid_at__isnull=False)
        .annotate(took=took)
        .aggregate(avg=Avg("took"))["avg"]
    )
    return round(value.total_seconds() / 86400, 1) if value is not None else None


def searches(period: Period) -> tuple[list[tuple[dt.date, int]], list[tuple[str, int]], list[tuple[str, int]]]:
    rows = SearchDay.objects.filter(day__gte=period.start, day__lt=period.end)
    per_day = list(rows.values("day").annotate(n=Sum("count")).order_by("day").values_list("day", "n"))
    top = list(
        rows.values("query").annotate(n=Sum("count")).order_by("-n", "query").values_list("query", "n")[:TOP_QUERIES]
    )
    zero = list(
        rows.filter(zero_results__gt=0)
        .values("query")
        .annotate(n=Sum("zero_results"))
        .order_by("-n", "query")
        .values_list("query", "n")[:TOP_QUERIES]
    )
    return per_day, top, zero


def platform_statistics(period: Period) -> PlatformStatistics:
    """Everything the statistics page, its exports and the monthly report show."""
    start, end = period.bounds()
    orders = paid_orders(period)
    totals = orders.aggregate(n=Count("id"), revenue=Sum("total"), smes=Count("buyer", distinct=True))
    refunds = Refund.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(s=Sum("amount"))["s"]
    reviews = Review.objects.filter(created_at__gte=start, created_at__lt=end).aggregate(
        avg=Avg("rating"), n=Count("id")
    )
    per_day, top, zero = searches(period)
    per_instrument, per_center = equipment_utilisation(period)
    return PlatformStatistics(
        period=period,
        providers_by_level=providers_by_level(),
        providers_by_province=providers_by_province(),
        providers_by_field=providers_by_field(),
        services_by_category=services_by_category(),
        months=monthly(period),
        by_provider=_grouped(
            period,
            "provider__name_zh,provider__name_en",
            lambda r: _bilingual(r["provider__name_zh"], r["provider__name_en"]),
        ),
        by_category=_grouped(
            period,
            "service__category__name_zh,service__category__name_en",
            lambda r: _bilingual(r["service__category__name_zh"], r["service__category__name_en"]),
        ),
        by_field=_grouped(
            period,
            "service__field__name_zh,service__field__name_en",
            lambda r: _bilingual(r["service__field__name_zh"], r["service__field__name_en"]) or "—",
        ),
        by_province=_grouped(period, "provider__province", lambda r: r["provider__province"]),
        orders=totals["n"],
        revenue=_money(totals["revenue"]),
        refunds=_money(refunds),
        smes_served=totals["smes"],
        quote_response_hours=quote_response_hours(period),
        turnaround_days=turnaround_days(period),
        rating_average=round(float(reviews["avg"]), 1) if reviews["avg"] is not None else None,
        rating_count=reviews["n"],
        searches_per_day=per_day,
        top_queries=top,
        zero_result_queries=zero,
        utilisation=per_instrument,
        utilisation_by_center=per_center,
    )


PUBLIC_NUMBERS_KEY = "statistics:public-numbers"
PUBLIC_NUMBERS_SECONDS = 600


def public_numbers() -> dict[str, int]:
    """The home page's "platform in numbers", cached for ten minutes (never counted per request)."""
    numbers = cache.get(PUBLIC_NUMBERS_KEY)
    if numbers is None:
        done = Order.objects.filter(status__in=[Order.Status.REPORT_ISSUED, Order.Status.COMPLETED])
        numbers = {
            "centers": Provider.objects.filter(verification=Provider.Verification.VERIFIED).count(),
            "services": Service.objects.public().count(),
            "smes_served": Order.objects.filter(status__in=PAID_STATUSES).values("buyer").distinct().count(),
            "reports": done.count(),
            "provinces": Provider.objects.filter(verification=Provider.Verification.VERIFIED)
            .values("province")
            .distinct()
            .count(),
        }
        cache.set(PUBLIC_NUMBERS_KEY, numbers, PUBLIC_NUMBERS_SECONDS)
    return numbers
