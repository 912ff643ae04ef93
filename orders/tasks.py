"""Background work of the order side. Tasks take ids, not objects, and may run twice without harm."""

from celery import shared_task

from . import notifications


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def notify_event(entry_id: int) -> int:
    """Tell the other side of the deal about one audited event; returns the number of e-mails sent."""
    return notifications.deliver_event(entry_id)


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def expire_quotes() -> int:
    """Close quotes whose validity date has passed (daily, by Celery beat)."""
    from .services import quotes_expire_due  # services schedule this module's tasks: import at call time

    return quotes_expire_due()


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
