"""Stored Chinese names in the reader's language: `{{ provider.city|region }}`, `{{ service.price_unit|unit }}`;
amounts as the platform writes them: `{{ order.total|yuan }}`; values for machines:
`<time datetime="{{ t|iso_time }}">`, `<a href="tel:{{ phone|tel }}">`."""

import re
from datetime import date, datetime

from django import template
from django.utils import timezone

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


@register.filter
def iso_time(value: datetime | date | None) -> str:
    """A `<time datetime>` value: the platform's local time to the second with its offset (no microseconds)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else ""
    return value.isoformat() if isinstance(value, date) else ""


@register.filter
def parse_iso(value: str | None) -> datetime | None:
    """A stored ISO 8601 timestamp (JSON fields keep them as text) back as a datetime for the `date` filter."""
    try:
        return datetime.fromisoformat(value or "")
    except ValueError:
        return None


@register.filter
def tel(value: str | None) -> str:
    """A `tel:` URI's number: digits and a leading +, no spaces, dashes or brackets (RFC 3966 global or local)."""
    text = (value or "").strip()
    digits = re.sub(r"\D", "", text)
    return f"+{digits}" if text.startswith("+") else digits
