"""The search page in a real browser: htmx swaps results in place, the URL follows, back restores."""

import pytest

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
    page.wait_for_function("document.querySelectorAll('.search-hit').length === 2")
    assert page.evaluate("window.__sameDocument") is True  # swapped in place, no full reload
    page.select_option("select[name=sort]", "price_desc")
    page.wait_for_url("**sort=price_desc**")
    page.wait_for_function("document.querySelector('.search-hit h3').textContent.includes('气动阀门')")
    assert "province=" in page.url
    page.go_back()
    page.wait_for_function("!location.search.includes('sort=')")
    page.go_back()
    page.wait_for_function("document.querySelectorAll('.search-hit').length === 4")
    screenshot(page, "search-page")


def test_search_box_offers_suggestions(page, live_server):
    page.goto(f"{live_server.url}/search/")
    page.fill("#search-q", "GB/T 22")
    page.wait_for_function("document.querySelectorAll('#search-suggestions option').length > 0")
    assert page.locator("#search-suggestions option").first.get_attribute("value") == "GB/T 228.1-2021"
