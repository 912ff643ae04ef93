"""What each audited order event is called, and the e-mail that tells the other side about it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.notifications.services import deliver_email_once, notify
from marketplace.operations import notifications as application_notifications

from .models import Message, Order, QuoteRequest

EVENT_LABELS: dict[str, Any] = {
    "quote_request.submitted": gettext_lazy("Quote requested"),
    "quote_request.declined": gettext_lazy("Request declined"),
    "quote.sent": gettext_lazy("Quote sent"),
    "quote.revised": gettext_lazy("Quote revised"),
    "quote.accepted": gettext_lazy("Quote accepted"),
    "quote.declined": gettext_lazy("Quote declined"),
    "quote.expiring": gettext_lazy("Quote expires tomorrow"),
    "quote.expired": gettext_lazy("Quote expired"),
    "order.created": gettext_lazy("Order placed"),
    "order.paid": gettext_lazy("Payment received"),
    "order.shipping_updated": gettext_lazy("Sample shipping details updated"),
    "order.sample_received": gettext_lazy("Sample received"),
    "order.started": gettext_lazy("Work started"),
    "order.report_issued": gettext_lazy("Report issued"),
    "order.completed": gettext_lazy("Order completed"),
    "order.cancelled": gettext_lazy("Order cancelled"),
    "order.refunded": gettext_lazy("Refund recorded"),
    "order.partially_refunded": gettext_lazy("Partial refund recorded"),
    "review.posted": gettext_lazy("Review posted"),
    "review.replied": gettext_lazy("Provider replied to the review"),
    "message.sent": gettext_lazy("New message"),
    "booking.held": gettext_lazy("Equipment time held"),
    "booking.transfer_reference": gettext_lazy("Bank transfer reference given for the booking"),
    "booking.rescheduled": gettext_lazy("Booking moved"),
    "payment.card_started": gettext_lazy("Card payment started"),
    "payment.declined": gettext_lazy("Card declined"),
    "payment.reconciled": gettext_lazy("Payment status checked with the card processor"),
    "payment.refunded_automatically": gettext_lazy("Late payment refunded automatically"),
    "fapiao.requested": gettext_lazy("Invoice (fapiao) requested"),
    "fapiao.issued": gettext_lazy("Invoice (fapiao) issued"),
    # Not an event: the providers' daily summary, listed here so it can be turned off like the others.
    "digest.daily": gettext_lazy("Daily summary for providers"),
}


# Reminders meant for the buyer alone (the system acts, so both sides would otherwise hear of it).
BUYER_ONLY_ACTIONS = frozenset({"quote.expiring"})


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
    """The members of the side that did not act (both sides for the system's own actions)."""
    sides = {buyer_id} if entry.action in BUYER_ONLY_ACTIONS else {buyer_id, provider_org_id}
    if entry.actor is not None:
        sides -= set(entry.actor.memberships.values_list("organization_id", flat=True))
    return list(User.objects.filter(memberships__organization_id__in=sides, is_active=True).distinct())


def _email(entry: AuditEntry, user: User, number: str, link: str) -> EmailMultiAlternatives:
    """The branded HTML + text e-mail about one event, in the recipient's language."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"label": event_label(entry.action), "number": number, "link": link, "entry": entry, "user": user}
        subject = f"[{_('Innovation Services')}] {context['label']} · {number}"
        text = render_to_string("orders/email/event.txt", context)
        html = render_to_string("orders/email/event.html", context)
    message = EmailMultiAlternatives(subject, text, None, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def deliver_event(entry_id: int) -> int:
    """Tell the other side about one audited event: an in-app notification for each member and an e-mail
    for those who want e-mails of this kind. Safe to run twice: each e-mail goes out at most once."""
    entry = AuditEntry.objects.select_related("actor", "content_type").filter(pk=entry_id).first()
    if entry is not None and application_notifications.handles(entry.action):
        return application_notifications.deliver_event(entry)
    deal = _deal_of(entry) if entry is not None else None
    if entry is None or deal is None:
        return 0
    buyer_id, provider_org_id, number, path = deal
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
    sent = 0
    for user in _recipients(entry, buyer_id, provider_org_id):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title = f"{event_label(entry.action)} · {number}"
        notify(entry=entry, user=user, title=title, url=path)
        message = _email(entry, user, number, link)
        sent += deliver_email_once(entry=entry, user=user, send=message.send)
    return sent
