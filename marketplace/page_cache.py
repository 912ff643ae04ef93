"""Whole public pages cached for anonymous visitors, invalidated by any write to what they show.

Crawlers, scanners and SMEs browsing before they sign in are anonymous: they get the catalog's public pages
(home, categories, provider directory, category, provider and service pages, standards) and the search API
from the cache, keyed by URL, Vary headers and a *content version*. Every write to public content bumps the
version (catalog, CMS and search writes: `connect()`; maintained counters and index writes call
`bump_public_version` too), so a cached page never outlives the data it shows; `TIMEOUT` only bounds what
no signal reports (an equipment calendar slot booked a minute ago).

Not cached: signed-in users (any cookie but the language cookie skips the cache), anything but GET/HEAD and
200, responses that set a cookie or use the CSRF token, and the search page itself (it counts searches for
the operators' statistics): its rendered results are cached with `public_cached` instead (`search.views`).
"""

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_cache_key, learn_cache_key

from .cache_versions import ENTRY_TIMEOUT, CacheVersion

VERSION_KEY = "pages:version"
# Home, categories, directory, category/provider/service pages, standards, the search API (both languages).
CACHED_PATHS = re.compile(
    r"^/(?:en/)?(?:|catalog/categories/.*|catalog/providers/.*|standards/.*|search/api/services)$"
)
# Apps whose rows public pages show, and models of other apps they show (reviews: ratings); a save or delete
# invalidates every cached page. Orders, bookings and notifications are never on a public page.
CONTENT_APPS = frozenset({"catalog", "cms", "wagtailcore", "search"})
CONTENT_MODELS = frozenset({"orders.review"})


PUBLIC_CONTENT = CacheVersion(VERSION_KEY)
T = TypeVar("T")


def public_version() -> int:
    return PUBLIC_CONTENT.current()


def public_cached(*parts: object, compute: Callable[[], T], timeout: int = ENTRY_TIMEOUT) -> T:
    """`compute()` cached for the current public content version: for parts of pages that are not cached
    whole (the search page's results, labels and sections, the navigation)."""
    return PUBLIC_CONTENT.cached(*parts, compute=compute, timeout=timeout)


def bump_public_version() -> None:
    """Every cached page is stale (marketplace.cache_versions: now and again after the commit)."""
    PUBLIC_CONTENT.bump()


def _content_written(sender: Any, **kwargs: Any) -> None:
    if sender._meta.app_label in CONTENT_APPS or sender._meta.label_lower in CONTENT_MODELS:
        bump_public_version()


def connect() -> None:
    post_save.connect(_content_written, dispatch_uid="page_cache.saved")
    post_delete.connect(_content_written, dispatch_uid="page_cache.deleted")


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and CACHED_PATHS.match(request.path) is not None
        and not (set(request.COOKIES) - {settings.LANGUAGE_COOKIE_NAME})
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        prefix = f"pages:{public_version()}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        if key is not None:
            cached: HttpResponse | None = cache.get(key)
            if cached is not None:
                return cached
        response = self.get_response(request)
        if _cacheable_response(request, response):
            timeout = settings.PAGE_CACHE_SECONDS
            key = learn_cache_key(request, response, timeout, prefix, cache=cache)
            cache.set(key, response, timeout)
        return response
