"""factory_boy factories shared by every test package."""

from decimal import Decimal

import factory
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.organizations.models import Membership, Organization
from marketplace.organizations.uscc import check_character


def valid_uscc(n: int) -> str:
    body = f"91330200MA{n:07d}"
    return body + check_character(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.ENTERPRISE
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(valid_uscc)
    province = "浙江省"
    city = "宁波市"
    verified_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.OWNER


# --- catalog -------------------------------------------------------------------------------------


class IndustryFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.IndustryField"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"field-{n}")
    name_zh = factory.Sequence(lambda n: f"领域{n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.ServiceCategory"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_zh = factory.Sequence(lambda n: f"类别{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Provider"

    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.PROVIDER)
    slug = factory.Sequence(lambda n: f"provider-{n}")
    name_zh = factory.SelfAttribute("organization.name")
    name_en = factory.Sequence(lambda n: f"Provider {n}")
    level = "national"
    province = "浙江省"
    city = "宁波市"
    verification = "verified"
    verified_at = factory.LazyFunction(timezone.now)


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Equipment"

    provider = factory.SubFactory(ProviderFactory)
    name_zh = factory.Sequence(lambda n: f"电子万能试验机{n}")
    name_en = factory.Sequence(lambda n: f"Universal testing machine {n}")
    model = "WDW-100"
    bookable = True


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Service"

    provider = factory.SubFactory(ProviderFactory)
    category = factory.SubFactory(ServiceCategoryFactory)
    slug = factory.Sequence(lambda n: f"service-{n}")
    title_zh = factory.Sequence(lambda n: f"金属材料拉伸试验{n}")
    title_en = factory.Sequence(lambda n: f"Tensile test of metallic materials {n}")
    summary_zh = "室温拉伸试验，出具检测报告。"
    summary_en = "Room-temperature tensile test with a test report."
    standards = factory.LazyFunction(lambda: ["GB/T 228.1-2021"])
    pricing_mode = "per_unit"
    price = Decimal("300.00")
    price_unit = "每个试样"
    turnaround_days = 5
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


class AccreditationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Accreditation"

    provider = factory.SubFactory(ProviderFactory)
    scheme = "CNAS"
    number = factory.Sequence(lambda n: f"CNAS L{n:04d}")
