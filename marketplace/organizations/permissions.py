"""The one place that answers "may this user act for this organization?"."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import Membership, Organization


def _memberships(user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user)


def is_member(user: Any, org: Organization) -> bool:
    """Owners and staff of the organization."""
    return _memberships(user).filter(organization=org).exists()


def can_manage(user: Any, org: Organization) -> bool:
    """Members (owner or staff) may manage the organization's catalog, quotes and orders."""
    return is_member(user, org)


def can_administer(user: Any, org: Organization) -> bool:
    """Only owners may change the profile and the member list."""
    return _memberships(user).filter(organization=org, role=Membership.Role.OWNER).exists()


def ensure_can_manage(user: Any, org: Organization) -> None:
    if not can_manage(user, org):
        raise PermissionDenied


def ensure_can_administer(user: Any, org: Organization) -> None:
    if not can_administer(user, org):
        raise PermissionDenied


OPERATORS_GROUP = "Platform operators"


def is_platform_operator(user: Any) -> bool:
    """The one operator check: superusers, members of a platform organization, and the "Platform operators"
    group. Being Django staff alone (an editor with admin access) grants nothing here."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_platform_operator", None)  # the header and the selectors ask in one request
    if cached is None:
        cached = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .filter(Q(memberships__organization__kind=Organization.Kind.PLATFORM) | Q(groups__name=OPERATORS_GROUP))
            .exists()
        )
        user._is_platform_operator = cached
    return bool(cached)
