"""Issue 16 item 9: a bad value in a dashboard form is a form error, never a 500."""

import pytest
from django.urls import reverse
from django.utils.text import slugify

from catalog.models import Service
from tests.factories import EquipmentFactory, ServiceFactory

pytestmark = pytest.mark.django_db

# Values that broke or could break parsing: not-a-numbers, overflows, signs, NUL, huge and odd text.
HOSTILE = ["NaN", "1e400", "-1", "99999999999999999999", "\x00", "x" * 5000]


def _form_data(client, url: str) -> dict[str, object]:
    """What the form would post unchanged (as a browser submits it)."""
    form = client.get(url).context["form"]
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name != "logo":
            data[name] = "" if value is None else str(value)
    return data


def test_editing_a_published_service_with_an_empty_slug_and_zero_turnaround_is_a_form_error(client, member, provider):
    service = ServiceFactory(provider=provider)
    client.force_login(member)
    url = reverse("catalog:dashboard-service-edit", args=[provider.slug, service.pk])
    data = {**_form_data(client, url), "slug": "", "turnaround_days": "0"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "turnaround_days" in response.context["form"].errors
    html = response.content.decode()
    assert service.get_absolute_url() in html  # the page links with the stored slug, not the rejected one
    service.refresh_from_db()
    assert service.turnaround_days == 5 and service.slug.startswith("service-")

    data["turnaround_days"] = "7"  # valid otherwise: the empty slug is derived from the title again
    assert client.post(url, data).status_code == 302
    service.refresh_from_db()
    assert service.turnaround_days == 7 and service.slug == slugify(str(service.title_en))


def test_an_invalid_profile_keeps_the_stored_name_in_the_breadcrumb(client, member, provider):
    client.force_login(member)
    url = reverse("catalog:dashboard-profile", args=[provider.slug])
    response = client.post(url, {**_form_data(client, url), "name_zh": "", "name_en": "Renamed"})
    assert response.status_code == 200 and response.context["form"].errors
    assert f">{provider.name_zh}</a>" in response.content.decode()


@pytest.mark.parametrize("page", ["service-edit", "service-create", "equipment-edit", "equipment-create", "profile"])
def test_hostile_values_in_any_dashboard_form_field_are_form_errors(client, member, provider, page):
    service = ServiceFactory(provider=provider)
    equipment = EquipmentFactory(provider=provider)
    client.force_login(member)
    url = {
        "service-edit": reverse("catalog:dashboard-service-edit", args=[provider.slug, service.pk]),
        "service-create": reverse("catalog:dashboard-service-create", args=[provider.slug]),
        "equipment-edit": reverse("catalog:dashboard-equipment-edit", args=[provider.slug, equipment.pk]),
        "equipment-create": reverse("catalog:dashboard-equipment-create", args=[provider.slug]),
        "profile": reverse("catalog:dashboard-profile", args=[provider.slug]),
    }[page]
    data = _form_data(client, url)
    for name in data:
        for value in HOSTILE:
            response = client.post(url, {**data, name: value})
            assert response.status_code in (200, 302), (name, value[:20], response.status_code)
    assert Service.objects.filter(provider=provider, price__isnull=False, price__lt=0).count() == 0
