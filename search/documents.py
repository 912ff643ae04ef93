"""Reading public services out of the catalog into `ServiceData`, the only place search touches catalog models."""

from collections.abc import Iterable, Iterator

from django.db.models import Count, Exists, OuterRef

from catalog.models import Equipment, IndustryField, Service, ServiceCategory

from .backends.base import ServiceData

BATCH_SIZE = 2000


def _public_services():  # type: ignore[no-untyped-def]
    bookable = Equipment.objects.filter(services=OuterRef("pk"), bookable=True)
    return (
        Service.objects.public()
        .select_related("provider", "category")
        .annotate(has_bookable=Exists(bookable))
        .order_by("pk")
    )


def _to_data(service: Service) -> ServiceData:
    provider = service.provider
    return ServiceData(
        service_id=service.pk,
        service_slug=service.slug,
        title_zh=service.title_zh,
        title_en=service.title_en,
        summary_zh=service.summary_zh,
        summary_en=service.summary_en,
        description_zh=service.description_zh,
        description_en=service.description_en,
        standards=[str(code) for code in service.standards or []],
        provider_id=provider.pk,
        provider_slug=provider.slug,
        provider_name_zh=provider.name_zh,
        provider_name_en=provider.name_en,
        provider_level=provider.level,
        province=provider.province,
        city=provider.city,
        category_id=service.category_id,
        category_root_id=service.category.parent_id or service.category_id,
        field_id=service.field_id,
        pricing_mode=service.pricing_mode,
        price=service.price_or_none(),
        price_unit=service.price_unit,
        turnaround_days=service.turnaround_days,
        has_bookable_equipment=bool(service.has_bookable),  # type: ignore[attr-defined]
        published_at=service.published_at or service.created_at,
    )


def public_service_data(service_ids: Iterable[int]) -> list[ServiceData]:
    """The public services among these ids (the others are not public: unpublished, unverified or gone)."""
    return [_to_data(s) for s in _public_services().filter(pk__in=list(service_ids))]


def all_public_service_data() -> Iterator[ServiceData]:
    """Every public service, streamed in primary-key batches."""
    last = 0
    while True:
        batch = list(_public_services().filter(pk__gt=last)[:BATCH_SIZE])
        if not batch:
            return
        yield from (_to_data(s) for s in batch)
        last = batch[-1].pk


def public_names() -> Iterator[tuple[str, str, int]]:
    """Chinese and English titles of public services with how many services carry each, then category and field
    names (counted once)."""
    titles = Service.objects.public().order_by().values_list("title_zh", "title_en").annotate(n=Count("pk"))
    yield from titles.iterator(5000)
    yield from ((zh, en, 1) for zh, en in ServiceCategory.objects.values_list("name_zh", "name_en"))
    yield from ((zh, en, 1) for zh, en in IndustryField.objects.values_list("name_zh", "name_en"))


def count_public_services() -> int:
    return Service.objects.public().count()


def service_ids_of_providers(provider_ids: list[int]) -> list[int]:
    return list(Service.objects.filter(provider__in=provider_ids).values_list("pk", flat=True))


def service_ids_of_equipment(equipment_ids: list[int]) -> list[int]:
    return list(Service.objects.filter(equipment__in=equipment_ids).values_list("pk", flat=True).distinct())


def service_ids_of_categories(category_ids: list[int]) -> list[int]:
    return list(Service.objects.filter(category__in=category_ids).values_list("pk", flat=True))
