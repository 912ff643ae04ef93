"""Keep the index fresh: catalog writes collect what they touched and, once their transaction commits, start
one indexing task per kind of change with every id (marketplace.after_commit), not one task per row.

Nothing is indexed inside the request, and a rolled-back transaction schedules nothing.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from catalog.models import Equipment, IndustryField, Provider, Service, ServiceCategory
from catalog.signals import services_bulk_changed
from marketplace.after_commit import collect

from . import synonyms
from .backends.result_cache import bump_index_version
from .models import SynonymGroup
from .tasks import sync_category_services, sync_equipment_services, sync_provider_services, sync_services


def _services(service_ids: list[int]) -> None:
    collect("search.services", service_ids, lambda ids: sync_services.delay(ids))


def service_changed(sender: Any, instance: Service, **kwargs: Any) -> None:
    _services([instance.pk])


def service_deleted(sender: Any, instance: Service, **kwargs: Any) -> None:
    """The service's index row went with it (cascade), before any task runs: cached counts are stale now."""
    bump_index_version()
    _services([instance.pk])


def service_equipment_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Equipment added to or removed from services, from either side of the relation."""
    if not reverse:  # service.equipment.add(...): instance is the Service
        if action.startswith("post_"):
            _services([instance.pk])
    elif action in ("post_add", "post_remove"):  # equipment.services.add(...)
        _services(sorted(pk_set or ()))
    elif action == "pre_clear":  # afterwards nobody knows which services the instrument had
        _services(list(instance.services.values_list("pk", flat=True)))


def equipment_deleted(sender: Any, instance: Equipment, **kwargs: Any) -> None:
    """Before the instrument and its links go (no m2m signal for a cascade): its services may stop being bookable."""
    _services(list(instance.services.values_list("pk", flat=True)))


def field_deleted(sender: Any, instance: IndustryField, **kwargs: Any) -> None:
    """Its services' field is set to NULL by SQL (no save, no signal): the index must drop the field too."""
    _services(list(Service.objects.filter(field=instance).values_list("pk", flat=True)))


def provider_changed(sender: Any, instance: Provider, **kwargs: Any) -> None:
    collect("search.providers", [instance.pk], lambda ids: sync_provider_services.delay(ids))


def equipment_changed(sender: Any, instance: Equipment, **kwargs: Any) -> None:
    collect("search.equipment", [instance.pk], lambda ids: sync_equipment_services.delay(ids))


def category_changed(sender: Any, instance: ServiceCategory, **kwargs: Any) -> None:
    collect("search.categories", [instance.pk], lambda ids: sync_category_services.delay(ids))


def services_bulk_changed_handler(sender: Any, service_ids: list[int], **kwargs: Any) -> None:
    _services(list(service_ids))


def synonyms_changed(sender: Any, **kwargs: Any) -> None:
    """Searches read the synonym list from the cache: drop it once the edit is committed."""
    transaction.on_commit(synonyms.forget)


def connect() -> None:
    post_save.connect(synonyms_changed, sender=SynonymGroup, dispatch_uid="search.synonyms_saved")
    post_delete.connect(synonyms_changed, sender=SynonymGroup, dispatch_uid="search.synonyms_deleted")
    post_save.connect(service_changed, sender=Service, dispatch_uid="search.service_saved")
    post_delete.connect(service_deleted, sender=Service, dispatch_uid="search.service_deleted")
    post_save.connect(provider_changed, sender=Provider, dispatch_uid="search.provider_saved")
    post_save.connect(equipment_changed, sender=Equipment, dispatch_uid="search.equipment_saved")
    pre_delete.connect(equipment_deleted, sender=Equipment, dispatch_uid="search.equipment_deleted")
    pre_delete.connect(field_deleted, sender=IndustryField, dispatch_uid="search.field_deleted")
    post_save.connect(category_changed, sender=ServiceCategory, dispatch_uid="search.category_saved")
    m2m_changed.connect(service_equipment_changed, sender=Service.equipment.through, dispatch_uid="search.equipment")
    services_bulk_changed.connect(services_bulk_changed_handler, dispatch_uid="search.bulk")
