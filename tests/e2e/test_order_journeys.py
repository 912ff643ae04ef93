"""The quote-to-report journey in a real browser: an SME and a center, each in its own session, by what they see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from marketplace.organizations.models import Organization
from orders.models import Order
from tests.browser import screenshot
from tests.factories import MembershipFactory, ProviderFactory, ServiceFactory
from tests.orders.conftest import PDF_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery"


def _session(browser: Browser, live_url: str, email: str, width: int = 1280) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_url + "/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name="My orders")).to_be_visible()
    return page


def test_sme_asks_for_a_quote_and_receives_a_verifiable_report(live_server, browser: Browser, tmp_path: Path):
    provider = ProviderFactory(name_en="Ningbo Pneumatic Test Center")
    provider_member = MembershipFactory(organization=provider.organization, user__email="lab@example.cn")
    buyer = MembershipFactory(organization__kind=Organization.Kind.ENTERPRISE, user__email="buyer@example.cn")
    service = ServiceFactory(
        provider=provider, title_en="Pneumatic cylinder reliability test", pricing_mode="quote_only", price=None
    )
    assert provider_member and buyer

    sme = _session(browser, live_server.url, "buyer@example.cn")
    sme.goto(live_server.url + service.get_absolute_url().replace("/catalog/", "/en/catalog/", 1))
    sme.get_by_role("link", name="Request a quote").click()
    sme.get_by_label("Number of samples or items").fill("3")
    sme.get_by_label("Samples and what should be tested").fill("SC63 cylinders, 3 pieces, ISO 19973-3 reliability")
    drawing = tmp_path / "drawing.pdf"
    drawing.write_bytes(PDF_BYTES)
    sme.get_by_label("Attachments").set_input_files(str(drawing))
    sme.get_by_role("button", name="Send request").click()
    expect(sme.get_by_role("heading", name=re.compile(r"Quote request QR-"))).to_be_visible()
    expect(sme.get_by_role("link", name="drawing.pdf")).to_be_visible()
    request_number = re.search(r"QR-\d{8}-\d{6}", sme.title()).group(0)  # type: ignore[union-attr]

    lab = _session(browser, live_server.url, "lab@example.cn")
    lab.get_by_role("link", name="Incoming orders").click()
    lab.get_by_role("link", name="Quote requests").click()
    lab.get_by_role("link", name=request_number).click()
    lab.get_by_role("link", name="Write a quote").click()
    lab.get_by_label("Unit price (CNY) 1").fill("7800")
    lab.get_by_role("button", name="Add a line").click()
    lab.locator("#id_lines-1-description").fill("Mounting fixture")
    lab.locator("#id_lines-1-quantity").fill("1")
    lab.locator("#id_lines-1-unit_price").fill("1500")
    lab.get_by_role("button", name="Send quote").click()
    expect(lab.get_by_text("Quote version 1 sent.")).to_be_visible()

    sme.reload()
    expect(sme.get_by_role("heading", name=re.compile("Quote, version 1"))).to_be_visible()
    with sme.expect_download() as download:
        sme.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == f"{request_number}-v1.pdf"
    screenshot(sme, "journey-quote-received")
    sme.get_by_role("button", name="Accept and order").click()
    expect(sme.get_by_text("is waiting for payment")).to_be_visible()
    order = Order.objects.get()
    assert order.total == 26394  # (3 × 7,800 + 1,500) + 6 % VAT

    lab.goto(live_server.url + "/en/orders/incoming/")
    lab.get_by_role("link", name=order.number).click()
    lab.get_by_label("Bank reference").fill("ICBC 20261124-0042")  # amount and date come prefilled
    lab.get_by_role("button", name="Confirm payment received").click()
    expect(lab.get_by_text("is paid.")).to_be_visible()
    lab.get_by_label("Condition on arrival").fill("3 cylinders, intact")
    lab.get_by_role("button", name="Sample received").click()
    lab.get_by_role("button", name="Start work").click()
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF_BYTES)
    lab.get_by_label("Report number").fill("NPQC-2026-0001")
    lab.get_by_label("Signed report (PDF)").set_input_files(str(report))
    lab.get_by_role("button", name="Issue report").click()
    expect(lab.get_by_text("Report issued. The buyer can download it now.")).to_be_visible()
    screenshot(lab, "journey-report-issued-provider")

    sme.goto(live_server.url + order.get_absolute_url().replace("/orders/", "/en/orders/", 1))
    with sme.expect_download() as download:
        sme.get_by_role("link", name="report.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF_BYTES
    sme.get_by_role("button", name="Accept the report and complete").click()
    sme.get_by_text("★★★★★", exact=True).click()
    sme.get_by_label("Comment").fill("Clear report, delivered on time.")
    sme.get_by_role("button", name="Post review").click()
    expect(sme.get_by_text("Thank you for your review.")).to_be_visible()
    timeline = sme.locator("ol.timeline")
    for step in [
        "Quote requested",
        "Quote sent",
        "Quote accepted",
        "Payment received",
        "Report issued",
        "Order completed",
    ]:
        expect(timeline).to_contain_text(step)
    screenshot(sme, "journey-order-completed")

    # Anyone holding the report checks it on the public verification page.
    verify_link = sme.locator("figure.qr a")
    visitor = browser.new_page(viewport={"width": 390, "height": 844})
    visitor.goto(verify_link.get_attribute("href") or "")
    expect(visitor.get_by_text("NPQC-2026-0001")).to_be_visible()
    visitor.get_by_label("Report PDF").set_input_files(str(report))
    visitor.get_by_role("button", name="Compare").click()
    expect(visitor.get_by_text("Match.")).to_be_visible()
    screenshot(visitor, "journey-verify-phone")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    visitor.close()
    sme.context.close()
    lab.context.close()
