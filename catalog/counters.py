"""Maintained counts of public services per provider and per category, so list pages never count services.

The catalog's signal receivers (catalog/receivers.py) collect the affected providers during a transaction and
start one `refresh_public_counts` task after it commits. The task recounts from the rows, so running it twice,
late or out of order still leaves the right numbers.
"""

from collections.abc import Iterable

from django.db.models import Count

from marketplace.page_cache import bump_public_version

from .models import Provider, Service, ServiceCategory


def refresh_provider_counts(provider_ids: Iterable[int] | None = None) -> int:
    """Recount the published services of these providers (all providers when None); returns rows changed."""
    providers = Provider.objects.all() if provider_ids is None else Provider.objects.filter(pk__in=list(provider_ids))
    counts = dict(
        Service.objects.filter(status=Service.Status.PUBLISHED, provider__in=providers.values("pk"))
        .values_list("provider_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    changed = []
    for provider in providers.only("pk", "public_service_count"):
        count = counts.get(provider.pk, 0)
        if provider.public_service_count != count:
            provider.public_service_count = count
            changed.append(provider)
    Provider.objects.bulk_update(changed, ["public_service_count"], batch_size=500)
    return len(changed)


def refresh_category_counts() -> int:
    """Recount the public services of every category, a top-level one including its sub-categories.

    Categories are few (dozens), so one grouped count over the public services does them all.
    """
    counts = dict(Service.objects.public().values_list("category_id").annotate(n=Count("pk")).order_by())
    categories = list(ServiceCategory.objects.only("pk", "parent_id", "public_service_count"))
    totals = {c.pk: counts.get(c.pk, 0) for c in categories}
    for category in categories:
        if category.parent_id is not None and category.parent_id in totals:
            totals[category.parent_id] += counts.get(category.pk, 0)
    changed = [c for c in categories if c.public_service_count != totals[c.pk]]
    for category in changed:
        category.public_service_count = totals[category.pk]
    ServiceCategory.objects.bulk_update(changed, ["public_service_count"])
    return len(changed)


def refresh_public_counts(provider_ids: Iterable[int] | None = None) -> None:
    refresh_provider_counts(provider_ids)
    refresh_category_counts()
    bump_public_version()  # counters are written with update(): no signal tells the page cache
