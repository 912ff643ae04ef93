"""The one place that answers "may this user act for this organization?"."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

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
    if _memberships(user).filter(organization__kind=Organization.Kind.PLATFORM).exists():
        return True
    return user.groups.filter(name=OPERATORS_GROUP).exists()
