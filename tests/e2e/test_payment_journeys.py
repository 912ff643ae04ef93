"""Card payment in headless Chromium: localstripe's fake Stripe.js, 3-D Secure, and a webhook it signs and delivers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from orders.models import Order, Payment
from orders.payments import stripe_client
from tests.browser import assert_clean, screenshot, sign_in
from tests.factories import MembershipFactory, ProviderFactory, ServiceFactory
from tests.orders.conftest import Deal, place_order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def unpaid(live_server, stripe_api, db) -> tuple[Order, Deal]:
    provider = ProviderFactory(name_en="Ningbo Pneumatic Test Center")
    lab = MembershipFactory(organization=provider.organization)
    buyer = MembershipFactory(organization__kind="enterprise", user__email="payer@example.cn")
    service = ServiceFactory(provider=provider, title_en="Tensile test")
    deal = Deal(buyer.organization, buyer.user, provider, lab.user, None, None, None, None, service, None)
    stripe_client.register_local_webhook(live_server.url + "/payments/stripe/webhook/")
    return place_order(deal, quantity=3), deal


def _sign_in_and_open_checkout(browser: Browser, live_url: str, order: Order, width: int = 1280) -> Page:
    page = sign_in(browser, live_url, "payer@example.cn", "correct-horse-battery", width)
    page.set_default_timeout(20_000)
    page.goto(live_url + order.get_absolute_url().replace("/orders/", "/en/orders/", 1))
    page.get_by_role("link", name="Pay by card").click()
    expect(page.get_by_role("heading", name=re.compile(r"Pay ¥"))).to_be_visible()
    return page


def _fill_card(page: Page, number: str) -> None:
    page.locator("#card-element input[placeholder=number]").fill(number)
    page.locator("#card-element input[placeholder=exp_month]").fill("12")
    page.locator("#card-element input[placeholder=exp_year]").fill("30")
    page.locator("#card-element input[placeholder=cvc]").fill("123")
    page.locator("#card-element input[placeholder=postal_code]").fill("315000")


def test_3d_secure_card_payment_is_confirmed_by_the_webhook(live_server, browser: Browser, unpaid):
    order, _deal = unpaid
    page = _sign_in_and_open_checkout(browser, live_server.url, order)
    _fill_card(page, "4000002760003184")
    screenshot(page, "checkout-card")
    page.get_by_role("button", name=re.compile(r"^Pay ¥")).click()
    page.get_by_role("button", name="Complete authentication").click()  # the fake 3-D Secure challenge
    expect(page).to_have_url(re.compile(r"/pay/return/$"))
    expect(page.get_by_text("Paid.")).to_be_visible()  # the page polls until localstripe's webhook lands
    screenshot(page, "checkout-paid")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get(order=order).status == Payment.Status.SUCCEEDED
    assert_clean(page)
    page.context.close()


def test_declined_card_shows_the_message_and_nothing_is_paid(live_server, browser: Browser, unpaid):
    order, _deal = unpaid
    page = _sign_in_and_open_checkout(browser, live_server.url, order, width=390)
    _fill_card(page, "4000000000000341")
    page.get_by_role("button", name=re.compile(r"^Pay ¥")).click()
    expect(page.locator("#card-errors")).to_contain_text("declined")
    expect(page.get_by_role("button", name=re.compile(r"^Pay ¥"))).to_be_enabled()  # the buyer may retry
    screenshot(page, "checkout-declined-phone")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    page.context.close()
