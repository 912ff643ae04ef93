import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.organizations.models import Membership, Organization
from tests.browser import screenshot
from tests.factories import UserFactory, valid_uscc

# serialized_rollback keeps Wagtail's root page (created by its migrations) across the flush.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_page_is_chinese_and_switches_to_english(demo, live_server, page: Page):
    # The browser asks for English, but the unprefixed site is Chinese by design.
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("link", name="登录")).to_be_visible()
    screenshot(page, "home-zh")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    screenshot(page, "home-en")

    page.get_by_role("link", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_new_user_signs_in_and_registers_an_organization(live_server, page: Page):
    UserFactory(email="buyer@example.cn")
    page.goto(live_server.url + "/en/accounts/login/")
    page.get_by_label("Email").fill("buyer@example.cn")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", name="Create or join an organization")).to_be_visible()
    page.locator("#id_create-name").fill("Ningbo Precision Valves Co., Ltd.")
    page.locator("#id_create-uscc").fill(valid_uscc(4242)[:-1] + "0")  # wrong check character
    page.locator("#id_create-province").select_option(label="Zhejiang")
    page.locator("#id_create-city").fill("Ningbo")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator("#id_create-uscc_error")).to_contain_text("check character")
    screenshot(page, "org-register-error")

    page.locator("#id_create-uscc").fill(valid_uscc(4242))
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("heading", name="Ningbo Precision Valves Co., Ltd.")).to_be_visible()
    screenshot(page, "org-detail")
    org = Organization.objects.get(uscc=valid_uscc(4242))
    assert Membership.objects.get(organization=org).user.email == "buyer@example.cn"
