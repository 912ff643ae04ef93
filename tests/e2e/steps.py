"""Steps several browser journeys take, by what the users see, on the demo site."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser import sign_in

DEMO_PASSWORD = "demo-pass-2026"  # every demo login's (README)


def demo_session(browser: Browser, base: str, email: str, width: int = 1366) -> Page:
    return sign_in(browser, base, email, DEMO_PASSWORD, width)


def order_number(page: Page) -> str:
    """The number of the order whose page is open (its heading: "Order SO-20261203-000016 …")."""
    heading = page.get_by_role("heading", name=re.compile(r"^Order SO-\d{8}-\d{6}"))
    expect(heading).to_be_visible()
    return re.search(r"SO-\d{8}-\d{6}", heading.inner_text()).group(0)  # type: ignore[union-attr]


def confirm_transfer(center: Page, number: str, reference: str) -> None:
    """The center finds the order among its incoming ones and confirms the bank transfer arrived."""
    center.get_by_role("link", name="Incoming orders").click()
    center.get_by_role("link", name=number).click()
    center.get_by_label("Bank reference").fill(reference)  # amount and date come prefilled
    center.get_by_role("button", name="Confirm payment received").click()
    expect(center.get_by_text("is paid.")).to_be_visible()


def issue_report(center: Page, report: Path, report_number: str, condition: str) -> None:
    """On the open order page of a paid order: sample received, work started, the signed report issued."""
    center.get_by_label("Condition on arrival").fill(condition)
    center.get_by_role("button", name="Sample received").click()
    center.get_by_role("button", name="Start work").click()
    center.get_by_label("Report number").fill(report_number)
    center.get_by_label("Signed report (PDF)").set_input_files(str(report))
    center.get_by_role("button", name="Issue report").click()
    expect(center.get_by_text("Report issued. The buyer can download it now.")).to_be_visible()
