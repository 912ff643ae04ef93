import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Pages for people signed in, forms and machine endpoints: nothing a search engine should crawl.
ROBOTS_DISALLOWED = (
    "/admin/",
    "/cms-admin/",
    "/accounts/",
    "/org/",
    "/notifications/",
    "/apply/",
    "/operations/",
    "/orders/",
    "/verify/",
    "/search/api/",
    "/i18n/",
    "/payments/",
)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness + database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl the public catalog and CMS, not accounts, orders or the admin; point at the sitemap on the public host."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    lines = ["User-agent: *"]
    for prefix in ROBOTS_DISALLOWED:
        lines.append(f"Disallow: {prefix}")
        if prefix not in ("/admin/", "/cms-admin/", "/i18n/", "/payments/"):
            lines.append(f"Disallow: /en{prefix}")
    lines.append(f"Sitemap: {base}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers and crawlers ask for /favicon.ico whatever the page says; send them to the static file."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def server_error(request: HttpRequest) -> HttpResponse:
    """The designed 500 page in the request's language, rendered without context processors.

    Nothing here may need the database or the cache: either may be what failed.
    """
    try:
        return HttpResponseServerError(render_to_string("500.html"))
    except Exception:
        logger.exception("the 500 page itself failed to render")
        return HttpResponseServerError("<h1>Server Error (500)</h1>")
