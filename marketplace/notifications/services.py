"""Writes of notifications: create them for an event, deliver e-mails once, mark read, set preferences."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from marketplace.audit.models import AuditEntry

from .models import EmailOptOut, Notification, NotificationDelivery, Outbox

# The relay leaves fresh events to the on-commit nudge, queues an event again only if the last time it did
# was long ago (a backlog, or a lost message), and gives up on events that failed for a day (see the admin).
OUTBOX_RELAY_AFTER = timedelta(seconds=30)
OUTBOX_RELAY_AGAIN_AFTER = timedelta(minutes=10)
OUTBOX_GIVE_UP_AFTER = timedelta(days=1)
OUTBOX_RELAY_BATCH = 500


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


def outbox_add(*, entry: AuditEntry) -> Outbox:
    """Record that the event is to be handed to the task queue. Must run in the transaction that wrote
    the entry, so that the event and its outbox row are committed together or not at all."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox_add must run inside the transaction of the event it records")
    return Outbox.objects.create(entry=entry)


def outbox_is_dispatched(entry_id: int) -> bool:
    return Outbox.objects.filter(entry_id=entry_id, dispatched_at__isnull=False).exists()


def outbox_mark_dispatched(*, entry_id: int) -> None:
    """The task of this event has run to the end; the relay no longer looks at it."""
    Outbox.objects.filter(entry_id=entry_id, dispatched_at__isnull=True).update(dispatched_at=timezone.now())


def outbox_relay(*, enqueue: Callable[[int], bool], batch: int = OUTBOX_RELAY_BATCH) -> int:
    """Queue the pending events the on-commit nudge did not get through (the broker was down, the process
    died before its commit hook ran, the message was lost). `enqueue(entry_id)` returns False when the
    broker is unreachable; the relay then stops and the next run tries again. Returns how many it queued.
    """
    now = timezone.now()
    with transaction.atomic():
        # SKIP LOCKED: two relays running at once (a slow run overlapping the next) share the work.
        due = list(
            Outbox.objects.select_for_update(skip_locked=True)
            .filter(
                Q(relayed_at__isnull=True) | Q(relayed_at__lt=now - OUTBOX_RELAY_AGAIN_AFTER),
                dispatched_at__isnull=True,
                created_at__lt=now - OUTBOX_RELAY_AFTER,
                created_at__gte=now - OUTBOX_GIVE_UP_AFTER,
            )
            .order_by("created_at")
            .values_list("entry_id", flat=True)[:batch]
        )
        queued: list[int] = []
        for entry_id in due:
            if not enqueue(entry_id):
                break
            queued.append(entry_id)
        Outbox.objects.filter(entry_id__in=queued).update(relayed_at=now)
    return len(queued)
