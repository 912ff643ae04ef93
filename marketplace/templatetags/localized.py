"""Stored Chinese names in the reader's language: `{{ provider.city|region }}`, `{{ service.price_unit|unit }}`."""

from django import template

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
