import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from catalog.models import Equipment, Provider, Service, ServiceImport
from marketplace.organizations.models import Membership
from tests.factories import (
    AccreditationFactory,
    EquipmentFactory,
    IndustryFieldFactory,
    MembershipFactory,
    ProviderFactory,
    ServiceCategoryFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


# --- public pages ------------------------------------------------------------------------------------


def test_published_service_of_verified_provider_is_public(client):
    equipment = EquipmentFactory(bookable=True, min_notice_hours=48)
    service = ServiceFactory(provider=equipment.provider, standards=["GB/T 228.1-2021", "ISO 6892-1"])
    service.equipment.add(equipment)
    response = client.get(service.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("GB/T 228.1-2021", "ISO 6892-1", service.title, service.provider.name, "300", equipment.name):
        assert text in html
    assert reverse("account_login") in html  # anonymous visitors are asked to sign in to request a quote
    assert 'id="actions-heading"' in html


def test_service_page_shows_sample_requirements_and_unit_in_the_page_language(client):
    service = ServiceFactory(
        sample_requirements_zh="每组 5 个试样。", sample_requirements_en="Five specimens per set.", price_unit="试样"
    )
    zh = client.get(service.get_absolute_url()).content.decode()
    with translation.override("en"):
        en_url = service.get_absolute_url()
    en = client.get(en_url).content.decode()
    assert "每组 5 个试样。" in zh and "Five specimens per set." not in zh
    assert "Five specimens per set." in en and "每组 5 个试样。" not in en
    assert "/ specimen" in en and "/ 试样" in zh


@pytest.mark.parametrize(
    "make",
    [
        lambda: ServiceFactory(status="draft", published_at=None),
        lambda: ServiceFactory(status="archived"),
        lambda: ServiceFactory(provider=ProviderFactory(verification="pending", verified_at=None)),
        lambda: ServiceFactory(provider=ProviderFactory(verification="rejected", verified_at=None)),
    ],
    ids=["draft", "archived", "pending-provider", "rejected-provider"],
)
def test_non_public_services_are_404(client, make):
    service = make()
    assert client.get(service.get_absolute_url()).status_code == 404
    assert service.title not in client.get(service.category.get_absolute_url()).content.decode()


def test_unverified_provider_page_is_404_and_not_listed(client):
    hidden = ProviderFactory(verification=Provider.Verification.PENDING, verified_at=None)
    shown = ProviderFactory()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    listing = client.get(reverse("catalog:provider-list")).content.decode()
    assert shown.name in listing
    assert hidden.name not in listing


def test_provider_page_shows_accreditations_equipment_and_public_services_only(client):
    provider = ProviderFactory(contact_phone="0574-88880101")
    AccreditationFactory(provider=provider, scheme="CNAS", number="CNAS L0472")
    equipment = EquipmentFactory(provider=provider)
    public = ServiceFactory(provider=provider)
    draft = ServiceFactory(provider=provider, status="draft", published_at=None)
    html = client.get(provider.get_absolute_url()).content.decode()
    for text in ("CNAS L0472", equipment.name, public.title, "0574-88880101"):
        assert text in html
    assert draft.title not in html


def test_directory_filters_by_level_field_and_region(client):
    field = IndustryFieldFactory(slug="bearings")
    bearing = ProviderFactory(level="provincial", province="山东省", city="聊城市")
    bearing.fields.add(field)
    national = ProviderFactory(level="national", province="山东省", city="青岛市")
    harbin = ProviderFactory(level="municipal", province="黑龙江省", city="哈尔滨市")
    url = reverse("catalog:provider-list")

    def names(**params):
        html = client.get(url, params).content.decode()
        return {p.name for p in (bearing, national, harbin) if p.name in html}

    assert names() == {bearing.name, national.name, harbin.name}
    assert names(level="provincial") == {bearing.name}
    assert names(field="bearings") == {bearing.name}
    assert names(province="山东省") == {bearing.name, national.name}
    assert names(province="山东省", city="青岛市") == {national.name}
    empty = client.get(url, {"level": "platform"})
    assert empty.status_code == 200
    assert 'class="empty"' in empty.content.decode()


def test_directory_paginates(client):
    ProviderFactory.create_batch(21)
    first = client.get(reverse("catalog:provider-list")).content.decode()
    assert 'rel="next"' in first
    second = client.get(reverse("catalog:provider-list"), {"page": 2})
    assert second.status_code == 200
    assert second.context["page"].number == 2
    assert len(second.context["page"].object_list) == 1


def test_category_page_includes_sub_categories(client):
    parent = ServiceCategoryFactory(slug="inspection-testing")
    child = ServiceCategoryFactory(slug="textile-testing", parent=parent)
    service = ServiceFactory(category=child)
    assert service.title in client.get(parent.get_absolute_url()).content.decode()
    assert child.name in client.get(reverse("catalog:category-list")).content.decode()


# --- dashboard ---------------------------------------------------------------------------------------


def _dash(name, provider, **kwargs):
    return reverse(f"catalog:{name}", kwargs={"provider": provider.slug, **kwargs})


def test_anonymous_is_sent_to_login(client, provider):
    service = ServiceFactory(provider=provider)
    for url in (
        reverse("catalog:dashboard"),
        _dash("dashboard-provider", provider),
        _dash("dashboard-service-edit", provider, pk=service.pk),
        _dash("dashboard-import-upload", provider),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_member_of_center_x_gets_404_for_center_y(client, member, provider):
    other = ProviderFactory()
    service = ServiceFactory(provider=other, status="draft", published_at=None)
    equipment = EquipmentFactory(provider=other)
    job = ServiceImport.objects.create(provider=other, file="x.csv", original_name="x.csv", format="csv")
    client.force_login(member)
    gets = [
        _dash("dashboard-provider", other),
        _dash("dashboard-service-edit", other, pk=service.pk),
        _dash("dashboard-service-edit", provider, pk=service.pk),  # own slug, foreign pk
        _dash("dashboard-equipment-edit", other, pk=equipment.pk),
        _dash("dashboard-import", other, pk=job.pk),
        _dash("dashboard-export", other, fmt="csv"),
        _dash("dashboard-profile", other),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in (
        _dash("dashboard-service-publish", other, pk=service.pk),
        _dash("dashboard-service-edit", provider, pk=service.pk),
    ):
        assert client.post(url, {"title_zh": "篡改"}).status_code == 404, url
    service.refresh_from_db()
    assert service.status == "draft"
    assert service.title_zh != "篡改"


def test_member_creates_service_with_inline_errors_then_publishes(client, member, provider, category):
    client.force_login(member)
    url = _dash("dashboard-service-create", provider)
    data = {
        "title_zh": "金属拉伸试验",
        "title_en": "Metal tensile test",
        "category": category.pk,
        "summary_zh": "室温拉伸试验。",
        "standards": "GB/T 228.1-2021\nISO 6892-1",
        "pricing_mode": "fixed",
        "price": "",
        "turnaround_days": "3",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'id="id_price_error"' in response.content.decode()
    assert not Service.objects.exists()

    response = client.post(url, {**data, "price": "500"})
    assert response.status_code == 302
    service = Service.objects.get()
    assert (service.status, service.slug, service.standards) == (
        "draft",
        "metal-tensile-test",
        ["GB/T 228.1-2021", "ISO 6892-1"],
    )

    response = client.post(_dash("dashboard-service-publish", provider, pk=service.pk))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == "published"
    assert client.get(service.get_absolute_url()).status_code == 200

    confirm = client.get(_dash("dashboard-service-archive", provider, pk=service.pk))
    service.refresh_from_db()
    assert confirm.status_code == 200 and service.status == "published"  # asking is not archiving
    assert f"“{service.title}”" in confirm.content.decode() and 'method="post"' in confirm.content.decode()
    client.post(_dash("dashboard-service-archive", provider, pk=service.pk))
    service.refresh_from_db()
    assert service.status == "archived"
    assert client.get(service.get_absolute_url()).status_code == 404


def test_incomplete_service_publish_shows_why(client, member, provider):
    service = ServiceFactory(provider=provider, status="draft", published_at=None, title_en="")
    client.force_login(member)
    response = client.post(_dash("dashboard-service-publish", provider, pk=service.pk), follow=True)
    assert "English title" in response.content.decode() or "英文标题" in response.content.decode()
    service.refresh_from_db()
    assert service.status == "draft"


def test_member_adds_equipment_and_staff_cannot_edit_profile(client, member, provider):
    client.force_login(member)
    response = client.post(
        _dash("dashboard-equipment-create", provider),
        {"name_zh": "摆锤冲击试验机", "min_notice_hours": "24", "max_slot_hours": "0"},
    )
    assert response.status_code == 200
    assert 'id="id_max_slot_hours_error"' in response.content.decode()
    response = client.post(
        _dash("dashboard-equipment-create", provider),
        {"name_zh": "摆锤冲击试验机", "min_notice_hours": "24", "max_slot_hours": "8", "bookable": "on"},
    )
    assert response.status_code == 302
    assert Equipment.objects.get(provider=provider).bookable

    staff = MembershipFactory(organization=provider.organization, role=Membership.Role.STAFF).user
    client.force_login(staff)
    assert client.get(_dash("dashboard-profile", provider)).status_code == 403
    client.force_login(member)
    assert client.get(_dash("dashboard-profile", provider)).status_code == 200


def test_import_through_the_dashboard_with_progress(
    client, member, provider, category, django_capture_on_commit_callbacks
):
    client.force_login(member)
    content = (
        "slug,title_zh,title_en,category,pricing_mode,price,price_unit,turnaround_days,status\n"
        "a,拉伸,Tensile,mechanical-testing,per_unit,300,试样,3,draft\n"
        "b,冲击,Impact,mechanical-testing,per_unit,-1,试样,3,draft\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _dash("dashboard-import-upload", provider), {"file": SimpleUploadedFile("s.csv", content)}
        )
    job = ServiceImport.objects.get()
    assert response.url == _dash("dashboard-import", provider, pk=job.pk)
    page = client.get(response.url).content.decode()
    assert "<td>3</td>" in page and "<code>price</code>" in page
    assert client.post(_dash("dashboard-import-commit", provider, pk=job.pk)).status_code == 302
    assert not Service.objects.exists()

    good = content.replace(b",-1,", b",200,")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_dash("dashboard-import-upload", provider), {"file": SimpleUploadedFile("s.csv", good)})
    job = ServiceImport.objects.latest("pk")
    partial = client.get(_dash("dashboard-import", provider, pk=job.pk), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="import-status"')
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_dash("dashboard-import-commit", provider, pk=job.pk))
    job.refresh_from_db()
    assert job.status == "done"
    assert Service.objects.filter(provider=provider).count() == 2


def test_export_downloads_a_csv(client, member, provider):
    ServiceFactory(provider=provider, slug="tensile")
    client.force_login(member)
    response = client.get(_dash("dashboard-export", provider, fmt="csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeffslug,".encode())
    assert b"tensile" in response.content


def test_header_links_to_dashboard_for_provider_members_only(client, member):
    url = reverse("catalog:dashboard")
    client.force_login(member)
    assert f'href="{url}"' in client.get(reverse("catalog:category-list")).content.decode()
    client.force_login(MembershipFactory().user)  # a member of an enterprise, not a provider
    assert f'href="{url}"' not in client.get(reverse("catalog:category-list")).content.decode()


def test_dashboard_service_list_is_paginated(client, member, provider):
    ServiceFactory.create_batch(51, provider=provider)
    client.force_login(member)
    first = client.get(_dash("dashboard-provider", provider))
    assert len(first.context["page"].object_list) == 50
    assert 'rel="next"' in first.content.decode()
    second = client.get(_dash("dashboard-provider", provider), {"page": 2, "status": "published"})
    assert len(second.context["page"].object_list) == 1


def test_running_import_shows_a_polling_progress_bar(client, member, provider):
    from django.core.cache import cache

    from catalog.importing import import_progress_key

    job = ServiceImport.objects.create(
        provider=provider, file="x.csv", original_name="x.csv", format="csv", status="importing", total_rows=4000
    )
    cache.set(import_progress_key(job.pk), {"phase": "importing", "done": 1000, "total": 4000})
    client.force_login(member)
    html = client.get(_dash("dashboard-import", provider, pk=job.pk), headers={"HX-Request": "true"}).content.decode()
    assert 'data-hx-trigger="every 1s"' in html
    assert 'value="25"' in html
    job.status = "done"
    job.save()
    html = client.get(_dash("dashboard-import", provider, pk=job.pk), headers={"HX-Request": "true"}).content.decode()
    assert "data-hx-trigger" not in html  # polling stops once the import has finished


def test_provider_contact_details_have_english_versions_shown_on_english_pages(client, member, provider):
    client.force_login(member)
    form_html = client.get(_dash("dashboard-profile", provider)).content.decode()
    for name in ("lead_organization_en", "address_en", "contact_name_en"):
        assert f'name="{name}"' in form_html
    Provider.objects.filter(pk=provider.pk).update(
        lead_organization="宁波摩米创新工场",
        lead_organization_en="Ningbo Momi Innovation Factory",
        address="浙江省宁波市奉化区创新路 1 号",
        address_en="1 Chuangxin Road, Fenghua, Ningbo",
        contact_name="陈工",
        contact_name_en="Mr Chen",
    )
    url = provider.get_absolute_url()
    english = client.get(url.replace("/catalog/", "/en/catalog/", 1)).content.decode()
    chinese = client.get(url).content.decode()
    for zh, en in (("宁波摩米创新工场", "Ningbo Momi"), ("创新路 1 号", "1 Chuangxin Road"), ("陈工", "Mr Chen")):
        assert en in english and zh not in english
        assert zh in chinese and en not in chinese
