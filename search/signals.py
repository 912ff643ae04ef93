"""Keep the index fresh: catalog writes schedule an indexing task once their transaction commits.

Nothing is indexed inside the request, and a rolled-back transaction schedules nothing.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from catalog.models import Equipment, Provider, Service, ServiceCategory
from catalog.signals import services_bulk_changed

from .facet_cache import bump_index_version
from .tasks import sync_category_services, sync_equipment_services, sync_provider_services, sync_services


def _schedule_services(service_ids: list[int]) -> None:
    if service_ids:
        transaction.on_commit(lambda: sync_services.delay(service_ids))


def service_changed(sender: Any, instance: Service, **kwargs: Any) -> None:
    _schedule_services([instance.pk])


def service_deleted(sender: Any, instance: Service, **kwargs: Any) -> None:
    """The service's index row went with it (cascade), before any task runs: cached counts are stale now."""
    bump_index_version()
    _schedule_services([instance.pk])


def service_equipment_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Equipment added to or removed from services, from either side of the relation."""
    if not reverse:  # service.equipment.add(...): instance is the Service
        if action.startswith("post_"):
            _schedule_services([instance.pk])
    elif action in ("post_add", "post_remove"):  # equipment.services.add(...)
        _schedule_services(sorted(pk_set or ()))
    elif action == "pre_clear":  # afterwards nobody knows which services the instrument had
        _schedule_services(list(instance.services.values_list("pk", flat=True)))


def provider_changed(sender: Any, instance: Provider, **kwargs: Any) -> None:
    provider_id = instance.pk
    transaction.on_commit(lambda: sync_provider_services.delay(provider_id))


def equipment_changed(sender: Any, instance: Equipment, **kwargs: Any) -> None:
    equipment_id = instance.pk
    transaction.on_commit(lambda: sync_equipment_services.delay(equipment_id))


def category_changed(sender: Any, instance: ServiceCategory, **kwargs: Any) -> None:
    category_id = instance.pk
    transaction.on_commit(lambda: sync_category_services.delay(category_id))


def services_bulk_changed_handler(sender: Any, service_ids: list[int], **kwargs: Any) -> None:
    _schedule_services(list(service_ids))


def connect() -> None:
    post_save.connect(service_changed, sender=Service, dispatch_uid="search.service_saved")
    post_delete.connect(service_deleted, sender=Service, dispatch_uid="search.service_deleted")
    post_save.connect(provider_changed, sender=Provider, dispatch_uid="search.provider_saved")
    post_save.connect(equipment_changed, sender=Equipment, dispatch_uid="search.equipment_saved")
    post_save.connect(category_changed, sender=ServiceCategory, dispatch_uid="search.category_saved")
    m2m_changed.connect(service_equipment_changed, sender=Service.equipment.through, dispatch_uid="search.equipment")
    services_bulk_changed.connect(services_bulk_changed_handler, dispatch_uid="search.bulk")
