"""Index maintenance tasks: idempotent, take ids, safe to run twice or out of order (they read current state)."""

from celery import shared_task

from . import api
from .documents import service_ids_of_categories, service_ids_of_equipment, service_ids_of_providers


def _refresh(service_ids: list[int]) -> None:
    api.index_services(service_ids)
    api.warm_landing_search()


@shared_task(acks_late=True)
def sync_services(service_ids: list[int]) -> None:
    """Index the public services among these ids and remove the rest from the index."""
    _refresh(service_ids)


@shared_task(acks_late=True)
def sync_provider_services(provider_ids: list[int]) -> None:
    """Providers' names, regions, levels or verification changed: refresh all their services."""
    _refresh(service_ids_of_providers(provider_ids))


@shared_task(acks_late=True)
def sync_equipment_services(equipment_ids: list[int]) -> None:
    """Instruments became (un)bookable: refresh the services that use them."""
    _refresh(service_ids_of_equipment(equipment_ids))


@shared_task(acks_late=True)
def sync_category_services(category_ids: list[int]) -> None:
    """Categories moved under another parent: their services' top-level category changed."""
    _refresh(service_ids_of_categories(category_ids))


@shared_task(acks_late=True, soft_time_limit=3300, time_limit=3600)
def reconcile_index() -> dict[str, object]:
    """Nightly (Celery beat): compare the index with the catalog and repair what an indexing task missed (a lost
    message, a task past its time limit, a write that bypassed the signals). Returns the report, which the
    result backend and the log keep."""
    report = api.reconcile_index()
    if report.repaired:
        api.warm_landing_search()
    return {
        "checked": report.checked,
        "missing": report.missing,
        "stale": report.stale,
        "extra": report.extra,
        "sample": report.sample,
    }
