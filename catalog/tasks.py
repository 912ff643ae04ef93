"""Celery tasks of the catalog. They take ids and are safe to run twice."""

from celery import shared_task


@shared_task
def validate_service_import(import_id: int) -> None:
    from .services import service_import_run_dry_run

    service_import_run_dry_run(import_id=import_id)


@shared_task
def commit_service_import(import_id: int) -> None:
    from .services import service_import_run_commit

    service_import_run_commit(import_id=import_id)
