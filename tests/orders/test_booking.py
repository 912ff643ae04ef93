"""Booking instruments by the hour: the rules, holds and their expiry, payment, cancellation, calendars.

Every call passes `now=NOW` (a Monday 09:00 China time), so the outcome never depends on the real clock.
"""

from __future__ import annotations

import time as stopwatch
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import icalendar
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from catalog.models import Equipment
from marketplace.audit.models import AuditEntry
from marketplace.exceptions import TransitionNotAllowed
from orders import booking
from orders import services as order_services
from orders.booking import SlotTaken, problems
from orders.models import Booking, EquipmentBlock, Order, OrderLine, Refund, Thread
from orders.money import to_fen
from orders.payments import services as pay
from orders.tasks import expire_booking_holds
from tests.orders.booking_fixtures import FRI, NOW, RATE, SAT, SUN, THU, TUE, UTC, WED, Lab, at, make_lab
from tests.orders.test_payments import _refunded_at_stripe, succeeded
from tests.orders.test_payments import start as pay_by_card

ALREADY_BOOKED = "This time is already booked."


@pytest.fixture(autouse=True)
def _english(_default_language: None) -> None:
    """Refusals are compared word for word, in English (the default language is Chinese)."""
    translation.activate("en")


@pytest.fixture
def lab(deal) -> Lab:
    return make_lab(deal)


def written() -> tuple[int, int, int, int, int]:
    return (
        Booking.objects.count(),
        Order.objects.count(),
        OrderLine.objects.count(),
        Thread.objects.count(),
        AuditEntry.objects.filter(action="booking.held").count(),
    )


def refusal(lab: Lab, starts_at: datetime, hours: int = 2, *, now: datetime = NOW) -> list[str]:
    """The messages a refused hold gives; asserts that nothing at all was written."""
    before = written()
    with pytest.raises(ValidationError) as refused:
        lab.hold(starts_at, hours, now=now)
    assert written() == before
    return refused.value.message_dict["starts_at"]


def taken(lab: Lab, starts_at: datetime, hours: int = 2, *, other: bool = True) -> SlotTaken:
    """The refusal of a hold that overlaps another booking; asserts that nothing at all was written."""
    before = written()
    with pytest.raises(SlotTaken) as refused:
        lab.hold(starts_at, hours, other=other)
    assert written() == before
    return refused.value


def assert_bookable(lab: Lab, starts: list[datetime], hours: int) -> None:
    """Each start passes every rule against what the database holds now."""
    for start in starts:
        assert problems(lab.calendar(start), start, hours, NOW) == [], start


# --- the rules ----------------------------------------------------------------------------------------


def test_booking_needs_the_minimum_notice(lab):
    assert refusal(lab, at(TUE, 8)) == ["Book at least 24 hours ahead."]  # 23 hours ahead
    assert refusal(lab, at(-3, 10)) == ["Book at least 24 hours ahead."]  # last Friday
    assert lab.hold(at(TUE, 9)).status == Booking.Status.HELD  # exactly 24 hours ahead


def test_booking_beyond_the_horizon_is_refused(lab):
    last_day = NOW.date() + timedelta(days=60)  # Friday 1 May 2026
    assert last_day.weekday() == 4
    assert refusal(lab, at(last_day + timedelta(days=3), 10)) == ["Bookings open 60 days ahead."]  # the Monday after
    assert lab.hold(at(last_day, 10)).starts_at == at(last_day, 10)


@pytest.mark.parametrize("hour, hours", [(9, 0), (9, -1), (9, 9), (8, 10)])  # all inside 08:00–18:00
def test_booking_length_outside_the_limits_is_refused(lab, hour, hours):
    assert refusal(lab, at(WED, hour), hours) == ["Book between 1 and 8 hours."]


@pytest.mark.parametrize("hours", [1, 8])
def test_booking_length_at_the_limits_is_accepted(lab, hours):
    held = lab.hold(at(WED, 9), hours)
    assert held.hours == hours and held.ends_at == at(WED, 9 + hours)


def test_minimum_length_follows_the_policy(lab):
    booking.booking_policy_save(
        actor=lab.deal.provider_user, equipment=lab.equipment, data={**_policy(lab), "min_hours": 3}, opening={}
    )
    assert refusal(lab, at(WED, 9), 2) == ["Book between 3 and 8 hours."]
    assert lab.hold(at(WED, 9), 3).hours == 3


@pytest.mark.parametrize("minute, second", [(30, 0), (0, 15), (59, 59)])
def test_booking_not_on_the_full_hour_is_refused(lab, minute, second):
    start = at(WED, 10).replace(minute=minute, second=second)
    assert refusal(lab, start) == ["Bookings start on the full hour."]


@pytest.mark.parametrize(
    "start, hours",
    [
        (at(WED, 7), 2),  # starts before opening
        (at(WED, 7), 1),  # ends right at opening, still before it
        (at(WED, 17), 2),  # ends after closing
        (at(WED, 18), 1),  # starts at closing
        (at(WED, 23), 2),  # over midnight
        (at(SAT, 10), 2),  # Saturday: closed
        (at(SUN, 10), 2),  # Sunday: closed
    ],
)
def test_booking_outside_opening_hours_is_refused(lab, start, hours):
    assert refusal(lab, start, hours) == ["The instrument is not open at that time."]


def test_booking_may_fill_the_whole_opening_day(lab):
    assert lab.hold(at(WED, 8), 8).ends_at == at(WED, 16)
    assert lab.hold(at(THU, 10), 8).ends_at == at(THU, 18)  # ends exactly at closing


