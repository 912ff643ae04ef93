"""One way to write an amount: on pages, in PDFs, e-mails and messages."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from marketplace.money import format_yuan


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
