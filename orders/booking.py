"""Booking instruments by the hour: the rules, the week calendar, holds that expire, calendar files.

All times are China time (Asia/Shanghai, UTC+8 all year: no daylight saving), stored as aware datetimes.
Bookings start and end on the full hour.

No double booking, two ways: on PostgreSQL an exclusion constraint (migration 0005) refuses any overlap
of active bookings of one instrument, whatever the concurrency, and the IntegrityError becomes a
`SlotTaken` refusal with the nearest free starts. SQLite (the embedded demo) has no such constraint, so
there the service takes the database's write lock before it checks for overlaps (see `_serialise`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Equipment, Service
from marketplace.audit.services import log_action
from marketplace.exceptions import TransitionNotAllowed
from marketplace.organizations.models import Organization

from . import services
from .models import Booking, BookingPolicy, EquipmentBlock, OpeningHours, Order, OrderLine, new_feed_token
from .money import LineInput, default_vat_rate
from .permissions import Role, member_org_ids, order_roles

if TYPE_CHECKING:
    from marketplace.accounts.models import User

CHINA = ZoneInfo("Asia/Shanghai")
HOUR = timedelta(hours=1)
ACTIVE = ("held", "confirmed")


class SlotTaken(TransitionNotAllowed):
    """Someone else booked (part of) this time first. `suggestions` are the nearest free starts."""

    def __init__(self, message: str, suggestions: list[datetime]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


@dataclass
class Calendar:
    """What is known about one instrument over a period: enough to check any booking in it without queries."""

    equipment: Equipment
    policy: BookingPolicy
    opening: dict[int, OpeningHours]
    blocks: list[EquipmentBlock]
    bookings: list[Booking]
    exclude_booking: int | None = field(default=None)


def load_calendar(equipment: Equipment, start: datetime, end: datetime, exclude: int | None = None) -> Calendar:
    """Three queries, whatever the number of bookings: opening hours, blocks and bookings overlapping [start, end)."""
    policy = equipment.booking_policy
    opening = {o.weekday: o for o in OpeningHours.objects.filter(equipment=equipment)}
    blocks = list(EquipmentBlock.objects.filter(equipment=equipment, starts_at__lt=end, ends_at__gt=start))
    bookings = list(
        Booking.objects.filter(
            equipment=equipment, status__in=ACTIVE, starts_at__lt=end + timedelta(days=1), occupied_until__gt=start
        ).only("pk", "starts_at", "ends_at", "occupied_until", "status")
    )
    return Calendar(equipment, policy, opening, blocks, bookings, exclude)


def local(dt: datetime) -> datetime:
    return dt.astimezone(CHINA)


def problems(cal: Calendar, starts_at: datetime, hours: int, now: datetime) -> list[str]:
    """Every rule a booking of `hours` from `starts_at` breaks; empty when it may be booked."""
    policy, equipment = cal.policy, cal.equipment
    start = local(starts_at)
    end = start + hours * HOUR
    found: list[str] = []
    if start.minute or start.second or start.microsecond:
        found.append(_("Bookings start on the full hour."))
    if not policy.min_hours <= hours <= equipment.max_slot_hours:
        found.append(
            _("Book between %(min)d and %(max)d hours.") % {"min": policy.min_hours, "max": equipment.max_slot_hours}
        )
    if start < now + timedelta(hours=equipment.min_notice_hours):
        found.append(_("Book at least %(h)d hours ahead.") % {"h": equipment.min_notice_hours})
    if start.date() > local(now).date() + timedelta(days=policy.horizon_days):
        found.append(_("Bookings open %(d)d days ahead.") % {"d": policy.horizon_days})
    hours_today = cal.opening.get(start.weekday())
    if (
        hours_today is None
        or (end.date() != start.date() and end.time() != time(0))
        or start.time() < hours_today.opens
        or (end - timedelta(microseconds=1)).time() >= hours_today.closes
    ):
        found.append(_("The instrument is not open at that time."))
    if any(b.starts_at < end and b.ends_at > start for b in cal.blocks):
        found.append(_("The instrument is unavailable then (maintenance or holiday)."))
    buffer = timedelta(minutes=policy.buffer_minutes)
    if any(
        b.pk != cal.exclude_booking and b.starts_at < end + buffer and b.occupied_until > start for b in cal.bookings
    ):
        found.append(_("This time is already booked."))
    return found


def nearest_free_starts(
    cal: Calendar, starts_at: datetime, hours: int, now: datetime, limit: int = 3
) -> list[datetime]:
    """Free starts for the same length, nearest to the requested one first (within three days either way)."""
    origin = local(starts_at).replace(minute=0, second=0, microsecond=0)
    candidates = [origin + k * HOUR for k in range(-72, 73) if k]
    candidates.sort(key=lambda c: abs(c - origin))
    found: list[datetime] = []
    for candidate in candidates:
        if not problems(cal, candidate, hours, now):
            found.append(candidate)
            if len(found) == limit:
                break
    return sorted(found)


def _serialise(equipment: Equipment) -> None:
    """SQLite: take the database write lock before reading, so two bookings cannot both see the slot free.
    PostgreSQL needs nothing here: its exclusion constraint decides at insert time."""
    if connection.vendor != "postgresql":
        Equipment.objects.filter(pk=equipment.pk).update(updated_at=F("updated_at"))


def _service_for(equipment: Equipment) -> Service:
    service = Service.objects.public().filter(equipment=equipment).order_by("pricing_mode", "pk").first()
    if service is None:
        raise TransitionNotAllowed(_("This instrument cannot be booked online at the moment."))
    return service


def bookable_equipment() -> QuerySet[Equipment]:
    """Instruments anyone may book: bookable, with a policy, used by a public service of a verified provider."""
    return Equipment.objects.filter(
        bookable=True,
        booking_policy__isnull=False,
        services__in=Service.objects.public(),
    ).distinct()


@transaction.atomic
def booking_hold(
    *, actor: User, buyer: Organization, equipment_id: int, starts_at: datetime, hours: int, now: datetime | None = None
) -> Booking:
    """Hold a time range: an order awaiting payment with one line (hours × rate); the hold expires unless paid."""
    now = now or timezone.now()
    services._buyer_org(actor, buyer)
    equipment = bookable_equipment().select_related("provider", "booking_policy").get(pk=equipment_id)
    _serialise(equipment)
    start = local(starts_at)
    end = start + hours * HOUR
    cal = load_calendar(equipment, start - timedelta(days=4), end + timedelta(days=4))
    found = problems(cal, start, hours, now)
    if found == [_("This time is already booked.")]:
        raise SlotTaken(found[0], nearest_free_starts(cal, start, hours, now))
    if found:
        raise ValidationError({"starts_at": found})
    service = _service_for(equipment)
    policy = cal.policy
    line = LineInput(
        description=f"{equipment.name_zh} {start:%Y-%m-%d %H:%M}–{end:%H:%M}",
        quantity=Decimal(hours),
        unit_price=policy.hourly_rate,
        unit="小时",
    )
    order = services._create_order(
        actor=actor,
        buyer=buyer,
        service=service,
        thread=services._new_thread(buyer, equipment.provider),
        lines=[line],
        vat_rate=default_vat_rate(),
    )
    booking = Booking(
        equipment=equipment,
        order=order,
        line=order.lines.get(),
        starts_at=start,
        ends_at=end,
        occupied_until=end + timedelta(minutes=policy.buffer_minutes),
        hold_expires_at=now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:  # the exclusion constraint: someone booked it between our check and now
        cal = load_calendar(equipment, start - timedelta(days=4), end + timedelta(days=4))  # now with their booking
        raise SlotTaken(_("This slot was just taken."), nearest_free_starts(cal, start, hours, now)) from exc
    log_action(
        actor=actor, obj=order, action="booking.held", data={"equipment": equipment.pk, "start": start.isoformat()}
    )
    return booking


def _lock_booking(booking_id: int) -> tuple[Order, Booking]:
    order_id = Booking.objects.values_list("order_id", flat=True).get(pk=booking_id)
    order = Order.objects.select_for_update(of=("self",)).select_related("provider").get(pk=order_id)
    return order, Booking.objects.select_for_update(of=("self",)).select_related("equipment").get(pk=booking_id)


@transaction.atomic
def booking_keep_with_transfer(*, actor: User, booking_id: int, reference: str, now: datetime | None = None) -> Booking:
    """The buyer paid by bank transfer and gives its reference: the time is confirmed, and the provider
    confirms receipt of the money as for any order. Bank transfers take days, so the hold is extended rather
    than lifted: if the money is not confirmed within BOOKING_TRANSFER_DAYS the time is released."""
    order, booking = _lock_booking(booking_id)
    if Role.BUYER not in order_roles(actor, order):
        raise PermissionDenied
    if booking.status != Booking.Status.HELD:
        raise TransitionNotAllowed(_("This booking is not waiting for payment."))
    if not reference.strip():
        raise ValidationError({"reference": _("Enter the reference of your bank transfer.")})
    booking.status = Booking.Status.CONFIRMED
    booking.hold_expires_at = (now or timezone.now()) + timedelta(days=settings.BOOKING_TRANSFER_DAYS)
    booking.transfer_reference = reference.strip()[:100]
    booking.save(update_fields=["status", "hold_expires_at", "transfer_reference", "updated_at"])
    entry = log_action(actor=actor, obj=order, action="booking.transfer_reference", data={"reference": reference[:100]})
    services.notify_after_commit(entry)
    return booking


def booking_holds_expire(now: datetime | None = None) -> int:
    """Release holds past their expiry (Celery beat, every minute): the booking expires, the order is cancelled.

    Unpaid holds expire after minutes; bookings kept with a bank-transfer reference after
    BOOKING_TRANSFER_DAYS if the provider has not confirmed the money by then (payment clears the expiry).
    """
    now = now or timezone.now()
    due = Booking.objects.filter(
        status__in=[Booking.Status.HELD, Booking.Status.CONFIRMED], hold_expires_at__lt=now
    ).values_list("pk", flat=True)
    count = 0
    for booking_id in list(due):
        with transaction.atomic():
            order, booking = _lock_booking(booking_id)
            if _hold_lapsed(booking, order, now):
                reason = "booking hold expired" if booking.status == Booking.Status.HELD else "transfer not received"
                booking.status = Booking.Status.EXPIRED
                booking.save(update_fields=["status", "updated_at"])
                if order.status == Order.Status.PENDING_PAYMENT:
                    services.order_cancel(order_id=order.pk, actor=None, reason=reason)
                count += 1
    return count


def _hold_lapsed(booking: Booking, order: Order, now: datetime) -> bool:
    """Still unpaid past its expiry (re-checked under the row locks: it may have been paid meanwhile)."""
    if booking.hold_expires_at is None or booking.hold_expires_at >= now:
        return False
    if booking.status == Booking.Status.HELD:
        return True
    return booking.status == Booking.Status.CONFIRMED and order.status == Order.Status.PENDING_PAYMENT


def _check_window(booking: Booking, roles: frozenset[Role], now: datetime) -> None:
    policy = booking.equipment.booking_policy
    deadline = booking.starts_at - timedelta(hours=policy.free_cancellation_hours)
    if Role.PROVIDER not in roles and now > deadline:
        raise TransitionNotAllowed(
            _("Changes were free until %(when)s; please contact the provider.")
            % {"when": local(deadline).strftime("%Y-%m-%d %H:%M")}
        )


def _open_booking(actor: User, booking_id: int, now: datetime) -> tuple[Order, Booking]:
    """Lock an active booking that the actor's side may still change (the window binds buyers only)."""
    order, booking = _lock_booking(booking_id)
    roles = order_roles(actor, order)
    if not roles & {Role.BUYER, Role.PROVIDER}:
        raise PermissionDenied
    if booking.status not in ACTIVE:
        raise TransitionNotAllowed(_("This booking is no longer active."))
    _check_window(booking, roles, now)
    return order, booking