def test_closing_a_weekday_refuses_it(lab):
    booking.booking_policy_save(
        actor=lab.deal.provider_user, equipment=lab.equipment, data=_policy(lab), opening={2: None}
    )
    assert refusal(lab, at(WED, 10)) == ["The instrument is not open at that time."]
    assert lab.hold(at(THU, 10)).status == Booking.Status.HELD


def _policy(lab: Lab) -> dict[str, Any]:
    p = lab.policy
    return {
        name: getattr(p, name)
        for name in ("hourly_rate", "min_hours", "buffer_minutes", "horizon_days", "free_cancellation_hours")
    }


@pytest.mark.parametrize("kind", [EquipmentBlock.Kind.HOLIDAY, EquipmentBlock.Kind.MAINTENANCE])
def test_booking_overlapping_a_block_is_refused(lab, kind):
    booking.equipment_block_add(
        actor=lab.deal.provider_user, equipment=lab.equipment, starts_at=at(WED, 13), ends_at=at(WED, 15), kind=kind
    )
    message = ["The instrument is unavailable then (maintenance or holiday)."]
    assert refusal(lab, at(WED, 12), 2) == message  # runs into it
    assert refusal(lab, at(WED, 14), 2) == message  # starts inside it
    assert refusal(lab, at(WED, 10), 8) == message  # spans it
    assert lab.hold(at(WED, 11), 2).ends_at == at(WED, 13)  # ends as it starts: no buffer before blocks
    assert lab.hold(at(WED, 15), 2).starts_at == at(WED, 15)  # starts as it ends


def test_a_public_holiday_blocks_the_whole_day(lab):
    booking.equipment_block_add(
        actor=lab.deal.provider_user,
        equipment=lab.equipment,
        starts_at=at(WED, 0),
        ends_at=at(THU, 0),
        kind=EquipmentBlock.Kind.HOLIDAY,
        reason="公众假期",
    )
    for hour in (8, 12, 16):
        assert refusal(lab, at(WED, hour), 2) == ["The instrument is unavailable then (maintenance or holiday)."]
    assert lab.hold(at(THU, 8)).status == Booking.Status.HELD


def test_several_broken_rules_are_all_named(lab):
    messages = refusal(lab, at(SAT, 7, 30), 9)
    assert set(messages) == {
        "Bookings start on the full hour.",
        "Book between 1 and 8 hours.",
        "The instrument is not open at that time.",
    }


def test_refusals_speak_chinese_by_default(lab):
    lab.hold(at(WED, 10))
    translation.activate("zh-hans")
    assert str(taken(lab, at(WED, 11))) == "该时段已被预约。"
    assert refusal(lab, at(TUE, 8)) == ["请至少提前 24 小时预约。"]


def test_second_booking_of_the_same_slot_is_refused(lab):
    first = lab.hold(at(WED, 10))
    for start, hours in [(at(WED, 10), 2), (at(WED, 11), 1), (at(WED, 9), 2), (at(WED, 8), 6)]:
        refused = taken(lab, start, hours)
        assert str(refused) == ALREADY_BOOKED
    assert list(Booking.objects.values_list("pk", flat=True)) == [first.pk]


def test_buffer_keeps_half_an_hour_between_bookings(lab):
    lab.hold(at(WED, 10))  # 10:00–12:00, the instrument is busy until 12:30
    assert str(taken(lab, at(WED, 12))) == ALREADY_BOOKED  # right at its end: inside the buffer
    assert str(taken(lab, at(WED, 8))) == ALREADY_BOOKED  # ends right at its start: no buffer before it
    after = lab.hold(at(WED, 13), other=True)  # an hour later: fine
    before = lab.hold(at(WED, 8), 1, other=True)  # ends 09:00, free again from 09:30 < 10:00
    assert after.occupied_until == at(WED, 15, 30)
    assert before.occupied_until == at(WED, 9, 30)


def test_without_a_buffer_bookings_may_touch(lab):
    booking.booking_policy_save(
        actor=lab.deal.provider_user, equipment=lab.equipment, data={**_policy(lab), "buffer_minutes": 0}, opening={}
    )
    lab.hold(at(WED, 10))
    assert lab.hold(at(WED, 12), other=True).occupied_until == at(WED, 14)
    assert lab.hold(at(WED, 8), other=True).ends_at == at(WED, 10)


# --- time zone: China has no daylight saving time -----------------------------------------------------


@pytest.mark.parametrize("now, day", [(date(2026, 1, 5), date(2026, 1, 7)), (date(2026, 7, 6), date(2026, 7, 8))])
def test_nine_oclock_in_beijing_is_one_oclock_utc_in_winter_and_summer(lab, now, day):
    held = lab.hold(at(day, 9), 2, now=at(now, 9))
    held.refresh_from_db()  # as the database returns it
    assert held.starts_at.astimezone(UTC).replace(tzinfo=None) == datetime.combine(day, time(1))
    assert held.ends_at.astimezone(UTC).replace(tzinfo=None) == datetime.combine(day, time(3))
    assert booking.local(held.starts_at).strftime("%H:%M %z") == "09:00 +0800"


