"""The booking pages: the calendar feed behind its secret, the booking's .ics, holds through the calendar form."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from django.urls import reverse
from django.utils import timezone

from orders import booking
from orders.models import Booking, BookingPolicy, Order
from tests.orders.booking_fixtures import make_lab


def _next_weekday_10am():
    day = timezone.localdate() + timedelta(days=3)
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day, timezone.datetime.combine(day, timezone.datetime.min.time().replace(hour=10), tzinfo=booking.CHINA)


def test_feed_answers_with_the_token_and_refuses_a_wrong_or_rotated_one(client, deal):
    lab = make_lab(deal)
    _day, start = _next_weekday_10am()
    lab.hold(start, now=timezone.now())
    token = BookingPolicy.objects.get(equipment=lab.equipment).feed_token
    url = reverse("orders:equipment-feed", args=[lab.equipment.pk, token])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [start]
    assert client.get(reverse("orders:equipment-feed", args=[lab.equipment.pk, "wrong-token"])).status_code == 404
    client.force_login(deal.provider_user)
    client.post(reverse("orders:equipment-feed-rotate", args=[lab.equipment.pk]))
    client.logout()
    assert client.get(url).status_code == 404
    new = BookingPolicy.objects.get(equipment=lab.equipment).feed_token
    assert client.get(reverse("orders:equipment-feed", args=[lab.equipment.pk, new])).status_code == 200


def test_only_the_provider_rotates_the_feed(client, deal):
    lab = make_lab(deal)
    client.force_login(deal.other_provider_user)
    assert client.post(reverse("orders:equipment-feed-rotate", args=[lab.equipment.pk])).status_code == 404


def test_calendar_form_holds_a_slot_and_the_order_offers_an_ics(client, deal):
    lab = make_lab(deal)
    day, start = _next_weekday_10am()
    client.force_login(deal.buyer_user)
    page = client.get(reverse("orders:equipment-calendar", args=[lab.equipment.pk]), {"week": day.isoformat()})
    assert page.status_code == 200 and f'value="{start:%Y-%m-%dT%H:%M}"' in page.content.decode()
    response = client.post(
        reverse("orders:booking-create", args=[lab.equipment.pk]), {"start": f"{start:%Y-%m-%dT%H:%M}", "hours": 2}
    )
    held = Booking.objects.get()
    assert response["Location"] == held.order.get_absolute_url()
    assert held.status == "held" and held.starts_at == start
    ics = client.get(reverse("orders:booking-ics", args=[held.order.number]))
    assert icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0].decoded("dtend") == start + timedelta(hours=2)


def test_taken_slot_is_a_clear_refusal_with_alternatives(client, deal):
    lab = make_lab(deal)
    _day, start = _next_weekday_10am()
    lab.hold(start, other=True, now=timezone.now())
    client.force_login(deal.buyer_user)
    response = client.post(
        reverse("orders:booking-create", args=[lab.equipment.pk]), {"start": f"{start:%Y-%m-%dT%H:%M}", "hours": 2}
    )
    assert response.status_code == 409
    assert response.context["suggestions"]
    assert Order.objects.filter(buyer=deal.buyer_org).count() == 0


def test_hostile_calendar_input_never_fails(client, deal):
    lab = make_lab(deal)
    client.force_login(deal.buyer_user)
    url = reverse("orders:equipment-calendar", args=[lab.equipment.pk])
    for week in ["abc", "9999-99-99", "1900-01-01", "2026-02-30", "%00"]:
        assert client.get(url, {"week": week}).status_code == 200
    create = reverse("orders:booking-create", args=[lab.equipment.pk])
    for data in [{"start": "x", "hours": 1}, {"start": "2026-01-01T10:00", "hours": -3}, {"hours": 10**9}]:
        assert client.post(create, data).status_code in (302, 409)
    assert not Booking.objects.exists()