@transaction.atomic
def booking_cancel(*, actor: User, booking_id: int, now: datetime | None = None) -> Booking:
    """Cancel a booking under the provider's policy (buyers: free until N hours before; providers: any time).
    A paid booking's order is cancelled and refunded in full."""
    from .payments.services import refund_issue  # payments builds on orders: imported where it is needed

    now = now or timezone.now()
    order, booking = _open_booking(actor, booking_id, now)
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    if order.status == Order.Status.PENDING_PAYMENT:
        services.order_cancel(order_id=order.pk, actor=actor, reason="booking cancelled")
    elif order.paid_at is not None and order.status in (Order.Status.PAID,):
        services.order_cancel(order_id=order.pk, actor=None, reason="booking cancelled")
        refund_issue(
            actor=None, order_id=order.pk, amount=order.total - order.amount_refunded, reason="booking cancelled"
        )
    else:
        raise TransitionNotAllowed(_("The work on this order has started; it can no longer be cancelled."))
    return booking


@transaction.atomic
def booking_reschedule(*, actor: User, booking_id: int, starts_at: datetime, now: datetime | None = None) -> Booking:
    """Move a booking to another start of the same length, under the same rules and cancellation window."""
    now = now or timezone.now()
    order, booking = _open_booking(actor, booking_id, now)
    _serialise(booking.equipment)
    hours = int(booking.hours)
    start = local(starts_at)
    cal = load_calendar(booking.equipment, start - timedelta(days=4), start + timedelta(days=5), exclude=booking.pk)
    found = problems(cal, start, hours, now)
    if found == [_("This time is already booked.")]:
        raise SlotTaken(found[0], nearest_free_starts(cal, start, hours, now))
    if found:
        raise ValidationError({"starts_at": found})
    before = booking.starts_at
    booking.starts_at, booking.ends_at = start, start + hours * HOUR
    booking.occupied_until = booking.ends_at + timedelta(minutes=cal.policy.buffer_minutes)
    try:
        with transaction.atomic():
            booking.save(update_fields=["starts_at", "ends_at", "occupied_until", "updated_at"])
    except IntegrityError as exc:  # as in booking_hold: suggest from a calendar that includes the winner
        cal = load_calendar(booking.equipment, start - timedelta(days=4), start + timedelta(days=5), exclude=booking.pk)
        raise SlotTaken(_("This slot was just taken."), nearest_free_starts(cal, start, hours, now)) from exc
    OrderLine.objects.filter(pk=booking.line_id).update(  # the order (and its invoice) name the new time
        description=f"{booking.equipment.name_zh} {start:%Y-%m-%d %H:%M}–{booking.ends_at:%H:%M}"
    )
    entry = log_action(
        actor=actor, obj=order, action="booking.rescheduled", data={"from": before.isoformat(), "to": start.isoformat()}
    )
    services.notify_after_commit(entry)
    return booking