def test_a_utc_input_is_read_as_the_same_instant(lab):
    wed = NOW.date() + timedelta(days=WED)
    held = lab.hold(datetime.combine(wed, time(1), tzinfo=UTC), 2)  # 01:00 UTC = 09:00 in Beijing: open
    assert held.starts_at == at(WED, 9)
    assert booking.local(held.starts_at).hour == 9
    assert held.line.description.endswith(f"{wed:%Y-%m-%d} 09:00–11:00")
    # 10:00 UTC looks like office hours but is 18:00 in Beijing; 23:00 UTC on Tuesday is 07:00 on Wednesday.
    assert refusal(lab, datetime.combine(wed, time(10), tzinfo=UTC), 1) == ["The instrument is not open at that time."]
    tue_23_utc = datetime.combine(wed - timedelta(days=1), time(23), tzinfo=UTC)
    assert refusal(lab, tue_23_utc, 1) == ["The instrument is not open at that time."]
    assert lab.hold(tue_23_utc + timedelta(hours=5), 1, other=True).starts_at == at(WED, 12)  # 04:00 UTC


def test_notice_compares_instants_not_wall_clocks(lab):
    now_utc = NOW.astimezone(UTC)  # Monday 01:00 UTC
    assert refusal(lab, at(TUE, 8), now=now_utc) == ["Book at least 24 hours ahead."]
    assert lab.hold(at(TUE, 9), now=now_utc).hold_expires_at == NOW + timedelta(minutes=30)


# --- holds ----------------------------------------------------------------------------------------------


def test_hold_creates_an_order_awaiting_payment_priced_by_the_hour(lab):
    held = lab.hold(at(WED, 10), 3)
    order = held.order
    assert order.status == Order.Status.PENDING_PAYMENT
    assert (order.buyer, order.provider, order.service) == (lab.deal.buyer_org, lab.deal.provider, lab.deal.service)
    assert order.subtotal == 3 * RATE == Decimal("600.00")
    assert (order.vat_rate, order.vat_amount, order.total) == (Decimal("0.0600"), Decimal("36.00"), Decimal("636.00"))
    line = order.lines.get()
    assert (line.quantity, line.unit_price, line.amount, line.unit) == (3, RATE, Decimal("600.00"), "小时")
    assert held.line == line
    assert lab.equipment.name_zh in line.description
    assert (held.status, held.starts_at, held.ends_at) == (Booking.Status.HELD, at(WED, 10), at(WED, 13))
    assert held.occupied_until == at(WED, 13, 30)
    assert held.hold_expires_at == NOW + timedelta(minutes=30)
    assert held.created_by == lab.deal.buyer_user
    assert AuditEntry.objects.filter(object_id=order.pk, action="booking.held").count() == 1


def test_only_members_of_the_buying_enterprise_may_hold(lab):
    with pytest.raises(PermissionDenied):
        booking.booking_hold(
            actor=lab.deal.other_sme_user,
            buyer=lab.deal.buyer_org,
            equipment_id=lab.equipment.pk,
            starts_at=at(WED, 10),
            hours=2,
            now=NOW,
        )
    assert not Booking.objects.exists() and not Order.objects.exists()


def test_instrument_without_a_public_service_cannot_be_held(lab):
    lab.deal.service.status = "draft"
    lab.deal.service.save()
    with pytest.raises(Equipment.DoesNotExist):
        lab.hold(at(WED, 10))
    assert not Booking.objects.exists() and not Order.objects.exists()


def test_slot_taken_offers_the_three_nearest_free_starts(lab):
    lab.hold(at(WED, 10))  # 10:00–12:00, busy until 12:30
    refused = taken(lab, at(WED, 11))
    # 10:00, 12:00, 09:00 and 08:00 collide with the booking or its buffer; 07:00 is before opening.
    assert refused.suggestions == [at(WED, 13), at(WED, 14), at(WED, 15)]
    assert_bookable(lab, refused.suggestions, 2)


def test_slot_taken_on_a_full_day_suggests_other_days(lab):
    lab.hold(at(WED, 8), 8)  # Wednesday is full until 16:30
    refused = taken(lab, at(WED, 15), 2)
    assert len(refused.suggestions) == 3
    assert all(booking.local(s).date() != at(WED, 0).date() for s in refused.suggestions)
    assert_bookable(lab, refused.suggestions, 2)
    assert refused.suggestions == sorted(refused.suggestions)


def lose_the_race(monkeypatch: pytest.MonkeyPatch, theirs: Booking, starts_at: datetime, hours: int) -> None:
    """Right after the service has read the calendar, someone else's booking lands on `starts_at`, as if
    another transaction had committed between the check and the insert."""
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint that catches a late collision exists on PostgreSQL only")
    original = booking.load_calendar
    moved: list[bool] = []

    def load_then_lose(*args: Any, **kwargs: Any) -> booking.Calendar:
        cal = original(*args, **kwargs)
        if not moved:
            ends_at = starts_at + timedelta(hours=hours)
            Booking.objects.filter(pk=theirs.pk).update(
                starts_at=starts_at, ends_at=ends_at, occupied_until=ends_at + timedelta(minutes=30)
            )
            moved.append(True)
        return cal

    monkeypatch.setattr(booking, "load_calendar", load_then_lose)


def test_slot_taken_suggestions_after_a_concurrent_insert_are_really_free(lab, monkeypatch):
    """The exclusion constraint refuses the insert; the suggestions must count the booking that won,
    not the calendar read before it."""
    theirs = lab.hold(at(THU, 10), other=True)
    lose_the_race(monkeypatch, theirs, at(WED, 10), 2)
    before = written()
    with pytest.raises(SlotTaken) as refused:
        lab.hold(at(WED, 10))
    assert written() == before
    assert str(refused.value) == "This slot was just taken."
    monkeypatch.undo()
    # Not 08:00, 09:00 or 11:00, which the calendar read before the other booking landed would offer.
    assert refused.value.suggestions == [at(WED, 13), at(WED, 14), at(WED, 15)]
    assert_bookable(lab, refused.value.suggestions, 2)


