"""Template helpers shared by the CMS templates and the site's base template."""

from typing import Any

from django import template
from django.core.cache import cache
from django.utils.translation import get_language

from cms.models import bulletin_index
from marketplace.languages import english_active
from marketplace.page_cache import public_version

register = template.Library()
URL_TIMEOUT = 60 * 60  # seconds; publishing, moving or unpublishing a page changes the key before that


@register.simple_tag(takes_context=True)
def bulletin_index_url(context: dict[str, Any]) -> str:
    """URL of the live bulletin index in the active language, or "" when there is none; cached per public
    content version, language and host (it is in every page's navigation)."""
    request = context.get("request")
    host = request.get_host() if request else ""
    key = f"cms:bulletin-index-url:{public_version()}:{get_language()}:{host}"
    url: str | None = cache.get(key)
    if url is None:
        index = bulletin_index()
        url = (index.get_url(request) or "") if index is not None else ""
        cache.set(key, url, URL_TIMEOUT)
    return url


@register.simple_tag(takes_context=True)
def absolute_url(context: dict[str, Any], url: str) -> str:
    """`url` made absolute against the current request (Open Graph needs absolute URLs)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


@register.simple_tag
def og_locale() -> str:
    return "en_US" if english_active() else "zh_CN"
