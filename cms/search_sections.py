"""The bulletins section of the site search results page (registered in `SEARCH_RESULT_SECTIONS`)."""

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from marketplace.page_cache import public_cached

from .models import BulletinPage, live_bulletins

SECTION_LIMIT = 5


def matching_bulletins(query_text: str, limit: int = SECTION_LIMIT) -> list[BulletinPage]:
    """Live bulletins whose Chinese or English title, summary or body contains the query.

    A substring match rather than the full-text index: Chinese has no spaces, so word-based
    full-text search misses most Chinese queries, while bulletins are few enough to scan.
    """
    text = query_text.strip()
    if not text:
        return []
    condition = Q()
    for field in ("title", "title_en", "intro", "intro_en", "body", "body_en", "source", "source_en"):
        condition |= Q(**{f"{field}__icontains": text})
    return list(live_bulletins().filter(condition)[:limit])


def bulletin_section(request: HttpRequest, query_text: str) -> str:
    """Rendered HTML listing matching bulletins in the active language, or "" when none match; cached per
    query, language and public content version (every page publish or edit makes a new key)."""

    def render() -> str:
        bulletins = matching_bulletins(query_text)
        context = {"bulletins": bulletins}
        return render_to_string("cms/search_section.html", context, request=request) if bulletins else ""

    html = public_cached("cms:bulletin-section", get_language(), query_text.strip(), compute=render)
    return mark_safe(html)  # noqa: S308 - template output, autoescaped
