"""Every public GET page answers hostile query parameters without a server error (issue 16, "Must show").

The pages come from the URLconf itself: a pattern that is neither crawled here nor listed as private
fails `test_every_url_pattern_is_crawled_or_private`, so a new public page cannot be forgotten. The
parameters come from the views themselves: `request.GET` records every name a view reads (a first
request with no parameter of interest discovers them). In Chinese each of those names then gets every
hostile value on its own and as repeated keys; every page, in Chinese and under /en/, also gets the
values on all its names (and a few common ones) at once."""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIRequest, get_bytes_from_wsgi
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.functional import cached_property
from wagtail.models import Page as WagtailPage
from wagtail.models import Site

from cms.models import BulletinIndexPage, BulletinPage, HomePage
from orders.models import BookingPolicy
from search import api
from tests.factories import search_catalog

HOSTILE = [
    "abc",  # not a number
    "1.5",
    "-1",
    "0",
    "99999999",
    "9" * 40,  # beyond any integer column
    "1e400",  # beyond any decimal
    "NaN",
    " ",
    "",
    "\x00",
    "x" * 10_000,
    "浙江省🚀\u202e\ufeff\u200b",  # Chinese, emoji, right-to-left override, BOM, zero-width space
    "<script>'\"%_--//evil.example/",  # markup, quotes, LIKE wildcards, SQL comment, a foreign URL
]
REPEATED = [["1", "abc"], ["abc", "\x00"]]  # Django reads the last value: valid last, then invalid last
# A page that reads no parameter still gets these on every name below (middleware and templates see them).
COMMON = {"page", "q", "next", "category"}
LIGHT = ["x" * 10_000, "\x00", "🚀\u202e", "9" * 40, "abc"]


class RecordingQueryDict(QueryDict):
    """A request's GET that notes every parameter name a view asks for."""

    reads: set[str] | None = None  # set once parsed: parsing itself asks for every name in the query string

    def _note(self, key: object) -> None:
        if self.reads is not None:
            self.reads.add(str(key))

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return super().get(key, default)

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)


@pytest.fixture
def reads(monkeypatch) -> set[str]:
    """The names views read from request.GET since the set was last cleared."""
    names: set[str] = set()

    def get(request: WSGIRequest) -> QueryDict:
        query = RecordingQueryDict(get_bytes_from_wsgi(request.environ, "QUERY_STRING", ""), encoding=request.encoding)
        query.reads = names
        return query

    prop = cached_property(get)
    prop.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", prop)
    return names


# --- the URLconf ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # the patterns from the root down, as written: "catalog/providers/<slug:slug>/"
    i18n: bool  # inside i18n_patterns: crawled in Chinese and under /en/


def routes() -> Iterator[Route]:
    """Every URL pattern of the site."""

    def walk(patterns: list[Any], prefix: str, i18n: bool) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(
                    p.url_patterns, prefix + str(p.pattern), i18n or isinstance(p.pattern, LocalePrefixPattern)
                )
            elif isinstance(p, URLPattern):
                yield Route(prefix + str(p.pattern), i18n)

    yield from walk(get_resolver().url_patterns, "", False)


@dataclass(frozen=True)
class Public:
    path: Callable[[dict[str, Any]], str]  # the site data -> a concrete path, in the active language
    statuses: frozenset[int] = frozenset({200})
    headers: tuple[dict[str, str], ...] = field(default=({},))


def named(name: str, **kwargs: Any) -> Callable[[dict[str, Any]], str]:
    return lambda data: reverse(name, kwargs={k: v(data) if callable(v) else v for k, v in kwargs.items()})


OK_OR_400 = frozenset({200, 400})
NOT_FOUND = frozenset({404})
REDIRECT = frozenset({302})
HTMX: tuple[dict[str, str], ...] = ({}, {"HX-Request": "true"})