# --- the provider's side ------------------------------------------------------------------------------


def _ensure_provider(actor: User, equipment: Equipment) -> None:
    if equipment.provider.organization_id not in member_org_ids(actor):
        raise PermissionDenied


@transaction.atomic
def booking_policy_save(
    *, actor: User, equipment: Equipment, data: dict[str, Any], opening: dict[int, tuple[time, time] | None]
) -> BookingPolicy:
    """Set rate, rules and weekly opening hours of an instrument (None for a closed weekday)."""
    _ensure_provider(actor, equipment)
    policy, _created = BookingPolicy.objects.get_or_create(
        equipment=equipment, defaults={"hourly_rate": data["hourly_rate"]}
    )
    for name in ("hourly_rate", "min_hours", "buffer_minutes", "horizon_days", "free_cancellation_hours"):
        setattr(policy, name, data[name])
    policy.full_clean()
    policy.save()
    for weekday, interval in opening.items():
        if interval is None:
            OpeningHours.objects.filter(equipment=equipment, weekday=weekday).delete()
            continue
        if interval[0] >= interval[1]:
            raise ValidationError({f"day_{weekday}": _("Opening must be before closing.")})
        OpeningHours.objects.update_or_create(
            equipment=equipment, weekday=weekday, defaults={"opens": interval[0], "closes": interval[1]}
        )
    log_action(
        actor=actor, obj=equipment, action="equipment.booking_policy_updated", data={"rate": str(policy.hourly_rate)}
    )
    return policy


