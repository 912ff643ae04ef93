"""One way to write an amount (pages, PDFs, e-mails, messages), a time for machines and a phone link."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from marketplace.money import format_yuan
from marketplace.templatetags.localized import iso_time, tel


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", "¥0"),
        ("25000", "¥25,000"),
        ("25000.00", "¥25,000"),
        ("1234.5", "¥1,234.50"),
        ("1234567.891", "¥1,234,567.89"),
        ("0.005", "¥0.01"),
        ("-80", "-¥80"),
    ],
)
def test_yuan_have_thousands_separators_and_no_zero_fen(amount: str, expected: str) -> None:
    assert format_yuan(Decimal(amount)) == expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_template_filter_writes_the_same_in_both_languages(language: str) -> None:
    template = Template("{% load localized %}{{ a|yuan }}|{{ b|yuan }}|{{ c|yuan }}")
    with translation.override(language):
        assert template.render(Context({"a": Decimal("25000"), "b": Decimal("99.9"), "c": None})) == "¥25,000|¥99.90|"


def test_time_elements_get_local_time_to_the_second_without_microseconds() -> None:
    moment = datetime(2026, 12, 3, 6, 30, 15, 123456, tzinfo=UTC)
    assert iso_time(moment) == "2026-12-03T14:30:15+08:00"
    assert iso_time(date(2026, 12, 3)) == "2026-12-03"
    assert iso_time(None) == ""


@pytest.mark.parametrize(
    ("written", "uri"),
    [("0574-8765 4321", "057487654321"), ("+86 574 8765 4321", "+8657487654321"), ("(0574) 87654321", "057487654321")],
)
def test_phone_links_carry_only_digits(written: str, uri: str) -> None:
    assert tel(written) == uri


@pytest.mark.django_db
def test_provider_page_links_the_phone_and_dates_services_for_machines(client) -> None:
    from tests.factories import ServiceFactory

    service = ServiceFactory(provider__contact_phone="0574-8765 4321")
    html = client.get(service.provider.get_absolute_url()).content.decode()
    assert 'href="tel:057487654321"' in html
    service_html = client.get(service.get_absolute_url()).content.decode()
    stamp = iso_time(service.updated_at)
    assert f'<time datetime="{stamp}">' in service_html and "." not in stamp
