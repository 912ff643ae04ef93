"""Template helpers shared by the CMS templates and the site's base template."""

from typing import Any

from django import template

from cms.models import bulletin_index
from marketplace.languages import english_active

register = template.Library()


@register.simple_tag(takes_context=True)
def bulletin_index_url(context: dict[str, Any]) -> str:
    """URL of the live bulletin index in the active language, or "" when there is none."""
    index = bulletin_index()
    if index is None:
        return ""
    return index.get_url(context.get("request")) or ""


@register.simple_tag(takes_context=True)
def absolute_url(context: dict[str, Any], url: str) -> str:
    """`url` made absolute against the current request (Open Graph needs absolute URLs)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


@register.simple_tag
def og_locale() -> str:
    return "en_US" if english_active() else "zh_CN"