PUBLIC: dict[str, Public] = {
    "healthz": Public(named("healthz")),
    "robots.txt": Public(named("robots-txt")),
    "favicon.ico": Public(named("favicon"), frozenset({301})),
    "sitemap.xml": Public(named("sitemap"), frozenset({200, 404})),  # ?p= beyond the last page is a 404
    "i18n/setlang/": Public(named("set_language"), frozenset({200, 204, 302})),
    "": Public(named("home")),
    "search/": Public(named("search:search"), headers=HTMX),
    "search/suggest": Public(named("search:suggest-options")),
    "search/api/services": Public(named("search:api-services"), OK_OR_400),
    "search/api/suggest": Public(named("search:api-suggest"), OK_OR_400),
    "catalog/providers/": Public(named("catalog:provider-list")),
    "catalog/providers/<slug:slug>/": Public(named("catalog:provider-detail", slug=lambda d: d["provider"].slug)),
    "catalog/providers/<slug:provider>/services/<slug:slug>/": Public(lambda d: d["service"].get_absolute_url()),
    "catalog/categories/": Public(named("catalog:category-list")),
    "standards/<path:code>/": Public(named("standard", code="GB/T 228.1")),
    "catalog/categories/<slug:slug>/": Public(named("catalog:category-detail", slug="testing")),
    "orders/reviews/service/<int:pk>/": Public(named("orders:service-reviews", pk=lambda d: d["service"].pk)),
    "orders/reviews/provider/<int:pk>/": Public(named("orders:provider-reviews", pk=lambda d: d["provider"].pk)),
    "orders/equipment/<int:pk>/": Public(
        named("orders:equipment-calendar", pk=lambda d: d["equipment"].pk), headers=HTMX
    ),
    "orders/equipment/<int:pk>/feed/<str:token>.ics": Public(
        named("orders:equipment-feed", pk=lambda d: d["equipment"].pk, token=lambda d: d["feed_token"])
    ),
    "verify/": Public(named("verify:start"), frozenset({200, 404})),  # a well-formed code of no report: 404
    "verify/<str:code>/": Public(named("verify:code", code="NO-SUCH-CODE"), NOT_FOUND),
    "bulletins/feed/rss/": Public(named("cms:bulletin-feed-rss")),
    "bulletins/feed/rss/<slug:category>/": Public(named("cms:bulletin-feed-rss-category", category="notice")),
    "bulletins/feed/atom/": Public(named("cms:bulletin-feed-atom")),
    "bulletins/feed/atom/<slug:category>/": Public(named("cms:bulletin-feed-atom-category", category="policy")),
    # Wagtail's catch-all: the bulletin index (reads ?category= and ?page=) and a bulletin.
    r"^(?!(?:en)/)((?:[\w\-]+/)*)$": Public(lambda d: d["index"].get_url()),
    "wagtail bulletin page": Public(lambda d: d["bulletin"].get_url()),
    "_util/login/": Public(named("wagtailcore_login")),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": Public(
        named("wagtailcore_authenticate_with_password", page_view_restriction_id=999999, page_id=999999), NOT_FOUND
    ),
    r"documents/^(\d+)/(.*)$": Public(lambda d: reverse("wagtaildocs_serve", args=(999999, "x.pdf")), NOT_FOUND),
    "documents/authenticate_with_password/<int:restriction_id>/": Public(
        named("wagtaildocs_authenticate_with_password", restriction_id=999999), NOT_FOUND
    ),
    # Sign-in pages anyone can open (they read ?next=).
    "accounts/login/": Public(named("account_login")),
    "accounts/signup/": Public(named("account_signup")),
    "accounts/logout/": Public(named("account_logout"), REDIRECT),
    "accounts/inactive/": Public(named("account_inactive")),
    "accounts/confirm-email/": Public(named("account_email_verification_sent")),
    "accounts/password/reset/": Public(named("account_reset_password")),
    "accounts/password/reset/done/": Public(named("account_reset_password_done")),
    "accounts/password/reset/key/done/": Public(named("account_reset_password_from_key_done")),
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": Public(
        named("account_confirm_email", key="no-such-key"), frozenset({200, 404})
    ),
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Public(
        named("account_reset_password_from_key", uidb36="zz", key="no-such-key")
    ),
}

PRIVATE = {  # route prefix -> why the crawl leaves it out
    "admin/": "Django admin: staff only",
    "cms-admin/": "Wagtail admin: editors only",
    "org/": "organization pages: signed-in users only",
    "catalog/dashboard/": "provider dashboard: signed-in members only",
    "orders/": "quotes, orders, payments, bookings: signed-in parties only (the public pages above are crawled)",
    "notifications/": "signed-in users only",
    "apply/": "provider applications: signed-in members only",
    "operations/": "operator console: operators only (its filters get hostile values in tests/operations)",
    "payments/": "payment webhook: POST only, signed by the payment provider",
    "accounts/reauthenticate/": "signed-in users only",
    "accounts/email/": "signed-in users only",
    "accounts/password/change/": "signed-in users only",
    "accounts/password/set/": "signed-in users only",
    "accounts/login/code/confirm/": "only in the middle of a sign-in by code",
}


