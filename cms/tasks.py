"""Periodic CMS jobs, scheduled by Celery beat in production."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled_pages() -> None:
    """Publish revisions whose go-live time has passed and unpublish expired ones. Idempotent."""
    call_command("publish_scheduled")
