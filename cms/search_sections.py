"""The bulletins section of the site search results page (registered in `SEARCH_RESULT_SECTIONS`)."""

import hashlib

from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from marketplace.page_cache import public_version

from .models import BulletinPage, live_bulletins

SECTION_LIMIT = 5
SECTION_TIMEOUT = 60 * 60  # seconds; a content write changes the key before that


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
    digest = hashlib.sha256(query_text.strip().encode()).hexdigest()
    key = f"cms:bulletin-section:{public_version()}:{get_language()}:{digest}"
    html: str | None = cache.get(key)
    if html is None:
        bulletins = matching_bulletins(query_text)
        html = (
            render_to_string("cms/search_section.html", {"bulletins": bulletins}, request=request) if bulletins else ""
        )
        cache.set(key, html, SECTION_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - template output, autoescaped