@transaction.atomic
def equipment_block_add(
    *, actor: User, equipment: Equipment, starts_at: datetime, ends_at: datetime, kind: str, reason: str = ""
) -> EquipmentBlock:
    """Block time for maintenance or a holiday. Existing bookings in it stay; the provider settles them."""
    _ensure_provider(actor, equipment)
    if starts_at >= ends_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    block = EquipmentBlock.objects.create(
        equipment=equipment, starts_at=starts_at, ends_at=ends_at, kind=kind, reason=reason.strip()[:200]
    )
    log_action(
        actor=actor, obj=equipment, action="equipment.blocked", data={"from": starts_at.isoformat(), "kind": kind}
    )
    return block


@transaction.atomic
def booking_feed_rotate(*, actor: User, equipment: Equipment) -> BookingPolicy:
    """Issue a new secret for the calendar feed; calendar apps holding the old URL stop receiving bookings."""
    _ensure_provider(actor, equipment)
    policy = BookingPolicy.objects.select_for_update().get(equipment=equipment)
    policy.feed_token = new_feed_token()
    policy.save(update_fields=["feed_token", "updated_at"])
    log_action(actor=actor, obj=equipment, action="equipment.feed_rotated", data={})
    return policy


# --- reads --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    start: datetime
    state: str  # free, booked, blocked, closed, past


