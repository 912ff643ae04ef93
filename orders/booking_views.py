"""Pages for booking instruments: the public week calendar, holds, calendar files, the provider's settings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from catalog.models import Equipment
from catalog.selectors import equipment_managed_by, providers_managed_by
from marketplace.exceptions import TransitionNotAllowed

from . import booking, selectors
from .models import Booking, BookingPolicy, EquipmentBlock, OpeningHours
from .views import _buyers, run_service

WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]


class WeekForm(forms.Form):
    week = forms.DateField(required=False)


class SlotForm(forms.Form):
    start = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M"])
    hours = forms.IntegerField(min_value=1, max_value=24 * 14)
    buyer = forms.IntegerField(required=False)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = BookingPolicy
        fields = ["hourly_rate", "min_hours", "buffer_minutes", "horizon_days", "free_cancellation_hours"]


class OpeningForm(forms.Form):
    """Opening hours for the seven weekdays; an empty pair means closed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in enumerate(WEEKDAYS):
            widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=f"{label} · {_('opens')}", required=False, widget=widget
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=f"{label} · {_('closes')}", required=False, widget=widget
            )

    def intervals(self) -> dict[int, tuple[time, time] | None]:
        result: dict[int, tuple[time, time] | None] = {}
        for day in range(7):
            opens, closes = self.cleaned_data.get(f"opens_{day}"), self.cleaned_data.get(f"closes_{day}")
            result[day] = (opens, closes) if opens and closes else None
        return result


class BlockForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=EquipmentBlock.Kind.choices)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("From"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


def _user(request: HttpRequest) -> Any:
    """The signed-in user (views using it are behind login_required)."""
    return request.user


def _public_equipment(pk: int) -> Equipment:
    return get_object_or_404(booking.bookable_equipment().select_related("provider", "booking_policy"), pk=pk)


def _monday(request: HttpRequest) -> date:
    form = WeekForm(request.GET)
    day = form.cleaned_data.get("week") if form.is_valid() else None
    today = timezone.localdate()
    if day is None or abs((day - today).days) > 400:
        day = today
    return booking.week_start(day)


def _calendar_context(request: HttpRequest, equipment: Equipment, monday: date, **extra: Any) -> dict[str, Any]:
    policy = equipment.booking_policy
    reschedule = request.GET.get("reschedule") or request.POST.get("reschedule") or ""
    return {
        "equipment": equipment,
        "policy": policy,
        "days": booking.week_grid(equipment, monday),
        "monday": monday,
        "prev_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "hour_choices": range(policy.min_hours, equipment.max_slot_hours + 1),
        "buyers": _buyers(request.user) if request.user.is_authenticated else [],
        "reschedule": reschedule if reschedule.isdigit() else "",
        **extra,
    }


def equipment_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The week calendar: free, booked and blocked hours; choosing a free hour and a length starts a booking."""
    equipment = _public_equipment(pk)
    context = _calendar_context(request, equipment, _monday(request))
    template = "orders/_calendar.html" if request.headers.get("HX-Request") else "orders/equipment_calendar.html"
    return render(request, template, context)


def _parse_slot(request: HttpRequest) -> tuple[datetime, int] | None:
    form = SlotForm(request.POST)
    if not form.is_valid():
        return None
    start = form.cleaned_data["start"]
    start = start.replace(tzinfo=booking.CHINA) if timezone.is_naive(start) else start.astimezone(booking.CHINA)
    return start, form.cleaned_data["hours"]


@login_required
@require_POST
def booking_create(request: HttpRequest, pk: int) -> HttpResponse:
    equipment = _public_equipment(pk)
    slot = _parse_slot(request)
    buyers = _buyers(request.user)
    if slot is None:
        messages.error(request, _("Choose a free hour and the number of hours."))
        return redirect("orders:equipment-calendar", pk=pk)
    if not buyers:
        return render(request, "orders/needs_enterprise.html", {"service": booking._service_for(equipment)}, status=403)
    buyer_id = request.POST.get("buyer", "")
    buyer = next((b for b in buyers if str(b.pk) == buyer_id), buyers[0])
    start, hours = slot
    try:
        held = booking.booking_hold(
            actor=_user(request), buyer=buyer, equipment_id=equipment.pk, starts_at=start, hours=hours
        )  # type: ignore[arg-type]
    except booking.SlotTaken as exc:
        return _refused(request, equipment, start, str(exc), exc.suggestions)
    except ValidationError as exc:
        return _refused(request, equipment, start, " ".join(exc.messages), [])
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("orders:equipment-calendar", pk=pk)
    minutes = held.hold_expires_at and int((held.hold_expires_at - timezone.now()).total_seconds() // 60)
    messages.success(
        request,
        _("Held for %(minutes)d minutes: pay now, or give your bank transfer reference, to keep it.")
        % {"minutes": minutes},
    )
    return redirect(held.order)


def _refused(
    request: HttpRequest, equipment: Equipment, start: datetime, message: str, suggestions: list[datetime]
) -> HttpResponse:
    context = _calendar_context(
        request, equipment, booking.week_start(start.date()), error=message, suggestions=suggestions
    )
    return render(request, "orders/equipment_calendar.html", context, status=409)


@login_required
@require_POST
def booking_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    held = get_object_or_404(Booking.objects.filter(order__in=selectors.orders_for(request.user).values("pk")), pk=pk)
    slot = _parse_slot(request)
    if slot is None:
        messages.error(request, _("Choose a free hour."))
        return redirect(held.order)
    try:
        booking.booking_reschedule(actor=request.user, booking_id=held.pk, starts_at=slot[0])  # type: ignore[arg-type]
    except booking.SlotTaken as exc:
        return _refused(request, held.equipment, slot[0], str(exc), exc.suggestions)
    except (ValidationError, TransitionNotAllowed, PermissionDenied) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc) or _("Not allowed.")
        messages.error(request, text)
    else:
        messages.success(request, _("Booking moved."))
    return redirect(held.order)


def _booking_action(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    held = get_object_or_404(Booking.objects.filter(order__in=selectors.orders_for(request.user).values("pk")), pk=pk)
    return run_service(request, held.order, lambda: action(held), success)


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _booking_action(
        request, pk, lambda b: booking.booking_cancel(actor=_user(request), booking_id=b.pk), _("Booking cancelled.")
    )


@login_required
@require_POST
def booking_keep(request: HttpRequest, pk: int) -> HttpResponse:
    reference = request.POST.get("reference", "")[:100]
    return _booking_action(
        request,
        pk,
        lambda b: booking.booking_keep_with_transfer(actor=_user(request), booking_id=b.pk, reference=reference),
        _("Thank you: the time is kept for you until the provider confirms your transfer."),
    )


@login_required
def booking_ics(request: HttpRequest, number: str) -> HttpResponse:
    order = get_object_or_404(selectors.orders_for(request.user), number=number)
    bookings = list(order.bookings.select_related("equipment", "order"))
    if not bookings:
        raise Http404
    response = HttpResponse(booking.bookings_ics(bookings, name=order.number or ""), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{order.number}.ics"'
    return response


def equipment_feed(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The provider's private feed: anyone with the secret URL (a calendar app) reads the instrument's bookings."""
    policy = get_object_or_404(BookingPolicy.objects.select_related("equipment"), equipment_id=pk, feed_token=token)
    bookings = list(booking.bookings_for_feed(policy.equipment))
    body = booking.bookings_ics(bookings, name=policy.equipment.name_zh)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- provider side ------------------------------------------------------------------------------------


@login_required
def equipment_bookings(request: HttpRequest) -> HttpResponse:
    """Bookings per instrument and utilisation (booked / open hours) this week and this month."""
    providers = providers_managed_by(request.user)
    instruments = list(equipment_managed_by(request.user).filter(bookable=True).select_related("booking_policy"))
    now = timezone.localtime()
    monday = datetime.combine(booking.week_start(now.date()), time(0), tzinfo=booking.CHINA)
    first = datetime.combine(now.date().replace(day=1), time(0), tzinfo=booking.CHINA)
    next_month = (first + timedelta(days=32)).replace(day=1)
    rows = []
    for equipment in instruments:
        has_policy = BookingPolicy.objects.filter(equipment=equipment).exists()
        week = booking.utilisation(equipment, monday, monday + timedelta(days=7)) if has_policy else None
        month = booking.utilisation(equipment, first, next_month) if has_policy else None
        rows.append({"equipment": equipment, "week": week, "month": month, "has_policy": has_policy})
    upcoming = booking.bookings_of_provider(providers.values("pk"))[:100]
    return render(request, "orders/equipment_bookings.html", {"rows": rows, "upcoming": upcoming})


@login_required
def equipment_settings(request: HttpRequest, pk: int) -> HttpResponse:
    equipment = get_object_or_404(equipment_managed_by(request.user), pk=pk)
    policy = BookingPolicy.objects.filter(equipment=equipment).first()
    opening = {o.weekday: o for o in OpeningHours.objects.filter(equipment=equipment)}
    initial = {}
    for day, o in opening.items():
        initial[f"opens_{day}"], initial[f"closes_{day}"] = o.opens, o.closes
    policy_form = PolicyForm(request.POST or None, instance=policy, prefix="policy")
    opening_form = OpeningForm(request.POST or None, initial=initial, prefix="open")
    if request.method == "POST" and policy_form.is_valid() and opening_form.is_valid():
        try:
            booking.booking_policy_save(
                actor=request.user,  # type: ignore[arg-type]
                equipment=equipment,
                data=policy_form.cleaned_data,
                opening=opening_form.intervals(),
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Booking settings saved."))
            return redirect("orders:equipment-settings", pk=pk)
    feed_url = (
        request.build_absolute_uri(reverse("orders:equipment-feed", args=[equipment.pk, policy.feed_token]))
        if policy
        else ""
    )
    blocks = EquipmentBlock.objects.filter(equipment=equipment, ends_at__gte=timezone.now()).order_by("starts_at")[:50]
    return render(
        request,
        "orders/equipment_settings.html",
        {
            "equipment": equipment,
            "policy": policy,
            "policy_form": policy_form,
            "opening_form": opening_form,
            "block_form": BlockForm(),
            "blocks": blocks,
            "feed_url": feed_url,
        },
    )


@login_required
@require_POST
def equipment_block_add(request: HttpRequest, pk: int) -> HttpResponse:
    equipment = get_object_or_404(equipment_managed_by(request.user), pk=pk)
    form = BlockForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            booking.equipment_block_add(
                actor=request.user,  # type: ignore[arg-type]
                equipment=equipment,
                starts_at=timezone.make_aware(data["starts_at"].replace(tzinfo=None), booking.CHINA),
                ends_at=timezone.make_aware(data["ends_at"].replace(tzinfo=None), booking.CHINA),
                kind=data["kind"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Time blocked."))
    else:
        messages.error(request, _("Enter the start and end of the blocked time."))
    return redirect("orders:equipment-settings", pk=pk)


@login_required
@require_POST
def equipment_feed_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    equipment = get_object_or_404(equipment_managed_by(request.user), pk=pk)
    try:
        booking.booking_feed_rotate(actor=request.user, equipment=equipment)  # type: ignore[arg-type]
    except BookingPolicy.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("New calendar address issued; the old one no longer works."))
    return redirect("orders:equipment-settings", pk=pk)
