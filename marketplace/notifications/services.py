"""Writes of notifications: create them for an event, deliver e-mails once, mark read, set preferences."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.audit.models import AuditEntry

from .models import EmailOptOut, Notification, NotificationDelivery


def notify(*, entry: AuditEntry, user: Any, title: str, url: str) -> Notification:
    """The in-app notification of one event for one user (created once, whatever the retries)."""
    notification, _created = Notification.objects.get_or_create(
        user=user, entry=entry, defaults={"title": title[:300], "url": url[:300]}
    )
    return notification


def deliver_email_once(*, entry: AuditEntry, user: Any, send: Callable[[], int]) -> bool:
    """Send one e-mail for the event unless it was sent already or the user opted out of this kind.

    The delivery row and the sending share one transaction: if sending fails nothing is recorded and a
    retry sends it; if a second task runs for the same event, the unique key stops it.
    """
    if EmailOptOut.objects.filter(user=user, action=entry.action).exists():
        return False
    try:
        with transaction.atomic():
            NotificationDelivery.objects.create(entry=entry, recipient=user)
            send()
    except IntegrityError:
        return False
    return True


def notifications_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the given notifications (or all) of the user as read; returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def email_preferences_set(
    *, user: Any, language: str, disabled_actions: Iterable[str], known_actions: Iterable[str]
) -> None:
    """The language of the user's e-mails, and e-mails for every known kind except the disabled ones."""
    user.language = language
    user.save(update_fields=["language"])
    known = set(known_actions)
    disabled = set(disabled_actions) & known
    EmailOptOut.objects.filter(user=user, action__in=known - disabled).delete()
    for action in disabled:
        EmailOptOut.objects.get_or_create(user=user, action=action)