@dataclass(frozen=True)
class Day:
    date: date
    slots: list[Slot]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_grid(equipment: Equipment, monday: date, now: datetime | None = None) -> list[Day]:
    """Seven days of hourly slots between the earliest opening and the latest closing, in 3 queries."""
    now = now or timezone.now()
    start = datetime.combine(monday, time(0), tzinfo=CHINA)
    cal = load_calendar(equipment, start, start + timedelta(days=7))
    if not cal.opening:
        return [Day(monday + timedelta(days=i), []) for i in range(7)]
    first = min(o.opens for o in cal.opening.values()).hour
    last = max(o.closes for o in cal.opening.values())
    last_hour = last.hour + (1 if last.minute else 0)
    days = []
    for i in range(7):
        day = monday + timedelta(days=i)
        slots = []
        for hour in range(first, last_hour) if day.weekday() in cal.opening else ():
            slot_start = datetime.combine(day, time(hour), tzinfo=CHINA)
            slots.append(Slot(slot_start, _slot_state(cal, slot_start, now)))
        days.append(Day(day, slots))
    return days


def _slot_state(cal: Calendar, start: datetime, now: datetime) -> str:
    end = start + HOUR
    opening = cal.opening.get(start.weekday())
    if opening is None or start.time() < opening.opens or (end - timedelta(microseconds=1)).time() >= opening.closes:
        return "closed"
    if any(b.starts_at < end and b.ends_at > start for b in cal.blocks):
        return "blocked"
    buffer = timedelta(minutes=cal.policy.buffer_minutes)  # as in problems(): an hour here needs its own buffer
    if any(b.starts_at < end + buffer and b.occupied_until > start for b in cal.bookings):  # and theirs after
        return "booked"
    if start < now + timedelta(hours=cal.equipment.min_notice_hours) or start.date() > local(now).date() + timedelta(
        days=cal.policy.horizon_days
    ):
        return "past"
    return "free"


def utilisation(equipment: Equipment, start: datetime, end: datetime) -> tuple[Decimal, Decimal]:
    """(booked hours, open hours) of an instrument between two instants (confirmed and held bookings)."""
    cal = load_calendar(equipment, start, end)
    open_hours = Decimal(0)
    day = local(start).date()
    while datetime.combine(day, time(0), tzinfo=CHINA) < end:
        opening = cal.opening.get(day.weekday())
        if opening is not None:
            a = max(datetime.combine(day, opening.opens, tzinfo=CHINA), start)
            b = min(datetime.combine(day, opening.closes, tzinfo=CHINA), end)
            if b > a:
                open_hours += Decimal((b - a).total_seconds()) / 3600
        day += timedelta(days=1)
    booked = sum(
        (Decimal((min(b.ends_at, end) - max(b.starts_at, start)).total_seconds()) / 3600 for b in cal.bookings
         if b.starts_at < end and b.ends_at > start),
        Decimal(0),
    )  # fmt: skip
    return booked, open_hours


def bookings_ics(bookings: list[Booking], *, name: str) -> bytes:
    """An iCalendar file (RFC 5545) with one event per booking, times in UTC."""
    from icalendar import Calendar as ICal
    from icalendar import Event

    cal = ICal()
    cal.add("prodid", "-//Innovation Services//bookings//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@innovation-services")
        event.add("dtstamp", stamp)
        event.add("dtstart", booking.starts_at.astimezone(ZoneInfo("UTC")))
        event.add("dtend", booking.ends_at.astimezone(ZoneInfo("UTC")))
        event.add("summary", f"{booking.equipment.name_zh} · {booking.order.number}")
        event.add("status", "CONFIRMED" if booking.status == Booking.Status.CONFIRMED else "TENTATIVE")
        cal.add_component(event)
    return cal.to_ical()


def bookings_for_feed(equipment: Equipment) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(equipment=equipment, status__in=ACTIVE, ends_at__gte=timezone.now() - timedelta(days=30))
        .select_related("equipment", "order")
        .order_by("starts_at")
    )


def bookings_of_provider(provider_ids: Any) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(equipment__provider__in=provider_ids)
        .filter(Q(status__in=ACTIVE) | Q(starts_at__gte=timezone.now() - timedelta(days=7)))
        .select_related("equipment", "order", "order__buyer")
        .order_by("starts_at")
    )
