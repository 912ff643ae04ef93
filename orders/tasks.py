"""Background work of the order side. Tasks take ids, not objects, and may run twice without harm."""

from celery import shared_task

from marketplace.broker import delay_or_log
from marketplace.notifications.services import outbox_is_dispatched, outbox_mark_dispatched, outbox_relay
from marketplace.notifications.tasks import MAIL_MAX_RETRIES, MAIL_RETRY_BACKOFF_MAX, TRANSIENT_MAIL_ERRORS

from . import notifications


@shared_task(
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=True,
    retry_backoff_max=MAIL_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=MAIL_MAX_RETRIES,
)
def notify_event(entry_id: int) -> int:
    """Tell the other side of the deal about one audited event; returns the number of e-mails sent.

    Retried with backoff while the mail server is away; e-mails that went out before a failure are not
    sent again (NotificationDelivery). A duplicate (the nudge and the relay both queued it) does nothing.
    """
    if outbox_is_dispatched(entry_id):
        return 0
    sent = notifications.deliver_event(entry_id)
    outbox_mark_dispatched(entry_id=entry_id)
    return sent


@shared_task(acks_late=True, soft_time_limit=50, time_limit=55)
def relay_outbox() -> int:
    """Queue the events whose on-commit nudge did not reach the broker (every minute, by Celery beat)."""
    return outbox_relay(enqueue=lambda entry_id: delay_or_log(notify_event, entry_id))


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def expire_quotes() -> int:
    """Close quotes whose validity date has passed (daily, by Celery beat)."""
    from .services import quotes_expire_due  # services schedule this module's tasks: import at call time

    return quotes_expire_due()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def remind_expiring_quotes() -> int:
    """Tell buyers about open quotes that expire tomorrow (daily, by Celery beat)."""
    from .services import quotes_remind_expiring

    return quotes_remind_expiring()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def reconcile_payments() -> int:
    """Ask Stripe about card payments stuck in processing (every 10 minutes, by Celery beat)."""
    from .payments.services import payments_reconcile

    return payments_reconcile()


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def expire_booking_holds() -> int:
    """Release unpaid booking holds past their expiry (every minute, by Celery beat)."""
    from .booking import booking_holds_expire

    return booking_holds_expire()


@shared_task(acks_late=True, soft_time_limit=900, time_limit=960)
def send_provider_digests() -> int:
    """The providers' morning summary (daily, by Celery beat); a second run on the same day sends nothing."""
    from .digest import provider_digests_send

    return provider_digests_send()
