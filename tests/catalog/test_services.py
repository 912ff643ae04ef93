import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalog.models import Provider, Service
from catalog.services import (
    TransitionNotAllowed,
    equipment_create,
    equipment_update,
    provider_update_profile,
    provider_verify,
    service_archive,
    service_create,
    service_publish,
    service_update,
)
from marketplace.organizations.models import Membership
from tests.factories import (
    EquipmentFactory,
    MembershipFactory,
    ProviderFactory,
    ServiceFactory,
    UserFactory,
    platform_operator,
)

pytestmark = pytest.mark.django_db


def _draft(member, provider, category, **overrides):
    data = {
        "actor": member,
        "provider": provider,
        "category": category,
        "title_zh": "金属材料室温拉伸试验",
        "title_en": "Room-temperature tensile test",
        "summary_zh": "依据 GB/T 228.1 开展拉伸试验。",
        "pricing_mode": "per_unit",
        "price": Decimal("300"),
        "price_unit": "试样",
        "turnaround_days": 3,
        "standards": "GB/T 228.1-2021; ISO 6892-1\nGB/T 228.1-2021",
    }
    data.update(overrides)
    return service_create(**data)


def test_created_service_is_a_draft_with_slug_and_clean_standards(member, provider, category):
    service = _draft(member, provider, category)
    assert service.status == Service.Status.DRAFT
    assert service.slug == "room-temperature-tensile-test"
    assert service.standards == ["GB/T 228.1-2021", "ISO 6892-1"]
    assert service.published_at is None
    second = _draft(member, provider, category)
    assert second.slug == "room-temperature-tensile-test-2"


def test_create_with_bad_input_raises_field_errors_and_saves_nothing(member, provider, category):
    with pytest.raises(ValidationError) as exc:
        _draft(member, provider, category, turnaround_days=0, title_zh="")
    assert {"turnaround_days", "title_zh"} <= set(exc.value.message_dict)
    assert not Service.objects.exists()


def test_non_member_cannot_create(provider, category):
    with pytest.raises(PermissionDenied):
        _draft(UserFactory(), provider, category)
    assert not Service.objects.exists()


def test_publish_sets_published_at(member, provider, category):
    service = service_publish(actor=member, service=_draft(member, provider, category))
    service.refresh_from_db()
    assert service.status == Service.Status.PUBLISHED
    assert service.published_at is not None
    assert Service.objects.public().filter(pk=service.pk).exists()


def test_publish_refused_for_unverified_provider(category):
    provider = ProviderFactory(verification=Provider.Verification.PENDING, verified_at=None)
    member = MembershipFactory(organization=provider.organization).user
    service = _draft(member, provider, category)
    with pytest.raises(TransitionNotAllowed, match=re.escape(str(provider.name_zh))):
        service_publish(actor=member, service=service)
    service.refresh_from_db()
    assert service.status == Service.Status.DRAFT


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title_en": ""}, "title_en"),
        ({"summary_zh": ""}, "summary_zh"),
        ({"price": Decimal("0")}, "price"),
        ({"price_unit": ""}, "price_unit"),
        ({"pricing_mode": "quote_only", "price": Decimal("100")}, "price"),
    ],
)
def test_publish_refused_when_incomplete(member, provider, category, overrides, field):
    service = _draft(member, provider, category, **overrides)
    with pytest.raises(ValidationError) as exc:
        service_publish(actor=member, service=service)
    assert field in exc.value.message_dict
    service.refresh_from_db()
    assert service.status == Service.Status.DRAFT
    assert service.published_at is None


def test_quote_only_service_without_price_can_be_published(member, provider, category):
    service = _draft(member, provider, category, pricing_mode="quote_only", price=None, price_unit="")
    assert service_publish(actor=member, service=service).status == Service.Status.PUBLISHED


def test_publishing_twice_and_archiving_twice_are_refused(member, provider, category):
    service = service_publish(actor=member, service=_draft(member, provider, category))
    with pytest.raises(TransitionNotAllowed):
        service_publish(actor=member, service=service)
    service_archive(actor=member, service=service)
    with pytest.raises(TransitionNotAllowed):
        service_archive(actor=member, service=service)
    service.refresh_from_db()
    assert service.status == Service.Status.ARCHIVED
    assert not Service.objects.public().filter(pk=service.pk).exists()
    assert service_publish(actor=member, service=service).status == Service.Status.PUBLISHED


def test_update_of_published_service_must_keep_publish_rules(member, provider):
    service = ServiceFactory(provider=provider)
    with pytest.raises(ValidationError) as exc:
        service_update(actor=member, service=service, data={"price": None})
    assert "price" in exc.value.message_dict
    service.refresh_from_db()
    assert service.price == Decimal("300.00")
    updated = service_update(actor=member, service=service, data={"price": Decimal("280"), "standards": "ISO 6892-1"})
    assert updated.price == Decimal("280")
    assert updated.standards == ["ISO 6892-1"]


def test_other_centers_member_cannot_update_or_publish(provider):
    service = ServiceFactory(provider=provider, status="draft", published_at=None)
    outsider = MembershipFactory(organization=ProviderFactory().organization).user
    with pytest.raises(PermissionDenied):
        service_update(actor=outsider, service=service, data={"title_zh": "改名"})
    with pytest.raises(PermissionDenied):
        service_publish(actor=outsider, service=service)
    service.refresh_from_db()
    assert service.title_zh != "改名"


def test_equipment_of_another_provider_cannot_be_linked(member, provider, category):
    foreign = EquipmentFactory()
    with pytest.raises(ValidationError):
        _draft(member, provider, category, equipment=[foreign])
    assert not Service.objects.exists()  # the whole create rolled back


def test_equipment_create_and_update_validate(member, provider):
    equipment = equipment_create(actor=member, provider=provider, name_zh="电子万能试验机", bookable=True)
    with pytest.raises(ValidationError) as exc:
        equipment_update(actor=member, equipment=equipment, data={"max_slot_hours": 0})
    assert "max_slot_hours" in exc.value.message_dict
    equipment.refresh_from_db()
    assert equipment.max_slot_hours == 8


def test_profile_is_edited_by_owners_only(provider, member):
    staff = MembershipFactory(organization=provider.organization, role=Membership.Role.STAFF).user
    with pytest.raises(PermissionDenied):
        provider_update_profile(actor=staff, provider=provider, data={"city": "杭州市"})
    updated = provider_update_profile(actor=member, provider=provider, data={"contact_phone": " 0574-1234 "})
    assert updated.contact_phone == "0574-1234"
    with pytest.raises(ValueError):
        provider_update_profile(actor=member, provider=provider, data={"verification": "verified"})


def test_only_platform_operators_verify_providers():
    provider = ProviderFactory(verification=Provider.Verification.PENDING, verified_at=None)
    owner = MembershipFactory(organization=provider.organization).user
    with pytest.raises(PermissionDenied):
        provider_verify(actor=owner, provider=provider)
    with pytest.raises(PermissionDenied):
        provider_verify(actor=UserFactory(is_staff=True), provider=provider)  # staff status alone is not enough
    operator = platform_operator()
    verified = provider_verify(actor=operator, provider=provider)
    assert verified.is_verified and verified.verified_at is not None
    with pytest.raises(TransitionNotAllowed):
        provider_verify(actor=operator, provider=provider)