def test_reschedule_losing_the_race_suggests_really_free_starts(lab, monkeypatch):
    mine = lab.hold(at(FRI, 10))
    theirs = lab.hold(at(THU, 14), other=True)
    lose_the_race(monkeypatch, theirs, at(WED, 10), 2)
    with pytest.raises(SlotTaken) as refused:
        booking.booking_reschedule(actor=lab.deal.buyer_user, booking_id=mine.pk, starts_at=at(WED, 10), now=NOW)
    assert str(refused.value) == "This slot was just taken."
    monkeypatch.undo()
    assert refused.value.suggestions == [at(WED, 13), at(WED, 14), at(WED, 15)]
    mine.refresh_from_db()
    assert mine.starts_at == at(FRI, 10)


def test_the_database_itself_refuses_overlapping_active_bookings(lab):
    """Below the service: the exclusion constraint (PostgreSQL) on [starts_at, occupied_until)."""
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    mine = lab.hold(at(WED, 10))
    theirs = lab.hold(at(THU, 10), other=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=theirs.pk).update(starts_at=at(WED, 12), ends_at=at(WED, 13))  # inside the buffer
    Booking.objects.filter(pk=mine.pk).update(status=Booking.Status.CANCELLED)
    Booking.objects.filter(pk=theirs.pk).update(
        starts_at=at(WED, 10), ends_at=at(WED, 12), occupied_until=at(WED, 12, 30)
    )  # a cancelled booking no longer counts
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=mine.pk).update(status=Booking.Status.HELD)


# --- expiry, payment, transfer --------------------------------------------------------------------------


def test_expired_hold_frees_the_slot_for_someone_else(lab):
    held = lab.hold(at(WED, 10))
    assert booking.booking_holds_expire(now=NOW + timedelta(minutes=29)) == 0
    assert str(taken(lab, at(WED, 10))) == ALREADY_BOOKED
    assert booking.booking_holds_expire(now=NOW + timedelta(minutes=31)) == 1
    held.refresh_from_db()
    held.order.refresh_from_db()
    assert held.status == Booking.Status.EXPIRED
    assert (held.order.status, held.order.cancel_reason) == (Order.Status.CANCELLED, "booking hold expired")
    theirs = lab.hold(at(WED, 10), other=True, now=NOW + timedelta(minutes=31))
    assert theirs.status == Booking.Status.HELD
    assert booking.booking_holds_expire(now=NOW + timedelta(minutes=32)) == 0  # the expired one only once


def test_scheduled_task_expires_holds_past_their_time(lab):
    mine = lab.hold(at(WED, 10))
    kept = lab.hold(at(THU, 10))
    Booking.objects.filter(pk__in=[mine.pk, kept.pk]).update(hold_expires_at=timezone.now() + timedelta(minutes=5))
    assert expire_booking_holds.delay().get() == 0
    Booking.objects.filter(pk=mine.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    assert expire_booking_holds.delay().get() == 1
    mine.refresh_from_db()
    kept.refresh_from_db()
    assert (mine.status, kept.status) == (Booking.Status.EXPIRED, Booking.Status.HELD)
    assert Order.objects.get(pk=mine.order_id).status == Order.Status.CANCELLED
    assert lab.hold(at(WED, 10), other=True).status == Booking.Status.HELD


def test_paid_booking_is_confirmed_and_never_expires(lab):
    held = lab.hold(at(WED, 10))
    order_services.order_mark_paid(order_id=held.order_id, actor=lab.deal.provider_user, reference="ICBC 1")
    held.refresh_from_db()
    assert (held.status, held.hold_expires_at) == (Booking.Status.CONFIRMED, None)
    assert booking.booking_holds_expire(now=NOW + timedelta(days=30)) == 0
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(hours=1))  # even so
    assert expire_booking_holds.delay().get() == 0
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED
    assert Order.objects.get(pk=held.order_id).status == Order.Status.PAID
    assert str(taken(lab, at(WED, 10))) == ALREADY_BOOKED


def test_payment_after_the_expiry_time_but_before_the_task_keeps_the_slot(lab):
    held = lab.hold(at(WED, 10))  # expires at 09:30, but nobody could take the slot while it was held
    order_services.order_mark_paid(order_id=held.order_id, actor=None, reference="pi_late")
    assert booking.booking_holds_expire(now=NOW + timedelta(hours=2)) == 0
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED


def test_late_card_payment_for_an_expired_hold_is_refunded_and_never_double_books(client, lab, stripe_api):
    held = lab.hold(at(WED, 10))
    payment = pay_by_card(lab.deal, held.order).payment  # Stripe takes the money; its webhook is late
    assert booking.booking_holds_expire(now=NOW + timedelta(minutes=31)) == 1
    theirs = lab.hold(at(WED, 10), other=True, now=NOW + timedelta(minutes=31))

    assert succeeded(client, payment).status_code == 200

    held.refresh_from_db()
    theirs.refresh_from_db()
    order = Order.objects.get(pk=held.order_id)
    assert (order.status, order.paid_at) == (Order.Status.CANCELLED, None)
    assert (held.status, theirs.status) == (Booking.Status.EXPIRED, Booking.Status.HELD)
    active = Booking.objects.filter(equipment=lab.equipment, status__in=Booking.ACTIVE)
    assert list(active.values_list("pk", flat=True)) == [theirs.pk]
    refund = Refund.objects.get(payment=payment)
    assert refund.amount == payment.amount == order.total and refund.stripe_refund_id
    assert _refunded_at_stripe(payment) == to_fen(order.total)
    assert AuditEntry.objects.filter(object_id=order.pk, action="payment.refunded_automatically").count() == 1


