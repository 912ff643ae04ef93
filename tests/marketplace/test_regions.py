"""Province from the official list, city normalised: one place is one filter value, in forms and in stored data."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from catalog.models import Provider
from marketplace.organizations.models import Organization
from marketplace.regions import PROVINCES_EN, normalize_city, normalize_province
from tests.factories import MembershipFactory, ProviderFactory, UserFactory, valid_uscc


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("浙江", "浙江省"),
        (" 浙江省 ", "浙江省"),
        ("Zhejiang", "浙江省"),
        ("zhejiang", "浙江省"),
        ("内蒙古", "内蒙古自治区"),
        ("广西", "广西壮族自治区"),
        ("北京", "北京市"),
        ("香港", "香港特别行政区"),
        ("火星", None),
    ],
)
def test_a_province_written_any_usual_way_is_its_official_name(written, stored):
    assert normalize_province(written) == stored


@pytest.mark.parametrize(
    ("written", "province", "stored"),
    [
        ("宁波", "浙江省", "宁波市"),
        ("宁波市 ", "浙江省", "宁波市"),
        ("宁 波", "浙江省", "宁波市"),
        ("", "上海市", "上海市"),
        ("上海", "上海市", "上海市"),
        ("恩施土家族苗族自治州", "湖北省", "恩施土家族苗族自治州"),
        ("Ningbo ", "浙江省", "Ningbo"),
    ],
)
def test_a_city_has_one_written_form(written, province, stored):
    assert normalize_city(written, province) == stored


def test_the_official_list_has_every_provincial_level_division():
    assert len(PROVINCES_EN) == 34


@pytest.mark.django_db
def test_organization_form_offers_the_official_list_and_stores_one_form(client):
    client.force_login(UserFactory())
    html = client.get("/en/org/start/").content.decode()
    assert '<select name="create-province"' in html and '<option value="浙江省">Zhejiang</option>' in html
    data = {
        "create-kind": "enterprise",
        "create-name": "宁波测试有限公司",
        "create-uscc": valid_uscc(91),
        "create-province": "浙江省",
        "create-city": "宁波",
    }
    client.post(reverse("organizations:start"), data)
    assert Organization.objects.values_list("province", "city").get() == ("浙江省", "宁波市")


@pytest.mark.django_db
def test_a_province_outside_the_list_is_a_field_error(client):
    client.force_login(UserFactory())
    data = {"create-kind": "enterprise", "create-name": "x", "create-uscc": valid_uscc(92)}
    response = client.post(reverse("organizations:start"), {**data, "create-province": "浙江", "create-city": "宁波"})
    assert "province" in response.context["create_form"].errors
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_provider_profile_normalises_the_city(client):
    provider = ProviderFactory(province="浙江省", city="宁波市")
    member = MembershipFactory(organization=provider.organization).user
    client.force_login(member)
    url = reverse("catalog:dashboard-profile", kwargs={"provider": provider.slug})
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("fields", "logo")}
    data.update(province="浙江省", city="宁波 ")
    client.post(url, data)
    provider.refresh_from_db()
    assert provider.city == "宁波市"


@pytest.mark.django_db
def test_the_data_migration_normalises_stored_regions():
    first = ProviderFactory(province="浙江", city="宁波")
    second = ProviderFactory(province="Zhejiang", city="宁波市")
    Organization.objects.filter(pk=first.organization_id).update(province="浙江 ", city="宁波")
    migration = importlib.import_module("marketplace.organizations.migrations.0002_normalise_regions")
    migration.normalise(apps, None)
    catalog_migration = importlib.import_module("catalog.migrations.0010_normalise_regions")
    catalog_migration.normalise(apps, None)
    assert set(Provider.objects.filter(pk__in=[first.pk, second.pk]).values_list("province", "city")) == {
        ("浙江省", "宁波市")
    }
    assert Organization.objects.filter(pk=first.organization_id).values_list("province", "city").get() == (
        "浙江省",
        "宁波市",
    )
