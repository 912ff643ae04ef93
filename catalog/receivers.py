"""Keep the public-service counts fresh: every write that can change them schedules one recount per transaction."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from marketplace.after_commit import collect

from .models import Provider, Service, ServiceCategory
from .signals import services_bulk_changed

_KEY = "catalog.public_counts"


def _recount(provider_ids: list[int]) -> None:
    from .tasks import refresh_public_counts

    refresh_public_counts.delay(provider_ids)


def service_written(sender: Any, instance: Service, **kwargs: Any) -> None:
    collect(_KEY, [instance.provider_id], _recount)


def provider_written(sender: Any, instance: Provider, **kwargs: Any) -> None:
    """A provider's verification decides whether its services count in the categories."""
    collect(_KEY, [instance.pk], _recount)


def category_written(sender: Any, instance: ServiceCategory, **kwargs: Any) -> None:
    """A sub-category moved under another parent: the parents' totals change (no provider's count does)."""
    collect(_KEY, [0], _recount)


def services_bulk_written(sender: Any, service_ids: list[int], **kwargs: Any) -> None:
    provider_ids = Service.objects.filter(pk__in=service_ids).values_list("provider_id", flat=True).distinct()
    collect(_KEY, list(provider_ids), _recount)


def connect() -> None:
    post_save.connect(service_written, sender=Service, dispatch_uid="catalog.counts.service_saved")
    post_delete.connect(service_written, sender=Service, dispatch_uid="catalog.counts.service_deleted")
    post_save.connect(provider_written, sender=Provider, dispatch_uid="catalog.counts.provider_saved")
    post_save.connect(category_written, sender=ServiceCategory, dispatch_uid="catalog.counts.category_saved")
    services_bulk_changed.connect(services_bulk_written, dispatch_uid="catalog.counts.bulk")
