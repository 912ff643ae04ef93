from django import template

from marketplace.regions import display_name

register = template.Library()


@register.filter
def region(value: str | None) -> str:
    """A stored province or city name in the current language: `{{ provider.city|region }}`."""
    return display_name(value or "")
