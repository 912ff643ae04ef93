"""Template helpers shared by the CMS templates and the site's base template."""

from typing import Any

from django import template
from django.utils.translation import get_language

from cms.models import bulletin_index
from marketplace.languages import english_active
from marketplace.page_cache import public_cached

register = template.Library()


@register.simple_tag(takes_context=True)
def bulletin_index_url(context: dict[str, Any]) -> str:
    """URL of the live bulletin index in the active language, or "" when there is none; cached per public
    content version, language and host (it is in every page's navigation)."""
    request = context.get("request")
    host = request.get_host() if request else ""

    def read() -> str:
        index = bulletin_index()
        return (index.get_url(request) or "") if index is not None else ""

    return public_cached("cms:bulletin-index-url", get_language(), host, compute=read)


@register.simple_tag(takes_context=True)
def absolute_url(context: dict[str, Any], url: str) -> str:
    """`url` made absolute against the current request (Open Graph needs absolute URLs)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


@register.simple_tag
def og_locale() -> str:
    return "en_US" if english_active() else "zh_CN"
