"""Index maintenance tasks: idempotent, take ids, safe to run twice or out of order (they read current state)."""

from celery import shared_task

from . import api
from .documents import service_ids_of_category, service_ids_of_equipment, service_ids_of_provider


def _refresh(service_ids: list[int]) -> None:
    api.index_services(service_ids)
    api.warm_landing_search()


@shared_task(acks_late=True)
def sync_services(service_ids: list[int]) -> None:
    """Index the public services among these ids and remove the rest from the index."""
    _refresh(service_ids)


@shared_task(acks_late=True)
def sync_provider_services(provider_id: int) -> None:
    """A provider's name, region, level or verification changed: refresh all its services."""
    _refresh(service_ids_of_provider(provider_id))


@shared_task(acks_late=True)
def sync_equipment_services(equipment_id: int) -> None:
    """An instrument became (un)bookable: refresh the services that use it."""
    _refresh(service_ids_of_equipment(equipment_id))


@shared_task(acks_late=True)
def sync_category_services(category_id: int) -> None:
    """A category moved under another parent: its services' top-level category changed."""
    _refresh(service_ids_of_category(category_id))


@shared_task(acks_late=True, soft_time_limit=3300, time_limit=3600)
def reconcile_index() -> None:
    """Rebuild the index from every public service (nightly, by Celery beat), as `manage.py search_rebuild`
    does: whatever an indexing task missed (a lost message, a task past its time limit) is repaired."""
    api.rebuild_index()
    api.warm_landing_search()