def test_card_payment_in_time_confirms_the_hold(client, lab, stripe_api):
    held = lab.hold(at(WED, 10))
    payment = pay_by_card(lab.deal, held.order).payment
    assert succeeded(client, payment).status_code == 200
    held.refresh_from_db()
    assert (held.status, held.hold_expires_at) == (Booking.Status.CONFIRMED, None)
    assert Order.objects.get(pk=held.order_id).status == Order.Status.PAID
    assert booking.booking_holds_expire(now=NOW + timedelta(hours=1)) == 0


def test_bank_transfer_reference_keeps_the_time_for_days_not_minutes(lab):
    held = lab.hold(at(WED, 10))
    with pytest.raises(ValidationError):
        booking.booking_keep_with_transfer(actor=lab.deal.buyer_user, booking_id=held.pk, reference="   ")
    with pytest.raises(PermissionDenied):
        booking.booking_keep_with_transfer(actor=lab.deal.provider_user, booking_id=held.pk, reference="ICBC 7")
    kept = booking.booking_keep_with_transfer(
        actor=lab.deal.buyer_user, booking_id=held.pk, reference=" ICBC 7 ", now=NOW
    )
    kept.refresh_from_db()
    deadline = NOW + timedelta(days=settings.BOOKING_TRANSFER_DAYS)
    assert (kept.status, kept.hold_expires_at, kept.transfer_reference) == (
        Booking.Status.CONFIRMED,
        deadline,
        "ICBC 7",
    )
    assert Order.objects.get(pk=held.order_id).status == Order.Status.PENDING_PAYMENT  # the provider confirms receipt
    assert booking.booking_holds_expire(now=NOW + timedelta(days=2)) == 0
    with pytest.raises(TransitionNotAllowed):
        booking.booking_keep_with_transfer(actor=lab.deal.buyer_user, booking_id=held.pk, reference="again")
    pay.payment_confirm_bank_transfer(
        actor=lab.deal.provider_user,
        order_id=held.order_id,
        amount=held.order.total,
        received_on=timezone.localdate(),
        reference="ICBC 7",
    )
    kept.refresh_from_db()
    assert (kept.status, kept.hold_expires_at) == (Booking.Status.CONFIRMED, None)
    assert Order.objects.get(pk=held.order_id).status == Order.Status.PAID
    assert booking.booking_holds_expire(now=deadline + timedelta(days=30)) == 0


def test_time_kept_for_a_transfer_that_never_arrives_is_released(lab):
    slot = at(8, 10)  # Tuesday next week: still ahead when the transfer deadline passes
    held = lab.hold(slot)
    booking.booking_keep_with_transfer(actor=lab.deal.buyer_user, booking_id=held.pk, reference="ICBC 8", now=NOW)
    deadline = NOW + timedelta(days=settings.BOOKING_TRANSFER_DAYS)
    assert booking.booking_holds_expire(now=deadline - timedelta(minutes=1)) == 0
    assert booking.booking_holds_expire(now=deadline + timedelta(minutes=1)) == 1
    held.refresh_from_db()
    order = Order.objects.get(pk=held.order_id)
    assert held.status == Booking.Status.EXPIRED
    assert (order.status, order.cancel_reason) == (Order.Status.CANCELLED, "transfer not received")
    assert lab.hold(slot, other=True, now=deadline + timedelta(minutes=1)).status == Booking.Status.HELD


# --- cancelling and rescheduling ------------------------------------------------------------------------


def test_buyer_cancels_an_unpaid_booking_inside_the_free_window(lab):
    held = lab.hold(at(WED, 10))
    booking.booking_cancel(actor=lab.deal.buyer_user, booking_id=held.pk, now=at(TUE, 10))  # exactly 24 h before
    held.refresh_from_db()
    assert held.status == Booking.Status.CANCELLED
    assert Order.objects.get(pk=held.order_id).status == Order.Status.CANCELLED
    assert not Refund.objects.exists()
    assert lab.hold(at(WED, 10), other=True).status == Booking.Status.HELD


def test_buyer_cancelling_a_card_paid_booking_is_refunded_in_full(client, lab, stripe_api):
    held = lab.hold(at(WED, 10))
    payment = pay_by_card(lab.deal, held.order).payment
    succeeded(client, payment)
    booking.booking_cancel(actor=lab.deal.buyer_user, booking_id=held.pk, now=NOW)
    held.refresh_from_db()
    order = Order.objects.get(pk=held.order_id)
    assert held.status == Booking.Status.CANCELLED
    assert (order.status, order.amount_refunded) == (Order.Status.REFUNDED, order.total)
    refund = Refund.objects.get(order=order)
    assert (refund.amount, refund.payment) == (order.total, payment) and refund.stripe_refund_id
    assert _refunded_at_stripe(payment) == to_fen(order.total)
    assert lab.hold(at(WED, 10), other=True).status == Booking.Status.HELD


