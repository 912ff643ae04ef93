from django.db.models import QuerySet

from marketplace.accounts.models import User

from .models import Membership, Organization


def organizations_for(user: User) -> QuerySet[Organization]:
    """Organizations the user belongs to, in name order."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def memberships_of(organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("role", "user__email")
