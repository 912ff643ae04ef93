"""factory_boy factories shared by every test package."""

from decimal import Decimal

import factory
from django.utils import timezone

from catalog.counters import refresh_public_counts
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

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Test data stands for committed rows: the counters the after-commit task maintains are brought up to
        date here (tests run inside a transaction that never commits). Tests of the maintenance itself use
        `django_capture_on_commit_callbacks`."""
        super()._after_postgeneration(instance, create, results)
        if create:
            refresh_public_counts([instance.provider_id])


class AccreditationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Accreditation"

    provider = factory.SubFactory(ProviderFactory)
    scheme = "CNAS"
    number = factory.Sequence(lambda n: f"CNAS L{n:04d}")


def search_catalog() -> dict:
    """A small catalog for search tests: public services plus draft, archived and unverified-provider ones."""
    from datetime import timedelta

    now = timezone.now()
    testing = ServiceCategoryFactory(slug="testing", name_zh="检验检测", name_en="Inspection and testing")
    mechanical = ServiceCategoryFactory(
        slug="mechanical", name_zh="力学性能", name_en="Mechanical properties", parent=testing
    )
    pilot = ServiceCategoryFactory(slug="pilot", name_zh="中试熟化", name_en="Pilot-scale maturation")
    materials = IndustryFieldFactory(slug="materials", name_zh="新材料", name_en="New materials")
    machinery = IndustryFieldFactory(slug="machinery", name_zh="高端装备", name_en="High-end equipment")
    ningbo = ProviderFactory(name_zh="宁波新材料创新中心", level="national", province="浙江省", city="宁波市")
    suzhou = ProviderFactory(name_zh="苏州检测公共服务平台", level="platform", province="江苏省", city="苏州市")
    hangzhou = ProviderFactory(
        name_zh="杭州待审中心",
        level="municipal",
        province="浙江省",
        city="杭州市",
        verification="pending",
        verified_at=None,
    )
    machine = EquipmentFactory(provider=ningbo, bookable=True)
    s = {}
    s["tensile"] = ServiceFactory(
        provider=ningbo,
        category=mechanical,
        field=materials,
        title_zh="金属材料室温拉伸试验",
        title_en="Tensile test of metallic materials at room temperature",
        summary_zh="按国家标准测定抗拉强度、屈服强度和断后伸长率。",
        summary_en="Tensile strength, yield strength and elongation after fracture.",
        standards=["GB/T 228.1-2021", "ISO 6892-1:2019"],
        pricing_mode="per_unit",
        price=Decimal("300"),
        turnaround_days=5,
        published_at=now - timedelta(days=3),
    )
    s["tensile"].equipment.add(machine)
    s["valve"] = ServiceFactory(
        provider=suzhou,
        category=testing,
        field=machinery,
        title_zh="气动阀门寿命试验",
        title_en="Pneumatic valve life test",
        summary_zh="百万次动作寿命试验与泄漏检测。",
        summary_en="Endurance cycling and leakage testing of valves.",
        standards=["JB/T 7352-2010"],
        pricing_mode="fixed",
        price=Decimal("8000"),
        turnaround_days=15,
        published_at=now - timedelta(days=2),
    )
    s["hardness"] = ServiceFactory(
        provider=suzhou,
        category=mechanical,
        field=materials,
        title_zh="金属布氏硬度检测",
        title_en="Brinell hardness testing of metals",
        summary_zh="布氏硬度试验。",
        summary_en="Brinell hardness test.",
        description_zh="可与 GB/T 228.1 拉伸试验一并委托。",
        description_en="Can be ordered with a tensile test.",
        standards=["GB/T 231.1-2018"],
        pricing_mode="per_hour",
        price=Decimal("200"),
        turnaround_days=3,
        published_at=now - timedelta(days=1),
    )
    s["pilot"] = ServiceFactory(
        provider=ningbo,
        category=pilot,
        field=materials,
        title_zh="新材料中试熟化服务",
        title_en="Pilot-scale maturation of new materials",
        summary_zh="从实验室成果到中试验证，放大工艺。",
        summary_en="Scale-up from lab results to pilot production.",
        standards=[],
        pricing_mode="quote_only",
        price=None,
        turnaround_days=30,
        published_at=now - timedelta(days=5),
    )
    s["escape"] = ServiceFactory(
        provider=suzhou,
        category=testing,
        field=None,
        title_zh="<b>焊缝</b>无损检测",
        title_en="Weld <inspection> & NDT",
        summary_zh="射线与超声检测。",
        summary_en="Radiographic and ultrasonic testing.",
        standards=["GB/T 3323.1-2019"],
        pricing_mode="per_unit",
        price=Decimal("500"),
        turnaround_days=7,
        published_at=now - timedelta(days=4),
    )
    s["draft"] = ServiceFactory(
        provider=ningbo,
        category=mechanical,
        title_zh="拉伸试验草稿",
        title_en="Draft tensile test",
        status="draft",
        published_at=None,
    )
    s["archived"] = ServiceFactory(
        provider=ningbo,
        category=mechanical,
        title_zh="拉伸试验已下架",
        title_en="Archived tensile test",
        status="archived",
    )
    s["unverified"] = ServiceFactory(
        provider=hangzhou, category=mechanical, title_zh="拉伸试验未审核", title_en="Unverified tensile test"
    )
    return {
        "services": s,
        "categories": {"testing": testing, "mechanical": mechanical, "pilot": pilot},
        "fields": {"materials": materials, "machinery": machinery},
        "providers": {"ningbo": ningbo, "suzhou": suzhou, "hangzhou": hangzhou},
    }


def platform_operator() -> User:
    """A user in the "Platform operators" group (created here too: transactional tests flush migration data)."""
    from django.contrib.auth.models import Group

    from marketplace.organizations.permissions import OPERATORS_GROUP

    user: User = UserFactory(is_staff=True)  # type: ignore[assignment]
    group, _created = Group.objects.get_or_create(name=OPERATORS_GROUP)
    user.groups.add(group)
    return user
