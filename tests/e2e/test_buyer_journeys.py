"""The SME's journeys on the demo site, end to end in real Chromium: find, book and pay by card (3-D Secure,
webhook from localstripe), then receive, verify and review the report; and the quote-to-bank-transfer journey.

Only what users see is used; every page is watched (console errors, CSP violations) and checked with axe-core,
and key steps are photographed at 1366 and 390 px into test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, expect

from orders.payments import stripe_client
from tests.browser import check_page, open_page
from tests.e2e.steps import confirm_transfer, demo_session, issue_report, order_number
from tests.orders.conftest import PDF_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def webhooks(demo, live_server) -> None:
    """localstripe delivers its events to this live server, as Stripe does in production."""
    stripe_client.register_local_webhook(live_server.url + "/payments/stripe/webhook/")


def test_sme_finds_books_pays_by_card_and_reviews(webhooks, live_server, browser: Browser, tmp_path: Path):
    base = live_server.url
    service = "金属材料高温拉伸试验"
    sme = demo_session(browser, base, "sme@demo.cn")

    # Search in English once, then in Chinese from the home page, narrowed by two facets.
    sme.goto(base + "/en/")
    sme.get_by_label("Search services, centers and bulletins").fill("tensile test")
    sme.get_by_label("Search services, centers and bulletins").press("Enter")
    expect(sme.get_by_role("link", name="Elevated-temperature tensile test of metals")).to_be_visible()
    check_page(sme, "journey-sme-search-en")
    sme.get_by_role("link", name="简体中文").click()
    sme.get_by_role("link", name="首页").first.click()
    sme.get_by_label("搜索服务、创新中心和公告").fill("拉伸")
    sme.get_by_role("button", name="搜索").click()
    sme.get_by_role("link", name="黑龙江省").click()
    expect(sme).to_have_url(re.compile("province="))
    sme.get_by_role("link", name="可按小时预约").click()
    expect(sme).to_have_url(re.compile("bookable=true"))
    check_page(sme, "journey-sme-search-facets")
    sme.get_by_role("link", name=service).click()
    expect(sme.get_by_role("heading", name=service, level=1)).to_be_visible()

    # The service in English; book two hours of its instrument next week.
    sme.get_by_role("link", name="English").click()
    check_page(sme, "journey-sme-service")
    sme.get_by_role("link", name="Book time").first.click()
    this_week = sme.locator(".calendar-nav strong").inner_text()
    sme.get_by_role("link", name=re.compile("Next week")).click()  # htmx swaps the week in place
    expect(sme.locator(".calendar-nav strong")).not_to_have_text(this_week)
    sme.get_by_role("radio").first.check()
    check_page(sme, "journey-sme-calendar")
    sme.get_by_label("Hours").select_option("2")
    sme.get_by_role("button", name="Book").click()
    number = order_number(sme)

    # Card payment with a 3-D Secure card; the page learns of the payment from Stripe's webhook.
    sme.get_by_role("link", name="Pay by card").click()
    sme.locator("#card-element input[placeholder=number]").fill("4000002760003184")
    sme.locator("#card-element input[placeholder=exp_month]").fill("12")
    sme.locator("#card-element input[placeholder=exp_year]").fill("30")
    sme.locator("#card-element input[placeholder=cvc]").fill("123")
    sme.locator("#card-element input[placeholder=postal_code]").fill("315000")
    check_page(sme, "journey-sme-checkout")
    sme.get_by_role("button", name=re.compile(r"^Pay ¥")).click()
    sme.get_by_role("button", name="Complete authentication").click()  # localstripe's 3-D Secure challenge
    expect(sme.get_by_text("Paid.")).to_be_visible()
    check_page(sme, "journey-sme-paid")

    # The center does its part; the SME downloads the report, checks it on the verification page, reviews.
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF_BYTES)
    center = demo_session(browser, base, "harbin@demo.cn")
    center.get_by_role("link", name="Incoming orders").click()
    center.get_by_role("link", name=number).click()
    issue_report(center, report, "HPE-2026-0042", "5 specimens, intact")

    sme.get_by_role("link", name="My orders").click()
    sme.get_by_role("link", name=number).click()
    with sme.expect_download() as download:
        sme.get_by_role("link", name="report.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF_BYTES
    verify_url = sme.locator("figure.qr a").get_attribute("href") or ""
    checker = open_page(browser, width=390)
    checker.goto(verify_url)
    expect(checker.get_by_text("HPE-2026-0042")).to_be_visible()
    checker.get_by_label("Report PDF").set_input_files(str(report))
    checker.get_by_role("button", name="Compare").click()
    expect(checker.get_by_text("Match.")).to_be_visible()
    assert checker.evaluate("document.documentElement.scrollWidth") <= 390  # fits a phone
    check_page(checker, "journey-sme-verify")

    sme.get_by_role("button", name="Accept the report and complete").click()
    sme.get_by_text("★★★★★", exact=True).click()
    sme.get_by_label("Comment").fill("Precise high-temperature results, booked and paid online in minutes.")
    sme.get_by_role("button", name="Post review").click()
    expect(sme.get_by_text("Thank you for your review.")).to_be_visible()
    check_page(sme, "journey-sme-reviewed")
    for page in (sme, center, checker):
        page.context.close()


def test_sme_asks_for_a_quote_and_pays_by_bank_transfer_with_fapiao(webhooks, live_server, browser: Browser, tmp_path):
    base = live_server.url
    mail.outbox.clear()
    sme = demo_session(browser, base, "sme@demo.cn")

    # The SME finds the center in the directory and asks one of its services for a quote, with a drawing.
    sme.get_by_role("link", name="Centers & platforms").click()
    sme.get_by_role("link", name="National Pneumatic Product Quality Supervision and Inspection Center").click()
    sme.get_by_role("link", name="Solenoid valve performance test").click()
    sme.get_by_role("link", name="Request a quote").click()
    sme.get_by_label("Number of samples or items").fill("4")
    sme.get_by_label("Samples and what should be tested").fill(
        "DN15 solenoid valves, 4 pieces: response time and leakage"
    )
    drawing = tmp_path / "valve-drawing.pdf"
    drawing.write_bytes(PDF_BYTES)
    sme.get_by_label("Attachments").set_input_files(str(drawing))
    check_page(sme, "journey-quote-request")
    sme.get_by_role("button", name="Send request").click()
    request_heading = sme.get_by_role("heading", name=re.compile(r"Quote request QR-\d{8}-\d{6}"))
    expect(request_heading).to_be_visible()
    request_number = re.search(r"QR-\d{8}-\d{6}", request_heading.inner_text()).group(0)  # type: ignore[union-attr]

    # The center answers with a quote.
    center = demo_session(browser, base, "inspector@demo.cn")
    center.get_by_role("link", name="Incoming orders").click()
    center.get_by_role("link", name="Quote requests").click()
    center.get_by_role("link", name=request_number).click()
    expect(center.get_by_role("link", name="valve-drawing.pdf")).to_be_visible()
    center.get_by_role("link", name="Write a quote").click()
    center.get_by_label("Unit price (CNY) 1").fill("1200")
    check_page(center, "journey-quote-writing")
    center.get_by_role("button", name="Send quote").click()
    expect(center.get_by_text("Quote version 1 sent.")).to_be_visible()

    # The SME downloads the quote PDF, accepts it and gives its invoice details while it pays by transfer.
    sme.reload()
    with sme.expect_download() as download:
        sme.get_by_role("link", name="Download PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    sme.get_by_role("button", name="Accept and order").click()
    number = order_number(sme)
    expect(sme.get_by_text("Pay by bank transfer")).to_be_visible()
    sme.get_by_label("Invoice type").select_option("special")
    sme.get_by_label("Registered address and phone").fill("宁波市奉化区气动路 8 号 0574-8888 1234")
    sme.get_by_label("Bank and account number").fill("中国工商银行宁波奉化支行 3901 0000 0000 1234")
    sme.get_by_role("button", name="Save invoice details").click()
    expect(sme.get_by_role("definition").filter(has_text="Special VAT invoice")).to_be_visible()
    check_page(sme, "journey-quote-order-transfer")

    # The center confirms the money arrived; both sides see it on the timeline and got e-mails.
    confirm_transfer(center, number, "ICBC 20261203-0777")
    expect(center.get_by_role("definition").filter(has_text="Special VAT invoice")).to_be_visible()
    check_page(center, "journey-quote-paid-center")
    sme.reload()
    timeline = sme.locator("ol.timeline")
    for step in ("Quote requested", "Quote sent", "Quote accepted", "Payment received"):
        expect(timeline).to_contain_text(step)
    check_page(sme, "journey-quote-paid-sme")

    to_sme = [m for m in mail.outbox if "sme@demo.cn" in m.to]
    to_center = [m for m in mail.outbox if "inspector@demo.cn" in m.to]
    assert any(request_number in str(m.subject) + m.body for m in to_center)  # the new request
    assert any(request_number in str(m.subject) + m.body for m in to_sme)  # the quote
    assert any(number in str(m.subject) + m.body for m in to_sme)  # the payment confirmation
    for page in (sme, center):
        page.context.close()