def test_buyer_cannot_cancel_after_the_free_window(lab):
    held = lab.hold(at(WED, 10))
    order_services.order_mark_paid(order_id=held.order_id, actor=lab.deal.provider_user)
    with pytest.raises(TransitionNotAllowed) as refused:
        booking.booking_cancel(actor=lab.deal.buyer_user, booking_id=held.pk, now=at(TUE, 10, 1))
    assert str(refused.value) == "Changes were free until 2026-03-03 10:00; please contact the provider."
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED
    assert Order.objects.get(pk=held.order_id).status == Order.Status.PAID


def test_provider_may_cancel_a_paid_booking_any_time_and_refunds_it(lab):
    held = lab.hold(at(WED, 10))
    pay.payment_confirm_bank_transfer(
        actor=lab.deal.provider_user,
        order_id=held.order_id,
        amount=held.order.total,
        received_on=timezone.localdate(),
        reference="ICBC 9",
    )
    booking.booking_cancel(actor=lab.deal.provider_user, booking_id=held.pk, now=at(WED, 9, 30))  # 30 min before
    held.refresh_from_db()
    order = Order.objects.get(pk=held.order_id)
    assert held.status == Booking.Status.CANCELLED
    assert (order.status, order.amount_refunded) == (Order.Status.REFUNDED, order.total)
    assert Refund.objects.get(order=order).stripe_refund_id is None  # a transfer is paid back by hand


def test_provider_may_cancel_an_unpaid_hold_late(lab):
    held = lab.hold(at(WED, 10))
    booking.booking_cancel(actor=lab.deal.provider_user, booking_id=held.pk, now=at(WED, 11))
    assert Order.objects.get(pk=held.order_id).status == Order.Status.CANCELLED


def test_strangers_cannot_cancel_and_a_cancelled_booking_stays_cancelled(lab):
    held = lab.hold(at(WED, 10))
    for stranger in (lab.deal.other_sme_user, lab.deal.other_provider_user):
        with pytest.raises(PermissionDenied):
            booking.booking_cancel(actor=stranger, booking_id=held.pk, now=NOW)
    booking.booking_cancel(actor=lab.deal.buyer_user, booking_id=held.pk, now=NOW)
    with pytest.raises(TransitionNotAllowed):
        booking.booking_cancel(actor=lab.deal.provider_user, booking_id=held.pk, now=NOW)


def test_cancel_after_work_started_is_refused(lab):
    held = lab.hold(at(WED, 10))
    order_services.order_mark_paid(order_id=held.order_id, actor=lab.deal.provider_user)
    order_services.order_receive_sample(order_id=held.order_id, actor=lab.deal.provider_user)
    with pytest.raises(TransitionNotAllowed):
        booking.booking_cancel(actor=lab.deal.provider_user, booking_id=held.pk, now=NOW)
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED


def test_reschedule_moves_the_booking_and_keeps_its_length(lab):
    held = lab.hold(at(WED, 10), 3)
    moved = booking.booking_reschedule(actor=lab.deal.buyer_user, booking_id=held.pk, starts_at=at(THU, 14), now=NOW)
    moved.refresh_from_db()
    assert (moved.starts_at, moved.ends_at, moved.occupied_until) == (at(THU, 14), at(THU, 17), at(THU, 17, 30))
    assert (moved.order_id, moved.status, moved.hours) == (held.order_id, Booking.Status.HELD, 3)
    line = OrderLine.objects.get(pk=held.line_id)  # the order names the new time, at the same price
    assert line.description == f"{lab.equipment.name_zh} 2026-03-05 14:00–17:00"
    assert (line.quantity, line.amount, Order.objects.get(pk=held.order_id).total) == (
        3,
        Decimal("600.00"),
        Decimal("636.00"),
    )
    assert Booking.objects.count() == 1 and Order.objects.count() == 1
    assert AuditEntry.objects.filter(object_id=held.order_id, action="booking.rescheduled").count() == 1
    assert lab.hold(at(WED, 10), 3, other=True).status == Booking.Status.HELD  # the old time is free again


def test_reschedule_may_overlap_its_own_old_time(lab):
    held = lab.hold(at(WED, 10), 2)
    moved = booking.booking_reschedule(actor=lab.deal.buyer_user, booking_id=held.pk, starts_at=at(WED, 11), now=NOW)
    assert (moved.starts_at, moved.ends_at) == (at(WED, 11), at(WED, 13))


def test_reschedule_onto_a_taken_slot_is_refused_with_suggestions(lab):
    held = lab.hold(at(WED, 10))
    lab.hold(at(THU, 10), other=True)
    with pytest.raises(SlotTaken) as refused:
        booking.booking_reschedule(actor=lab.deal.buyer_user, booking_id=held.pk, starts_at=at(THU, 11), now=NOW)
    assert str(refused.value) == ALREADY_BOOKED
    assert refused.value.suggestions and at(THU, 11) not in refused.value.suggestions
    held.refresh_from_db()
    assert (held.starts_at, held.ends_at) == (at(WED, 10), at(WED, 12))
    # the suggestions are free for this booking (its own current time counts as free for the move)
    cal = booking.load_calendar(held.equipment, at(THU, 11) - timedelta(days=5), at(THU, 11) + timedelta(days=5))
    cal.exclude_booking = held.pk
    assert all(problems(cal, s, 2, NOW) == [] for s in refused.value.suggestions)


