"""Every write to organizations and memberships."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.audit.services import log_action

from .models import Membership, Organization, new_invite_code
from .permissions import ensure_can_administer, is_platform_operator
from .uscc import normalize_uscc


class JoinRefused(Exception):
    pass


@transaction.atomic
def organization_create(*, actor: User, kind: str, name: str, uscc: str, province: str, city: str) -> Organization:
    """Create an organization (unverified) with the actor as its owner."""
    org = Organization(kind=kind, name=name.strip(), uscc=normalize_uscc(uscc), province=province, city=city)
    org.full_clean()
    org.save()
    Membership.objects.create(user=actor, organization=org, role=Membership.Role.OWNER)
    log_action(actor=actor, obj=org, action="organization.created", data={"kind": org.kind})
    return org


@transaction.atomic
def organization_join(*, actor: User, invite_code: str) -> Membership:
    """Join an organization as staff with the invite code its owner shared."""
    org = Organization.objects.filter(invite_code=invite_code.strip()).first()
    if org is None:
        raise JoinRefused(_("No organization has this invite code."))
    membership, created = Membership.objects.get_or_create(
        user=actor, organization=org, defaults={"role": Membership.Role.STAFF}
    )
    if not created:
        raise JoinRefused(_("You are already a member of %(name)s.") % {"name": org.name})
    log_action(actor=actor, obj=org, action="organization.member_joined", data={"role": membership.role})
    return membership


@transaction.atomic
def organization_verify(*, actor: User, organization_id: int) -> Organization:
    """Platform operators mark an organization as verified."""
    if not is_platform_operator(actor):
        raise PermissionDenied
    org = Organization.objects.select_for_update().get(pk=organization_id)
    if org.verified_at is None:
        org.verified_at = timezone.now()
        org.save(update_fields=["verified_at"])
        log_action(actor=actor, obj=org, action="organization.verified")
    return org


@transaction.atomic
def organization_rotate_invite_code(*, actor: User, organization_id: int) -> Organization:
    """Invalidate the old invite code (e.g. after it leaked) and issue a new one."""
    org = Organization.objects.select_for_update().get(pk=organization_id)
    ensure_can_administer(actor, org)
    org.invite_code = new_invite_code()
    org.save(update_fields=["invite_code"])
    # The code itself stays out of the log: whoever can read the history must not be able to join with it.
    log_action(actor=actor, obj=org, action="organization.invite_code_rotated")
    return org
