"""Response headers and cookies: a strict Content-Security-Policy, a Permissions-Policy, cookie flags, and the
small public files (robots.txt, favicon) and error pages every site is expected to have."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from marketplace.security import SecurityHeadersMiddleware, content_security_policy
from marketplace.views import server_error
from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def test_public_pages_forbid_inline_scripts_eval_plugins_and_framing(client):
    response = client.get("/en/search/?q=tensile")
    policy = _directives(response["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive] and "'unsafe-eval'" not in policy[directive]
        assert policy[directive][0] == "'self'"
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_stripe_is_the_only_other_script_origin(settings):
    settings.STRIPE_API_BASE = ""
    policy = _directives(content_security_policy("/orders/SO-1/pay/"))
    assert policy["script-src"] == ["'self'", "https://js.stripe.com"]
    assert policy["connect-src"] == ["'self'", "https://api.stripe.com"]
    settings.STRIPE_API_BASE = "http://127.0.0.1:8420"  # localstripe in development and tests
    policy = _directives(content_security_policy("/orders/SO-1/pay/"))
    assert policy["script-src"] == ["'self'", "http://127.0.0.1:8420"]


def test_uploads_on_another_host_are_allowed_as_images_only(settings):
    settings.MEDIA_URL = "https://files.example.cn/media/"
    policy = _directives(content_security_policy("/"))
    assert "https://files.example.cn" in policy["img-src"]
    assert "https://files.example.cn" not in policy["connect-src"]


def test_the_admin_interfaces_get_their_relaxed_policy(client):
    for url in ("/cms-admin/login/", "/admin/login/"):
        policy = _directives(client.get(url)["Content-Security-Policy"])
        assert "'unsafe-inline'" in policy["script-src"]
        assert policy["frame-ancestors"] == ["'self'"]  # Wagtail's preview frames our own pages
        assert policy["default-src"] == ["'self'"]


def test_a_response_with_its_own_policy_keeps_it():
    request = RequestFactory().get("/documents/1/report.pdf")
    response = HttpResponse()
    response["Content-Security-Policy"] = "default-src 'none'"
    assert SecurityHeadersMiddleware(lambda r: response)(request)["Content-Security-Policy"] == "default-src 'none'"


def test_production_language_cookie_is_secure_http_only_and_same_site(production, client, settings):
    assert production.LANGUAGE_COOKIE_SECURE is True
    assert production.LANGUAGE_COOKIE_HTTPONLY is True and production.LANGUAGE_COOKIE_SAMESITE == "Lax"
    settings.LANGUAGE_COOKIE_SECURE = production.LANGUAGE_COOKIE_SECURE
    cookie = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"}).cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_anonymous_catalog_pages_set_no_csrf_cookie_but_forms_do(client, settings):
    service = ServiceFactory()
    for url in ("/en/search/?q=tensile", service.get_absolute_url(), "/catalog/categories/"):
        response = client.get(url)
        assert response.status_code == 200
        assert settings.CSRF_COOKIE_NAME not in response.cookies, url
        assert "data-hx-headers" not in response.content.decode()
    assert settings.CSRF_COOKIE_NAME in client.get("/en/accounts/login/").cookies


def test_signed_in_pages_give_htmx_the_csrf_token(client):
    client.force_login(UserFactory())
    html = client.get("/en/search/").content.decode()
    assert re.search(r"data-hx-headers='\{\"X-CSRFToken\": \"\w+\"\}'", html)


def test_language_switch_links_to_the_same_page_in_the_other_language(client):
    html = client.get("/en/search/?q=tensile").content.decode()
    assert '<a href="/search/?q=tensile" hreflang="zh-Hans" lang="zh-hans">简体中文</a>' in html
    assert '<span lang="en" aria-current="true">English</span>' in html


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_names_the_public_sitemap(client, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://market.example.cn"
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    for prefix in ("/admin/", "/accounts/", "/en/accounts/", "/orders/", "/operations/", "/search/api/"):
        assert f"Disallow: {prefix}" in lines
    assert "Disallow: /catalog/" not in lines and "Disallow: /search/" not in lines
    assert "Sitemap: https://market.example.cn/sitemap.xml" in lines


def test_favicon_ico_exists_and_the_root_path_points_at_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".ico")
    assert finders.find("favicon.ico") and finders.find("favicon.svg")


def test_sitemap_uses_the_public_address_whatever_host_the_request_came_on(client, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://market.example.cn"
    service = ServiceFactory()
    xml = client.get("/sitemap.xml", HTTP_HOST="10.0.0.7:8000").content.decode()
    assert f"<loc>https://market.example.cn{service.get_absolute_url()}</loc>" in xml
    assert "10.0.0.7" not in xml


@pytest.mark.parametrize(
    ("prefix", "heading", "search_label"),
    [("", "页面不存在", "搜索"), ("/en", "Page not found", "Search")],
)
def test_not_found_page_is_designed_in_both_languages(client, prefix, heading, search_label):
    response = client.get(f"{prefix}/catalog/providers/no-such-center/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<h1 id="error-title">{heading}</h1>' in html
    assert 'class="site-header"' in html and 'role="search"' in html and 'name="q"' in html
    assert f'<button type="submit" class="button">{search_label}</button>' in html


@pytest.mark.parametrize(
    ("language", "heading"), [("zh-hans", "服务器出了点问题"), ("en", "Something went wrong on our side")]
)
def test_server_error_page_is_designed_and_needs_no_database(language, heading, django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert heading in html and 'role="search"' in html and 'class="site-header"' in html