def test_every_url_pattern_is_crawled_or_private():
    unknown = [r.route for r in routes() if r.route not in PUBLIC and not any(r.route.startswith(p) for p in PRIVATE)]
    assert unknown == [], "add these URL patterns to PUBLIC (crawled) or PRIVATE (with the reason)"
    stale = set(PUBLIC) - {r.route for r in routes()} - {"wagtail bulletin page"}
    assert stale == set()


# --- the crawl -----------------------------------------------------------------------------------------


@pytest.fixture
def site(db) -> dict[str, Any]:
    """The search catalog, indexed, with a bookable instrument, under a Wagtail home page with bulletins."""
    data = search_catalog()
    api.rebuild_index()
    home = HomePage(title="首页", title_en="Home", slug="crawl-home", hero_title="技术服务")
    WagtailPage.get_first_root_node().add_child(instance=home)
    Site.objects.filter(is_default_site=True).update(root_page=home)
    index = BulletinIndexPage(title="公告与资讯", title_en="Bulletins", slug="bulletins")
    home.add_child(instance=index)
    bulletin = BulletinPage(
        title="测试公告", title_en="Test bulletin", slug="notice-1", category="notice", date=datetime.date(2026, 1, 5)
    )
    bulletin.body = "<p>正文</p>"
    index.add_child(instance=bulletin)
    bulletin.save_revision().publish()
    service, provider = data["services"]["tensile"], data["providers"]["ningbo"]
    equipment = service.equipment.get()
    policy = BookingPolicy.objects.create(equipment=equipment, hourly_rate=Decimal("100"))
    return {
        "service": service,
        "provider": provider,
        "equipment": equipment,
        "feed_token": policy.feed_token,
        "index": index,
        "bulletin": bulletin,
    }


def variants(read: set[str], *, each_name: bool) -> Iterator[tuple[dict[str, Any], bool]]:
    """(parameters, whether to send them with every header variant): each hostile value on each name the
    view reads (`each_name`), on all of them and the common names at once, then repeated keys."""
    for value in HOSTILE if read and each_name else LIGHT:
        for name in sorted(read) if each_name else ():
            yield {name: value}, False
        yield dict.fromkeys(read | COMMON, value), True
    for values in REPEATED:
        for name in sorted(read) if each_name else ():
            yield {name: values}, False
        yield dict.fromkeys(read | COMMON, values), True


def crawl(client: Client, path: str, page: Public, params: dict[str, Any], every_header: bool, failures: list[str]):
    # One name at a time goes through the view with the last header variant (the search page's htmx
    # partial: the same view code, less template); the values on every name at once get them all.
    for headers in page.headers if every_header else page.headers[-1:]:
        try:
            status = client.get(path, params, headers=headers).status_code
        except Exception as exc:  # the test client re-raises what a view raised: that would be a 500
            status, detail = 500, repr(exc)[:300]
        else:
            detail = ""
        if status not in page.statuses:
            shown = {k: (v[:20] + "…" if isinstance(v, str) and len(v) > 20 else v) for k, v in params.items()}
            failures.append(f"{path} {shown} {headers or ''}: {status} {detail}")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_hostile_query_parameters_never_cause_a_server_error(client, site, reads, language):
    """Non-numeric, fractional, negative, huge, blank, NUL, 10 KB, unicode and repeated values on every page.

    Each name gets each value on its own in Chinese; under /en/ (the same views, another language
    rendering them) every page gets the values on all its names at once, which keeps the crawl fast.
    """
    failures: list[str] = []
    discovered: dict[str, set[str]] = {}
    crawled = {r.route: r for r in routes() if r.route in PUBLIC}
    for route, page in PUBLIC.items():
        if route in crawled and language == "en" and not crawled[route].i18n:
            continue  # not under /en/: crawled once, in the Chinese run
        with translation.override(language):
            path = page.path(site)
        reads.clear()
        client.get(path, {"_probe": "1"})
        discovered[path] = reads - {"_probe"}
        for params, every_header in variants(discovered[path], each_name=language != "en"):
            crawl(client, path, page, params, every_header, failures)
    assert failures == []
    # The recording works: the search page was seen reading its filters, the bulletin index its category.
    with translation.override(language):
        search_path, index_path = reverse("search:search"), site["index"].get_url()
    assert {"q", "category", "field", "max_turnaround", "price_min", "sort", "page_size"} <= discovered[search_path]
    assert "category" in discovered[index_path]
