"""What each audited order event is called, and the e-mail that tells the other side about it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry

from .models import Message, Order, QuoteRequest

EVENT_LABELS: dict[str, Any] = {
    "quote_request.submitted": _("Quote requested"),
    "quote_request.declined": _("Request declined"),
    "quote.sent": _("Quote sent"),
    "quote.revised": _("Quote revised"),
    "quote.accepted": _("Quote accepted"),
    "quote.declined": _("Quote declined"),
    "quote.expired": _("Quote expired"),
    "order.created": _("Order placed"),
    "order.paid": _("Payment received"),
    "order.shipping_updated": _("Sample shipping details updated"),
    "order.sample_received": _("Sample received"),
    "order.started": _("Work started"),
    "order.report_issued": _("Report issued"),
    "order.completed": _("Order completed"),
    "order.cancelled": _("Order cancelled"),
    "order.refunded": _("Refund recorded"),
    "order.partially_refunded": _("Partial refund recorded"),
    "review.posted": _("Review posted"),
    "review.replied": _("Provider replied to the review"),
    "message.sent": _("New message"),
    "booking.held": _("Equipment time held"),
    "booking.transfer_reference": _("Bank transfer reference given for the booking"),
    "booking.rescheduled": _("Booking moved"),
    "payment.card_started": _("Card payment started"),
    "payment.declined": _("Card declined"),
    "payment.reconciled": _("Payment status checked with the card processor"),
    "payment.refunded_automatically": _("Late payment refunded automatically"),
    "fapiao.requested": _("Invoice (fapiao) requested"),
    "fapiao.issued": _("Invoice (fapiao) issued"),
}


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def _deal_of(entry: AuditEntry) -> tuple[int, int, str, str] | None:
    """(buyer org id, provider org id, reference number, page path) of the quote request or order."""
    obj = entry.obj
    if isinstance(obj, Message):
        order = obj.thread.orders.order_by("-pk").first()
        obj = order if order is not None else QuoteRequest.objects.filter(thread=obj.thread).first()
    if isinstance(obj, Order | QuoteRequest):
        return obj.buyer_id, obj.provider.organization_id, obj.number or "", obj.get_absolute_url()
    return None


def _recipients(entry: AuditEntry, buyer_id: int, provider_org_id: int) -> list[User]:
    sides = {buyer_id, provider_org_id}
    if entry.actor_id is not None:
        actor_orgs = set(entry.actor.memberships.values_list("organization_id", flat=True)) if entry.actor else set()
        sides -= actor_orgs
    return list(User.objects.filter(memberships__organization_id__in=sides, is_active=True).distinct())


def send_event_emails(entry_id: int) -> int:
    """One e-mail per member of the side that did not act, in Chinese and English; sent at most once."""
    entry = AuditEntry.objects.select_related("actor", "content_type").filter(pk=entry_id).first()
    if entry is None or not cache.add(f"orders:notified:{entry_id}", 1, 7 * 24 * 3600):
        return 0
    deal = _deal_of(entry)
    if deal is None:
        return 0
    buyer_id, provider_org_id, number, path = deal
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts.append(f"{event_label(entry.action)}: {number}\n{_('Open it here:')} {link}")
    with translation.override("zh-hans"):
        subject = f"[{_('Innovation Services')}] {event_label(entry.action)} · {number}"
    body = "\n\n".join(parts)
    sent = 0
    for user in _recipients(entry, buyer_id, provider_org_id):
        sent += send_mail(subject, body, None, [user.email])
    return sent
