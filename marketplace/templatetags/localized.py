"""Stored Chinese names in the reader's language: `{{ provider.city|region }}`, `{{ service.price_unit|unit }}`;
amounts as the platform writes them: `{{ order.total|yuan }}`."""

from django import template

from marketplace.money import format_yuan
from marketplace.regions import display_name
from marketplace.units import display_unit

register = template.Library()


@register.filter
def region(value: str | None) -> str:
    """A province or city name."""
    return display_name(value or "")


@register.filter
def unit(value: str | None) -> str:
    """The unit of a per-unit price."""
    return display_unit(value or "")


@register.filter
def yuan(value: object) -> str:
    """`¥25,000` / `¥1,234.50`; empty for a missing amount."""
    return "" if value is None or value == "" else format_yuan(value)  # type: ignore[arg-type]
