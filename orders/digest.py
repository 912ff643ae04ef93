"""The providers' daily summary e-mail: what arrived in the last day and what is waiting for them.

Event e-mails tell a center about each thing as it happens; the digest is the morning list a lab
manager works from. It goes to every active member of a provider organization who has not turned it
off, at most once per person and day (`DigestDelivery`), and only when there is something to say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import Provider
from marketplace.accounts.models import User
from marketplace.notifications.models import DigestDelivery, EmailOptOut

from .models import Booking, Message, Order, QuoteRequest

DIGEST_ACTION = "digest.daily"


@dataclass(frozen=True)
class ProviderDigest:
    """One provider's figures for one day; every count is of things waiting for the provider."""

    provider: Provider
    new_requests: int
    awaiting_quote: int
    awaiting_sample: int
    ready_to_start: int
    report_due: int
    new_messages: int
    bookings_next_day: int

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.new_requests,
                self.awaiting_quote,
                self.awaiting_sample,
                self.ready_to_start,
                self.report_due,
                self.new_messages,
                self.bookings_next_day,
            )
        )


def provider_digest(provider: Provider, *, since: dt.datetime, until: dt.datetime) -> ProviderDigest:
    """The provider's figures for the day that ended at `until` (new things since `since`)."""
    requests = QuoteRequest.objects.filter(provider=provider)
    order_counts = dict(
        Order.objects.filter(
            provider=provider,
            status__in=[Order.Status.PAID, Order.Status.SAMPLE_RECEIVED, Order.Status.IN_PROGRESS],
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return ProviderDigest(
        provider=provider,
        new_requests=requests.filter(created_at__gte=since, created_at__lt=until).count(),
        awaiting_quote=requests.filter(status=QuoteRequest.Status.SUBMITTED).count(),
        awaiting_sample=order_counts.get(Order.Status.PAID, 0),
        ready_to_start=order_counts.get(Order.Status.SAMPLE_RECEIVED, 0),
        report_due=order_counts.get(Order.Status.IN_PROGRESS, 0),
        new_messages=Message.objects.filter(thread__provider=provider, created_at__gte=since, created_at__lt=until)
        .exclude(sender_organization_id=provider.organization_id)
        .count(),
        bookings_next_day=Booking.objects.filter(
            equipment__provider=provider,
            status=Booking.Status.CONFIRMED,
            starts_at__gte=until,
            starts_at__lt=until + dt.timedelta(days=1),
        ).count(),
    )


def _digest_email(digest: ProviderDigest, user: User, day: dt.date) -> EmailMultiAlternatives:
    """The HTML + text summary in the recipient's language."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "digest": digest,
            "user": user,
            "day": day,
            "incoming_url": base + reverse("orders:incoming"),
            "requests_url": base + reverse("orders:quote-request-incoming"),
            "preferences_url": base + reverse("orders:email-preferences"),
        }
        subject = f"[{_('Innovation Services')}] " + _("Your day at %(provider)s, %(day)s") % {
            "provider": digest.provider.name,
            "day": day.isoformat(),
        }
        text = render_to_string("orders/email/digest.txt", context)
        html = render_to_string("orders/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, None, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def _send_once(digest: ProviderDigest, user: User, day: dt.date) -> bool:
    """Record and send in one transaction: a failed send records nothing, a second run sends nothing."""
    try:
        with transaction.atomic():
            DigestDelivery.objects.create(recipient=user, day=day)
            _digest_email(digest, user, day).send()
    except IntegrityError:
        return False
    return True


def provider_digests_send(*, now: dt.datetime | None = None) -> int:
    """Send the daily summary for the day that ends now to every provider member who wants it.

    Returns the number of e-mails sent. Safe to run twice on the same day.
    """
    until = now or timezone.now()
    since = until - dt.timedelta(days=1)
    day = timezone.localdate(until)
    opted_out = set(EmailOptOut.objects.filter(action=DIGEST_ACTION).values_list("user_id", flat=True))
    already = set(DigestDelivery.objects.filter(day=day).values_list("recipient_id", flat=True))
    sent = 0
    for provider in Provider.objects.select_related("organization").order_by("pk").iterator():
        members = [
            user
            for user in User.objects.filter(memberships__organization_id=provider.organization_id, is_active=True)
            if user.pk not in opted_out and user.pk not in already and user.email
        ]
        if not members:
            continue
        digest = provider_digest(provider, since=since, until=until)
        if digest.is_empty:
            continue
        for user in members:
            sent += _send_once(digest, user, day)
    return sent
