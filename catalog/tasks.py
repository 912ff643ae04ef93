"""Celery tasks of the catalog. They take ids and are safe to run twice.

Imports run on their own queue ("imports", settings.CELERY_TASK_ROUTES) with their own limits: at the soft
limit the import ends as failed with a message; at the hard limit the worker process is replaced.
"""

from celery import shared_task


@shared_task(soft_time_limit=300, time_limit=330)
def validate_service_import(import_id: int) -> None:
    from .services import service_import_run_dry_run

    service_import_run_dry_run(import_id=import_id)


@shared_task(soft_time_limit=300, time_limit=330)
def commit_service_import(import_id: int) -> None:
    from .services import service_import_run_commit

    service_import_run_commit(import_id=import_id)


@shared_task(acks_late=True)
def refresh_public_counts(provider_ids: list[int] | None = None) -> None:
    """Recount these providers' published services (every provider's when None, the nightly repair) and every
    category's public services (catalog.counters)."""
    from .counters import refresh_public_counts as refresh

    refresh(None if provider_ids is None else [pk for pk in provider_ids if pk])
