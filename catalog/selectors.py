"""Every non-trivial read of the catalog. Public reads only see published services of verified providers."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Provider, Service, ServiceCategory


def providers_public() -> QuerySet[Provider]:
    """Verified providers with the number of their public services."""
    return (
        Provider.objects.filter(verification=Provider.Verification.VERIFIED)
        .annotate(public_service_count=Count("services", filter=Q(services__status=Service.Status.PUBLISHED)))
        .prefetch_related("fields")
        .order_by("name_zh")
    )


def services_public() -> QuerySet[Service]:
    """Published services of verified providers, with what list pages display."""
    return (
        Service.objects.public()
        .select_related("provider", "category", "field")
        .prefetch_related(Prefetch("equipment"))
        .order_by("-published_at", "pk")
    )


def categories_top_level() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(parent__isnull=True).prefetch_related("children").order_by("position")