@pytest.mark.parametrize(
    "start, message",
    [
        (at(SAT, 10), "The instrument is not open at that time."),
        (at(TUE, 8), "Book at least 24 hours ahead."),
        (at(THU, 10, 30), "Bookings start on the full hour."),
    ],
)
def test_reschedule_follows_the_rules(lab, start, message):
    held = lab.hold(at(WED, 10))
    with pytest.raises(ValidationError) as refused:
        booking.booking_reschedule(actor=lab.deal.buyer_user, booking_id=held.pk, starts_at=start, now=NOW)
    assert refused.value.message_dict["starts_at"] == [message]
    held.refresh_from_db()
    assert held.starts_at == at(WED, 10)


def test_buyer_cannot_reschedule_after_the_free_window_but_the_provider_can(lab):
    held = lab.hold(at(WED, 10))
    with pytest.raises(TransitionNotAllowed):
        booking.booking_reschedule(
            actor=lab.deal.buyer_user, booking_id=held.pk, starts_at=at(FRI, 10), now=at(TUE, 12)
        )
    with pytest.raises(PermissionDenied):
        booking.booking_reschedule(actor=lab.deal.other_sme_user, booking_id=held.pk, starts_at=at(FRI, 10), now=NOW)
    moved = booking.booking_reschedule(
        actor=lab.deal.provider_user, booking_id=held.pk, starts_at=at(FRI, 10), now=at(TUE, 12)
    )
    assert moved.starts_at == at(FRI, 10)


# --- calendar files -------------------------------------------------------------------------------------


def test_ics_parses_and_carries_the_utc_times_and_summary(lab):
    held = lab.hold(at(WED, 10), 2)
    paid = lab.hold(at(THU, 14), 3, other=True)
    order_services.order_mark_paid(order_id=paid.order_id, actor=lab.deal.provider_user)
    rows = list(Booking.objects.select_related("equipment", "order").order_by("starts_at"))

    data = booking.bookings_ics(rows, name="万能试验机 bookings")

    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "万能试验机 bookings"
    assert str(cal["VERSION"]) == "2.0"
    events = cal.walk("VEVENT")
    assert len(events) == 2
    expected = [
        (held, datetime(2026, 3, 4, 2, 0, tzinfo=UTC), datetime(2026, 3, 4, 4, 0, tzinfo=UTC), "TENTATIVE"),
        (paid, datetime(2026, 3, 5, 6, 0, tzinfo=UTC), datetime(2026, 3, 5, 9, 0, tzinfo=UTC), "CONFIRMED"),
    ]
    for event, (row, starts, ends, status) in zip(events, expected, strict=True):
        start_dt, end_dt = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start_dt, end_dt) == (starts, ends) == (row.starts_at, row.ends_at)
        assert start_dt.utcoffset() == timedelta(0) and end_dt.utcoffset() == timedelta(0)
        assert str(event["SUMMARY"]) == f"{lab.equipment.name_zh} · {row.order.number}"
        assert str(event["STATUS"]) == status
        assert str(event["UID"]) == f"booking-{row.pk}@innovation-services"
    text = data.decode()
    assert "DTSTART:20260304T020000Z" in text and "DTEND:20260305T090000Z" in text


def test_ics_of_no_bookings_is_an_empty_calendar(lab):
    cal = icalendar.Calendar.from_ical(booking.bookings_ics([], name="empty"))
    assert cal.walk("VEVENT") == []


# --- the week calendar and utilisation at size ----------------------------------------------------------

WEEK = NOW.date() + timedelta(days=7)  # Monday 9 March 2026: the week shown


def bulk_bookings(lab: Lab, rows: list[tuple[datetime, datetime, str]]) -> list[Booking]:
    """Bookings written straight to the tables (orders, lines, bookings), a few queries for thousands."""
    deal = lab.deal
    thread = Thread.objects.create(buyer=deal.buyer_org, provider=deal.provider)
    amount = Decimal("200.00")
    orders = Order.objects.bulk_create(
        [
            Order(
                number=f"SO-BULK-{i:06d}",
                buyer=deal.buyer_org,
                provider=deal.provider,
                service=deal.service,
                thread=thread,
                status=Order.Status.PAID,
                subtotal=amount,
                vat_rate=Decimal("0.06"),
                vat_amount=Decimal("12.00"),
                total=Decimal("212.00"),
            )
            for i in range(len(rows))
        ],
        batch_size=1000,
    )
    lines = OrderLine.objects.bulk_create(
        [
            OrderLine(order=o, position=1, description="bulk", quantity=1, unit_price=amount, amount=amount)
            for o in orders
        ],
        batch_size=1000,
    )
    buffer = timedelta(minutes=lab.policy.buffer_minutes)
    return Booking.objects.bulk_create(
        [
            Booking(
                equipment=lab.equipment,
                order=o,
                line=line,
                starts_at=s,
                ends_at=e,
                occupied_until=e + buffer,
                status=status,
                hold_expires_at=NOW + timedelta(minutes=30) if status == "held" else None,
            )
            for o, line, (s, e, status) in zip(orders, lines, rows, strict=True)
        ],
        batch_size=1000,
    )


