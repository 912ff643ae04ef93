"""The search page in a real browser: htmx swaps results in place, the URL follows, back restores."""

import re

import pytest
from playwright.sync_api import expect

from search import api
from tests.browser import screenshot
from tests.factories import search_catalog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _indexed_catalog(db):
    search_catalog()
    api.rebuild_index()


def test_facet_click_updates_results_and_url_without_reload_and_back_restores(page, live_server):
    page.goto(f"{live_server.url}/search/?q=%E8%AF%95%E9%AA%8C")
    page.evaluate("window.__sameDocument = true")
    assert page.locator(".search-hit").count() == 4
    page.get_by_role("link", name="江苏省").click()
    page.wait_for_url("**province=**")
    expect(page.locator(".search-hit")).to_have_count(2)
    assert page.evaluate("window.__sameDocument") is True  # swapped in place, no full reload
    page.select_option("select[name=sort]", "price_desc")
    page.wait_for_url("**sort=price_desc**")
    expect(page.locator(".search-hit h3").first).to_contain_text("气动阀门")
    assert "province=" in page.url
    page.go_back()
    expect(page).not_to_have_url(re.compile("sort="))
    page.go_back()
    expect(page.locator(".search-hit")).to_have_count(4)
    screenshot(page, "search-page")


def test_search_box_offers_suggestions(page, live_server):
    page.goto(f"{live_server.url}/search/")
    page.fill("#search-q", "GB/T 22")
    expect(page.locator("#search-suggestions option").first).to_have_attribute("value", "GB/T 228.1-2021")
