"""Equipment utilisation: booked hours of bookable instruments against the hours they were open, per period.

Booked: confirmed bookings only (held ones may still expire unpaid; cancelled and expired ones freed their
time), clipped to the period. Open: each day's opening hours (orders.OpeningHours, China time) minus blocked
time (maintenance, calibration, holidays). Three queries whatever the number of instruments and bookings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import DurationField, ExpressionWrapper, F, Prefetch, Sum, Value
from django.db.models.functions import Greatest, Least

from catalog.models import Equipment
from orders.booking import CHINA
from orders.models import Booking, EquipmentBlock

if TYPE_CHECKING:
    from .selectors import Period


@dataclass(frozen=True)
class Utilisation:
    label: str
    booked_hours: float
    open_hours: float

    @property
    def percent(self) -> float | None:
        return round(100 * self.booked_hours / self.open_hours, 1) if self.open_hours else None


def _overlap(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> dt.timedelta:
    return max(dt.timedelta(0), min(a[1], b[1]) - max(a[0], b[0]))


def open_hours(instrument: Equipment, period: Period) -> float:
    """Opening hours of the days in the period, less the blocked time inside them (prefetched relations)."""
    by_weekday = defaultdict(list)
    for hours in instrument.opening_hours.all():
        by_weekday[hours.weekday].append((hours.opens, hours.closes))
    blocks = [(b.starts_at, b.ends_at) for b in instrument.blocks.all()]
    total = dt.timedelta(0)
    day = period.start
    while day < period.end:
        for opens, closes in by_weekday.get(day.weekday(), []):
            interval = (dt.datetime.combine(day, opens, tzinfo=CHINA), dt.datetime.combine(day, closes, tzinfo=CHINA))
            total += interval[1] - interval[0] - sum((_overlap(interval, b) for b in blocks), dt.timedelta(0))
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600


def booked_hours(period: Period) -> dict[int, float]:
    """Confirmed booked hours per instrument, each booking clipped to the period; one grouped query."""
    start, end = period.bounds()
    clipped = ExpressionWrapper(
        Least(F("ends_at"), Value(end)) - Greatest(F("starts_at"), Value(start)), output_field=DurationField()
    )
    rows = (
        Booking.objects.filter(status=Booking.Status.CONFIRMED, starts_at__lt=end, ends_at__gt=start)
        .values("equipment")
        .annotate(booked=Sum(clipped))
        .order_by()
    )
    return {r["equipment"]: r["booked"].total_seconds() / 3600 for r in rows}


def equipment_utilisation(period: Period) -> tuple[list[Utilisation], list[Utilisation]]:
    """(per instrument, per center) for the bookable instruments that were open in the period, busiest first."""
    start, end = period.bounds()
    blocks = EquipmentBlock.objects.filter(starts_at__lt=end, ends_at__gt=start)
    instruments = (
        Equipment.objects.filter(bookable=True, opening_hours__isnull=False)
        .distinct()
        .select_related("provider")
        .prefetch_related("opening_hours", Prefetch("blocks", queryset=blocks))
        .order_by("pk")
    )
    booked = booked_hours(period)
    per_instrument: list[Utilisation] = []
    per_center: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for instrument in instruments:
        hours = open_hours(instrument, period)
        if not hours:
            continue
        used = booked.get(instrument.pk, 0.0)
        per_instrument.append(Utilisation(f"{instrument.name} · {instrument.provider.name}", used, hours))
        per_center[instrument.provider.name][0] += used
        per_center[instrument.provider.name][1] += hours
    centers = [Utilisation(name, used, hours) for name, (used, hours) in per_center.items()]
    return _busiest(per_instrument), _busiest(centers)


def _busiest(rows: list[Utilisation]) -> list[Utilisation]:
    return sorted(rows, key=lambda u: (-(u.percent or 0), u.label))