@pytest.fixture
def busy_lab(lab) -> Lab:
    """2,000 past bookings (1 h at 08, 10, 12, 14 and 16 h every weekday for 80 weeks before NOW's week),
    plus a known pattern in WEEK, and Saturdays open 09:00–12:00."""
    booking.booking_policy_save(
        actor=lab.deal.provider_user, equipment=lab.equipment, data=_policy(lab), opening={5: (time(9), time(12))}
    )
    past = [
        (at(day, hour), at(day, hour + 1), "confirmed")
        for week in range(1, 81)
        for weekday in range(5)
        for day in [NOW.date() - timedelta(weeks=week) + timedelta(days=weekday)]
        for hour in (8, 10, 12, 14, 16)
    ]
    assert len(past) == 2000
    week = [
        (at(WEEK, 10), at(WEEK, 12), "confirmed"),  # Monday 10–12, busy until 12:30
        (at(WEEK + timedelta(days=2), 10), at(WEEK + timedelta(days=2), 12), "cancelled"),  # Wednesday: free again
        (at(WEEK + timedelta(days=2), 14), at(WEEK + timedelta(days=2), 15), "expired"),
        (at(WEEK + timedelta(days=4), 16), at(WEEK + timedelta(days=4), 18), "held"),  # Friday 16–18
    ]
    bulk_bookings(lab, past + week)
    booking.equipment_block_add(
        actor=lab.deal.provider_user,
        equipment=lab.equipment,
        starts_at=at(WEEK + timedelta(days=1), 14),
        ends_at=at(WEEK + timedelta(days=1), 16),
        kind="maintenance",
    )
    return lab


def expected_week() -> dict[tuple[int, int], str]:
    states = {(d, h): "free" for d in range(5) for h in range(8, 18)}
    states |= {(5, h): "closed" for h in range(8, 18)} | {(5, h): "free" for h in (9, 10, 11)}
    # Monday: 09:00 would end at 10:00 and leave no buffer before the booking; 12:00 is inside its buffer.
    states |= {(0, 9): "booked", (0, 10): "booked", (0, 11): "booked", (0, 12): "booked"}
    states |= {(1, 14): "blocked", (1, 15): "blocked"}  # Tuesday's maintenance
    states |= {(4, 15): "booked", (4, 16): "booked", (4, 17): "booked"}  # Friday's hold (and the buffer before)
    return states


def test_week_grid_of_an_instrument_with_2000_bookings_takes_a_constant_few_queries(busy_lab):
    assert Booking.objects.filter(equipment=busy_lab.equipment).count() == 2004
    equipment = Equipment.objects.get(pk=busy_lab.equipment.pk)  # nothing cached: the policy is a query too
    with CaptureQueriesContext(connection) as empty_week:
        booking.week_grid(equipment, WEEK + timedelta(weeks=3), now=NOW)
    equipment = Equipment.objects.get(pk=busy_lab.equipment.pk)
    with CaptureQueriesContext(connection) as busy_week:
        booking.week_grid(equipment, NOW.date() - timedelta(weeks=40), now=NOW)  # 25 bookings in it
    equipment = Equipment.objects.get(pk=busy_lab.equipment.pk)
    started = stopwatch.perf_counter()
    with CaptureQueriesContext(connection) as shown_week:
        days = booking.week_grid(equipment, WEEK, now=NOW)
    elapsed = stopwatch.perf_counter() - started
    assert len(empty_week) == len(busy_week) == len(shown_week) <= 4
    assert elapsed < 1.0

    assert [d.date for d in days] == [WEEK + timedelta(days=i) for i in range(7)]
    assert days[6].slots == []  # Sunday: closed all day
    states = {(d.date.weekday(), booking.local(s.start).hour): s.state for d in days for s in d.slots}
    assert states == expected_week()


def test_week_grid_free_means_bookable(busy_lab):
    """A slot the calendar shows free can be booked for an hour, and every bookable hour is shown free."""
    days = booking.week_grid(busy_lab.equipment, WEEK, now=NOW)
    cal = busy_lab.calendar(at(WEEK + timedelta(days=3), 12))
    for day in days:
        for slot in day.slots:
            assert (slot.state == "free") == (problems(cal, slot.start, 1, NOW) == []), (
                slot,
                problems(cal, slot.start, 1, NOW),
            )


def test_week_grid_marks_times_too_soon_or_too_far_as_past(lab):
    this_week = booking.week_grid(lab.equipment, NOW.date(), now=NOW)
    monday = {booking.local(s.start).hour: s.state for s in this_week[0].slots}
    tuesday = {booking.local(s.start).hour: s.state for s in this_week[1].slots}
    assert set(monday.values()) == {"past"}
    assert [tuesday[h] for h in range(8, 11)] == ["past", "free", "free"]  # 24 h notice from Monday 09:00
    beyond = booking.week_grid(lab.equipment, NOW.date() + timedelta(weeks=9), now=NOW)  # from 4 May
    assert {s.state for d in beyond for s in d.slots} == {"past"}


def test_week_grid_of_an_instrument_without_opening_hours_is_empty(lab):
    booking.booking_policy_save(
        actor=lab.deal.provider_user, equipment=lab.equipment, data=_policy(lab), opening=dict.fromkeys(range(7))
    )
    assert all(d.slots == [] for d in booking.week_grid(lab.equipment, WEEK, now=NOW))


def test_utilisation_is_booked_over_open_hours(busy_lab):
    week_start = at(WEEK, 0)
    booked, open_hours = booking.utilisation(busy_lab.equipment, week_start, week_start + timedelta(days=7))
    assert (booked, open_hours) == (Decimal(4), Decimal(53))  # Monday 2 h + Friday's hold 2 h; 5 × 10 h + 3 h
    past_week = at(NOW.date() - timedelta(weeks=1), 0)
    assert booking.utilisation(busy_lab.equipment, past_week, past_week + timedelta(days=7)) == (
        Decimal(25),
        Decimal(53),
    )
    # A range that cuts Monday's booking in half and the day after its start.
    assert booking.utilisation(busy_lab.equipment, at(WEEK, 11), at(WEEK, 18)) == (Decimal(1), Decimal(7))
