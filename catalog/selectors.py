"""Every non-trivial read of the catalog. Public reads only see published services of verified providers;
dashboard reads only see what the user's organizations own, so anything else is a 404."""

from collections.abc import Sequence
from typing import Any, overload

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet

from marketplace.organizations.models import Membership

from .importing import import_progress_key
from .models import Equipment, IndustryField, Provider, Service, ServiceCategory, ServiceImport


def providers_public() -> QuerySet[Provider]:
    """Verified providers; `public_service_count` is a maintained column (catalog.counters)."""
    return (
        Provider.objects.filter(verification=Provider.Verification.VERIFIED)
        .prefetch_related("fields")
        .order_by("name_zh", "pk")
    )


def providers_filtered(*, level: str = "", field: str = "", province: str = "", city: str = "") -> QuerySet[Provider]:
    """Public providers narrowed by the directory filters; empty values do not filter."""
    qs = providers_public()
    if level:
        qs = qs.filter(level=level)
    if field:
        qs = qs.filter(fields__slug=field)
    if province:
        qs = qs.filter(province=province)
    if city:
        qs = qs.filter(city=city)
    return qs.distinct()


def provider_regions() -> dict[str, list[str]]:
    """Provinces of public providers, each with its cities, for the directory filter."""
    regions: dict[str, list[str]] = {}
    rows = (
        Provider.objects.filter(verification=Provider.Verification.VERIFIED)
        .values_list("province", "city")
        .distinct()
        .order_by("province", "city")
    )
    for province, city in rows:
        regions.setdefault(province, []).append(city)
    return regions


def industry_fields_in_use() -> QuerySet[IndustryField]:
    """Industry fields that at least one verified provider works in."""
    return IndustryField.objects.filter(providers__verification=Provider.Verification.VERIFIED).distinct()


def services_public() -> QuerySet[Service]:
    """Published services of verified providers, with what list pages display."""
    return (
        Service.objects.public()
        .select_related("provider", "category", "category__parent", "field")
        .order_by("-published_at", "pk")
    )


class NewestInCategories(Sequence[Service]):
    """The public services of several categories (a category and its sub-categories), newest first, as a list a
    paginator slices.

    Each category's own index (`service_category_newest`) yields its newest services in order; a page is taken
    from the union of those, and only its services are read. One `category IN (...)` query made PostgreSQL read
    and sort every service of the categories (0.5 s for a top-level category of 1,000,000 services). SQLite
    cannot limit the parts of a UNION; it keeps that query (the embedded demo's catalogs are small)."""

    def __init__(self, category_ids: list[int], count: int):
        self.category_ids = category_ids
        self.total = count  # the categories' maintained public_service_count

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> Service: ...

    @overload
    def __getitem__(self, index: slice) -> list[Service]: ...

    def __getitem__(self, index: int | slice) -> Service | list[Service]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        return self._window(index)

    def _window(self, window: slice) -> list[Service]:
        services = services_public().filter(category__in=self.category_ids)
        if (
            len(self.category_ids) < 2
            or window.stop is None
            or not connection.features.supports_slicing_ordering_in_compound
        ):
            return list(services[window])
        first, *rest = (
            services_public().filter(category=pk).values_list("pk", "published_at")[: window.stop]
            for pk in self.category_ids
        )
        newest = first.union(*rest, all=True).order_by("-published_at", "pk")[window]
        ids = [pk for pk, _published in newest]
        found = services.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def categories_top_level() -> QuerySet[ServiceCategory]:
    """Top-level categories with their sub-categories; `public_service_count` (maintained by catalog.counters)
    includes the sub-categories' services."""
    return ServiceCategory.objects.filter(parent__isnull=True).prefetch_related("children").order_by("position", "slug")


# --- provider dashboard -----------------------------------------------------------------------------


def _managed_org_ids(user: Any) -> QuerySet[Membership, Any]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none().values("organization")  # the same shape: `__in` needs one column
    return Membership.objects.filter(user=user).values("organization")


def providers_managed_by(user: Any) -> QuerySet[Provider]:
    """Providers whose organization the user belongs to (owner or staff)."""
    return Provider.objects.filter(organization__in=_managed_org_ids(user)).select_related("organization")


def services_managed_by(user: Any) -> QuerySet[Service]:
    """Every service, in any status, of the providers the user belongs to."""
    return (
        Service.objects.filter(provider__organization__in=_managed_org_ids(user))
        .select_related("provider", "provider__organization", "category", "field")
        .order_by("-updated_at")
    )


def equipment_managed_by(user: Any) -> QuerySet[Equipment]:
    """Equipment of the providers the user belongs to."""
    return Equipment.objects.filter(provider__organization__in=_managed_org_ids(user)).select_related("provider")


def service_imports_managed_by(user: Any) -> QuerySet[ServiceImport]:
    """Import jobs of the providers the user belongs to, newest first."""
    return ServiceImport.objects.filter(provider__organization__in=_managed_org_ids(user)).select_related("provider")


def service_import_progress(service_import: ServiceImport) -> dict[str, Any]:
    """Where a running import stands: phase, rows done, total and percent (from the cache the task writes)."""
    data = cache.get(import_progress_key(service_import.pk)) or {}
    total = int(data.get("total") or service_import.total_rows or 0)
    done = int(data.get("done") or 0)
    if not service_import.is_running:
        done = total
    percent = int(done * 100 / total) if total else (0 if service_import.is_running else 100)
    return {"phase": data.get("phase", service_import.status), "done": done, "total": total, "percent": percent}
