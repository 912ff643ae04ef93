"""Reads for the operator console and the applicant's pages (permission-scoped: others get a 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from catalog.models import Accreditation, Provider
from marketplace.organizations.models import Membership, Organization
from marketplace.organizations.permissions import is_platform_operator

from .models import ApplicationDocument, ProviderApplication

REMINDER_DAYS = 30


def applications_queue(*, status: str = "", level: str = "", province: str = "") -> QuerySet[ProviderApplication]:
    """Applications for the review queue, oldest (re)submission first; by default those waiting for review."""
    qs = ProviderApplication.objects.select_related("organization", "provider")
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=[ProviderApplication.Status.SUBMITTED, ProviderApplication.Status.RESUBMITTED])
    if level:
        qs = qs.filter(level=level)
    if province:
        qs = qs.filter(organization__province=province)
    return qs.annotate(document_count=Count("documents")).order_by("submitted_at", "pk")


def queue_counts() -> dict[str, int]:
    """Applications per status, in one grouped query."""
    rows = ProviderApplication.objects.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
    return dict(rows)


def application_for_operator(user: Any, pk: int) -> ProviderApplication | None:
    if not is_platform_operator(user):
        return None
    return ProviderApplication.objects.select_related("organization", "provider").filter(pk=pk).first()


def provider_organizations_of(user: Any) -> QuerySet[Organization]:
    """Provider-kind organizations the user belongs to: those that may apply."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    member_of = Membership.objects.filter(user=user).values("organization")
    return Organization.objects.filter(pk__in=member_of, kind=Organization.Kind.PROVIDER).order_by("name")


def applications_of(user: Any) -> QuerySet[ProviderApplication]:
    """Applications of the user's organizations, newest first."""
    return (
        ProviderApplication.objects.filter(organization__in=provider_organizations_of(user))
        .select_related("organization", "provider")
        .order_by("-created_at", "-pk")
    )


def document_for(user: Any, pk: int) -> ApplicationDocument | None:
    """A document for an operator or a member of the applicant organization; None (404) for anyone else."""
    document = ApplicationDocument.objects.select_related("application").filter(pk=pk).first()
    if document is None:
        return None
    if is_platform_operator(user):
        return document
    if provider_organizations_of(user).filter(pk=document.application.organization_id).exists():
        return document
    return None


def providers_for_console(*, status: str = "", q: str = "") -> QuerySet[Provider]:
    qs = Provider.objects.select_related("organization")
    if status:
        qs = qs.filter(verification=status)
    if q:
        qs = qs.filter(Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    today = timezone.localdate()
    return qs.annotate(
        expired_accreditations=Count("accreditations", filter=Q(accreditations__valid_until__lt=today)),
        expiring_accreditations=Count(
            "accreditations",
            filter=Q(
                accreditations__valid_until__gte=today,
                accreditations__valid_until__lte=today + dt.timedelta(days=REMINDER_DAYS),
            ),
        ),
    ).order_by("name_zh", "pk")


def accreditations_needing_attention() -> QuerySet[Accreditation]:
    """Expired or expiring within the reminder window, soonest first."""
    horizon = timezone.localdate() + dt.timedelta(days=REMINDER_DAYS)
    return Accreditation.objects.filter(valid_until__lte=horizon).select_related("provider").order_by("valid_until")
