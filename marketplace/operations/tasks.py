"""Scheduled work of the operator side."""

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def remind_expiring_accreditations() -> int:
    """E-mail providers whose accreditation expires within 30 days (daily, by Celery beat)."""
    from .services import accreditations_remind_expiring

    return accreditations_remind_expiring()
