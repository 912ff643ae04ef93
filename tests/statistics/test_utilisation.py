"""Equipment utilisation equals booked hours over open hours computed here from the raw rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from marketplace.statistics.reports import to_csv
from marketplace.statistics.selectors import Period, platform_statistics
from orders.models import Booking, EquipmentBlock
from tests.factories import platform_operator
from tests.orders.booking_fixtures import CHINA, FRI, NOW, THU, TUE, WED, at, make_lab
from tests.orders.conftest import make_deal

MARCH = Period(start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 1))


@pytest.fixture
def lab(db):
    lab = make_lab(make_deal())
    confirmed = [lab.hold(at(TUE, 9), hours=3), lab.hold(at(WED, 13), hours=2)]
    held = lab.hold(at(THU, 9), hours=4)  # may still expire unpaid: not counted
    cancelled = lab.hold(at(FRI, 9), hours=2)
    late = lab.hold(at(dt.date(2026, 3, 31), 9), hours=2)
    # Crosses into April (as rows written by hand may): only its March hours count.
    ends = dt.datetime(2026, 4, 1, 3, tzinfo=CHINA)
    Booking.objects.filter(pk=late.pk).update(
        starts_at=dt.datetime(2026, 3, 31, 17, tzinfo=CHINA), ends_at=ends, occupied_until=ends + dt.timedelta(hours=1)
    )
    Booking.objects.filter(pk__in=[b.pk for b in [*confirmed, late]]).update(status=Booking.Status.CONFIRMED)
    Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CANCELLED)
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.HELD
    EquipmentBlock.objects.create(equipment=lab.equipment, starts_at=at(WED, 8), ends_at=at(WED, 12))
    return lab


def _expected_booked() -> float:
    start, end = MARCH.bounds()
    seconds = sum(
        (min(b.ends_at, end) - max(b.starts_at, start)).total_seconds()
        for b in Booking.objects.filter(status="confirmed")
    )
    return seconds / 3600


def _expected_open() -> float:
    weekdays = sum(1 for d in range(31) if dt.date(2026, 3, 1 + d).weekday() < 5)  # Mon–Fri 08:00–18:00
    return weekdays * 10 - 4  # less the four blocked morning hours


def test_utilisation_equals_booked_over_open_hours_from_the_raw_rows(lab):
    assert NOW.month == 3
    stats = platform_statistics(MARCH)
    [instrument] = stats.utilisation
    assert instrument.booked_hours == pytest.approx(_expected_booked()) == pytest.approx(3 + 2 + 7)
    assert instrument.open_hours == pytest.approx(_expected_open()) == pytest.approx(22 * 10 - 4)
    assert instrument.percent == round(100 * 12 / 216, 1)
    [center] = stats.utilisation_by_center
    assert (center.label, center.percent) == (lab.deal.provider.name, instrument.percent)


def test_a_month_without_opening_days_or_bookings_shows_no_instrument(lab):
    april = Period(start=dt.date(2026, 4, 1), end=dt.date(2026, 5, 1))
    [instrument] = platform_statistics(april).utilisation
    assert instrument.booked_hours == pytest.approx(3)  # the late booking's April hours
    assert platform_statistics(Period(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1))).utilisation == []


def test_page_and_export_show_utilisation(lab, client):
    client.force_login(platform_operator())
    html = client.get(reverse("statistics:overview"), {"month": "2026-03"}).content.decode()
    assert 'id="chart-utilisation"' in html
    assert str(round(100 * 12 / 216, 1)) in html
    csv = to_csv(platform_statistics(MARCH)).decode("utf-8-sig")
    assert "216.0" in csv and "12.0" in csv
