import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from marketplace.organizations.models import Membership, Organization
from marketplace.organizations.permissions import can_administer, can_manage, ensure_can_manage
from marketplace.organizations.services import JoinRefused, organization_join, organization_rotate_invite_code
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, valid_uscc

pytestmark = pytest.mark.django_db


def test_members_can_manage_their_organization_only():
    owner = MembershipFactory(role=Membership.Role.OWNER)
    staff = MembershipFactory(organization=owner.organization, role=Membership.Role.STAFF)
    other_org = OrganizationFactory()

    assert can_manage(owner.user, owner.organization)
    assert can_manage(staff.user, owner.organization)
    assert not can_manage(owner.user, other_org)
    with pytest.raises(PermissionDenied):
        ensure_can_manage(owner.user, other_org)


def test_only_owners_administer():
    owner = MembershipFactory(role=Membership.Role.OWNER)
    staff = MembershipFactory(organization=owner.organization, role=Membership.Role.STAFF)
    assert can_administer(owner.user, owner.organization)
    assert not can_administer(staff.user, owner.organization)
    with pytest.raises(PermissionDenied):
        organization_rotate_invite_code(actor=staff.user, organization_id=owner.organization.pk)


def test_anonymous_user_manages_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not can_manage(AnonymousUser(), OrganizationFactory())


def test_join_with_invite_code_adds_staff_once():
    org = OrganizationFactory()
    user = UserFactory()
    membership = organization_join(actor=user, invite_code=org.invite_code)
    assert membership.role == Membership.Role.STAFF
    with pytest.raises(JoinRefused):
        organization_join(actor=user, invite_code=org.invite_code)
    with pytest.raises(JoinRefused):
        organization_join(actor=user, invite_code="no-such-code")
    assert Membership.objects.filter(user=user).count() == 1


def test_rotated_invite_code_stops_working():
    owner = MembershipFactory()
    old = owner.organization.invite_code
    organization_rotate_invite_code(actor=owner.user, organization_id=owner.organization.pk)
    with pytest.raises(JoinRefused):
        organization_join(actor=UserFactory(), invite_code=old)


def test_user_without_organization_is_sent_to_create_or_join(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("organizations:home"))
    assert response.status_code == 302
    assert response.url == reverse("organizations:start")
    page = client.get(reverse("organizations:start"))
    assert "join-invite_code" in page.content.decode()


def test_register_organization_with_bad_credit_code_shows_field_error_and_saves_nothing(client):
    user = UserFactory()
    client.force_login(user)
    data = {
        "create-kind": "enterprise",
        "create-name": "宁波测试有限公司",
        "create-uscc": "91330200MA00000421",
        "create-province": "浙江省",
        "create-city": "宁波市",
    }
    response = client.post(reverse("organizations:start"), data)
    assert response.status_code == 200
    assert response.context["create_form"].errors["uscc"]
    assert not Organization.objects.exists()

    data["create-uscc"] = valid_uscc(77).lower()
    response = client.post(reverse("organizations:start"), data)
    org = Organization.objects.get()
    assert org.uscc == valid_uscc(77)
    assert response.url == reverse("organizations:detail", kwargs={"pk": org.pk})
    assert Membership.objects.get(user=user).role == Membership.Role.OWNER


def test_platform_kind_cannot_be_self_registered(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("organizations:start"),
        {
            "create-kind": "platform",
            "create-name": "x",
            "create-uscc": valid_uscc(5),
            "create-province": "a",
            "create-city": "b",
        },
    )
    assert "kind" in response.context["create_form"].errors
    assert not Organization.objects.exists()


def test_other_tenants_organization_is_404(client):
    mine = MembershipFactory()
    theirs = OrganizationFactory()
    client.force_login(mine.user)
    assert client.get(reverse("organizations:detail", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("organizations:detail", kwargs={"pk": mine.organization.pk})).status_code == 200
