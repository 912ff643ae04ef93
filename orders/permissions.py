"""Which side of a deal a user stands on: buyer, provider, platform operator, or the system itself."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from marketplace.organizations.models import Membership
from marketplace.organizations.permissions import is_platform_operator

if TYPE_CHECKING:
    from .models import Order


class Role(StrEnum):
    """Which side of an order the actor is on. SYSTEM is a task or webhook acting without a user."""

    BUYER = "buyer"
    PROVIDER = "provider"
    OPERATOR = "operator"
    SYSTEM = "system"


def member_org_ids(user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def is_order_operator(user: Any) -> bool:
    """Platform operators oversee every order (see `is_platform_operator`: staff status alone is not enough)."""
    return is_platform_operator(user)


def roles_of(user: Any, *, buyer_id: int, provider_org_id: int) -> frozenset[Role]:
    """The sides of a deal the user stands on (usually one; none for outsiders)."""
    if user is None:
        return frozenset({Role.SYSTEM})
    orgs = member_org_ids(user)
    roles: set[Role] = set()
    if buyer_id in orgs:
        roles.add(Role.BUYER)
    if provider_org_id in orgs:
        roles.add(Role.PROVIDER)
    if is_order_operator(user):
        roles.add(Role.OPERATOR)
    return frozenset(roles)


def order_roles(user: Any, order: Order) -> frozenset[Role]:
    return roles_of(user, buyer_id=order.buyer_id, provider_org_id=order.provider.organization_id)
