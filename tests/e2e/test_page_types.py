"""Every kind of page, opened in real Chromium on the demo site, in the role that sees it.

Each page must answer with its expected status, log no console error, raise no uncaught exception, trip no
Content-Security-Policy violation and have no serious or critical accessibility violation (axe-core). The
pages users meet first on a phone are also photographed at 390 px for a person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from catalog.models import Provider, ServiceCategory
from catalog.selectors import services_public
from cms.models import BulletinPage
from marketplace.operations.models import ProviderApplication
from orders.booking import bookable_equipment
from orders.models import Order, QuoteRequest
from tests.browser import PHONE, assert_clean, check_accessibility, open_page, screenshot
from tests.e2e.steps import demo_session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _visit(page: Page, base: str, path: str, status: int = 200, phone_shot: str = "") -> None:
    response = page.goto(base + path)
    assert response is not None and response.status == status, f"{path}: {response and response.status}"
    page.wait_for_load_state("networkidle")  # htmx fragments (reviews, suggestions) have loaded
    assert_clean(page)
    check_accessibility(page)
    if phone_shot:
        page.set_viewport_size({"width": PHONE, "height": 844})
        screenshot(page, f"page-{phone_shot}-390")
        page.set_viewport_size({"width": 1366, "height": 900})


def test_public_pages(demo, live_server, browser: Browser):
    service = services_public().filter(equipment__bookable=True).first()
    provider = service.provider
    category = ServiceCategory.objects.filter(parent=None).first()
    bulletin = BulletinPage.objects.live().first()
    page = open_page(browser)
    for path, status, shot in [
        ("/", 200, "home"),
        ("/en/", 200, ""),
        ("/catalog/categories/", 200, "categories"),
        (category.get_absolute_url(), 200, ""),
        ("/en/catalog/providers/", 200, ""),
        (provider.get_absolute_url(), 200, "provider"),
        (service.get_absolute_url(), 200, "service"),
        ("/search/?q=拉伸", 200, "search"),
        (f"/en/search/?q=test&category={category.pk}", 200, ""),
        (bulletin.url, 200, ""),
        (bulletin.get_parent().url, 200, ""),
        ("/en/verify/", 200, ""),
        ("/accounts/login/", 200, ""),
        ("/en/accounts/signup/", 200, ""),
        ("/en/accounts/password/reset/", 200, ""),
        ("/en/catalog/providers/no-such-center/", 404, "not-found"),
    ]:
        _visit(page, live_server.url, path, status, shot)


def test_buyer_pages(demo, live_server, browser: Browser):
    mine = {"buyer__memberships__user__email": "sme@demo.cn"}
    unpaid = Order.objects.filter(status="pending_payment", **mine).first()
    completed = Order.objects.filter(**mine).exclude(pk=unpaid.pk).first()
    quote = QuoteRequest.objects.filter(**mine).first()
    bookable = bookable_equipment().first()
    page = demo_session(browser, live_server.url, "sme@demo.cn")
    for path, shot in [
        ("/en/orders/", "orders"),
        (unpaid.get_absolute_url(), "order"),
        (f"/en/orders/{unpaid.number}/pay/", ""),  # Stripe.js (localstripe's) runs under the policy
        (completed.get_absolute_url(), ""),
        (f"/en/orders/quotes/{quote.number}/", ""),
        (f"/en/orders/equipment/{bookable.pk}/", ""),
        ("/en/notifications/", ""),
        ("/en/org/", ""),
        ("/en/orders/email-preferences/", ""),
    ]:
        _visit(page, live_server.url, path, 200, shot)


def test_provider_pages(demo, live_server, browser: Browser):
    provider = Provider.objects.get(organization__memberships__user__email="provider@demo.cn")
    service = provider.services.first()
    equipment = provider.equipment.first()
    page = demo_session(browser, live_server.url, "provider@demo.cn")
    dashboard = f"/en/catalog/dashboard/{provider.slug}/"
    for path, shot in [
        (dashboard, "dashboard"),
        (f"{dashboard}profile/", ""),
        (f"{dashboard}services/new/", ""),
        (f"{dashboard}services/{service.pk}/", ""),
        (f"{dashboard}services/{service.pk}/archive/", ""),
        (f"{dashboard}equipment/{equipment.pk}/", ""),
        (f"{dashboard}import/", ""),
        ("/en/orders/incoming/", ""),
        ("/en/orders/quotes/incoming/", ""),
        ("/en/orders/incoming/equipment/", ""),
        (f"/en/orders/incoming/equipment/{equipment.pk}/", ""),
    ]:
        _visit(page, live_server.url, path, 200, shot)


def test_operator_pages(demo, live_server, browser: Browser):
    application = ProviderApplication.objects.exclude(status="draft").first()
    page = demo_session(browser, live_server.url, "operator@demo.cn")
    for path in (
        "/en/operations/",
        f"/en/operations/applications/{application.pk}/",
        "/en/operations/providers/",
        "/en/operations/statistics/",  # Chart.js from our static files
        "/operations/statistics/",
    ):
        _visit(page, live_server.url, path)
