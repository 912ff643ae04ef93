"""The center's, the editor's and the operator's journeys, end to end in real Chromium on the demo site.

Each journey goes only by what its users see (roles, labels, text). Every page it opens is watched (console
errors and CSP violations fail it) and checked with axe-core, and its key steps are photographed at 1366 and
390 px into test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from catalog.models import ServiceCategory
from tests.browser import assert_clean, check_page, open_page
from tests.e2e.steps import DEMO_PASSWORD, confirm_transfer, demo_session, issue_report, order_number
from tests.factories import valid_uscc
from tests.orders.conftest import PDF_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_center_is_listed_publishes_imports_and_delivers_a_report(demo, live_server, browser: Browser, tmp_path: Path):
    base = live_server.url
    leaf = ServiceCategory.objects.filter(parent__isnull=False).order_by("pk").first()
    assert leaf is not None

    # 1. A newly signed-up user registers the center's organization and applies with its documents.
    center = demo_session(browser, base, "newcomer@demo.cn")
    expect(center.get_by_role("heading", name="Create or join an organization")).to_be_visible()
    center.get_by_label("Kind").select_option(label="Service provider")
    center.get_by_label("Name").fill("Zhejiang Fluid Power Innovation Center")
    center.get_by_label("Unified social credit code").fill(valid_uscc(8080))
    center.get_by_label("Province").select_option(label="Zhejiang")
    center.get_by_label("City").fill("Hangzhou")
    center.get_by_role("button", name="Register", exact=True).click()
    expect(center.get_by_role("heading", name="Zhejiang Fluid Power Innovation Center")).to_be_visible()
    center.get_by_role("link", name="Apply to be listed").click()
    check_page(center, "journey-center-apply")
    center.get_by_label("Center level").select_option(label="Provincial manufacturing innovation center")
    center.get_by_label("Approving authority").fill("浙江省经济和信息化厅")
    center.get_by_label("Approval document number").fill("浙经信〔2026〕12号")
    center.get_by_role("textbox", name="Lead organization", exact=True).fill("浙江流体动力研究院")
    center.get_by_role("textbox", name="Contact person", exact=True).fill("陈工")
    center.get_by_label("Contact phone").fill("0571-8888 0000")
    center.get_by_label("Contact e-mail").fill("apply@fluid.example.cn")
    center.get_by_role("button", name="Start the application").click()
    licence = tmp_path / "licence.pdf"
    licence.write_bytes(PDF_BYTES)
    center.get_by_label("Kind").select_option(label="Business licence")
    center.get_by_label("File").set_input_files(str(licence))
    center.get_by_role("button", name="Add document").click()
    center.get_by_label("Kind").select_option(label="Accreditation certificate")
    center.get_by_label("File").set_input_files(str(licence))
    center.get_by_label("Accreditation scheme").select_option(label="CNAS laboratory accreditation")
    center.get_by_label("Certificate number").fill("CNAS L20261")
    center.get_by_label("Valid until").fill("2029-06-30")
    center.get_by_role("button", name="Add document").click()
    center.get_by_role("button", name="Submit for review").click()
    expect(center.get_by_text("Under review.")).to_be_visible()
    check_page(center, "journey-center-submitted")

    # 2. The operator approves it from the review queue.
    operator = demo_session(browser, base, "operator@demo.cn")
    operator.get_by_role("link", name="Operator console").click()
    operator.get_by_role("link", name="Zhejiang Fluid Power Innovation Center").click()
    check_page(operator, "journey-operator-review")
    operator.get_by_label("Approve", exact=True).check()
    operator.get_by_role("button", name="Record decision").click()
    expect(operator.get_by_text("Approved: the provider is listed")).to_be_visible()

    # 3. The center creates a service, fixes what the form refuses, publishes it and finds it in search.
    center.reload()
    center.get_by_role("link", name="Provider dashboard", exact=True).click()
    center.get_by_role("link", name="New service").click()
    center.get_by_label("title (Chinese)").fill("气缸耐久性试验")
    center.get_by_label("title (English)").fill("Cylinder endurance test")
    center.get_by_label("category").select_option(str(leaf.pk))
    center.get_by_label("summary (Chinese)").fill("按 ISO 19973-3 对气缸进行耐久性试验。")
    center.get_by_label("pricing").select_option("per_unit")
    center.get_by_label("turnaround (working days)").fill("10")
    center.get_by_role("button", name="Save").click()
    expect(center.locator(".field-invalid").first).to_contain_text("price")  # a per-unit price needs an amount
    check_page(center, "journey-center-service-error")
    center.get_by_label("price (CNY)").fill("2600")
    center.get_by_label("price unit").fill("件")
    center.get_by_role("button", name="Save").click()
    center.get_by_role("row", name=re.compile("Cylinder endurance test")).get_by_role("button", name="Publish").click()
    expect(center.get_by_text("is now public")).to_be_visible()
    center.get_by_role("link", name="Search", exact=True).click()
    center.get_by_label("Search for a service, test or standard").fill("cylinder endurance")
    center.get_by_role("button", name="Search", exact=True).click()
    expect(center.get_by_role("link", name="Cylinder endurance test")).to_be_visible()

    # 4. It imports two more services from a CSV file, after the preview.
    rows = tmp_path / "services.csv"
    rows.write_text(
        "slug,title_zh,title_en,summary_zh,category,pricing_mode,price,price_unit,turnaround_days,status\n"
        f"valve-leak,电磁阀泄漏检测,Solenoid valve leak test,氦检漏。,{leaf.slug},per_unit,800,件,5,published\n"
        f"fitting-burst,管接头爆破试验,Fitting burst test,,{leaf.slug},quote_only,,,7,draft\n",
        encoding="utf-8",
    )
    center.get_by_role("link", name="Provider dashboard", exact=True).click()
    center.get_by_role("link", name="Import CSV / XLSX").click()
    center.get_by_label("CSV or XLSX file").set_input_files(str(rows))
    center.get_by_role("button", name=re.compile("Upload|Check")).click()
    expect(center.get_by_text("2 rows checked, no errors.")).to_be_visible()
    check_page(center, "journey-center-import-preview")
    center.get_by_role("button", name="Import now").click()
    expect(center.get_by_text("Imported: 2 new services, 0 updated.")).to_be_visible()

    # 5. An SME orders the new service; the center confirms the transfer and delivers the report.
    sme = demo_session(browser, base, "sme@demo.cn")
    sme.get_by_role("link", name="Search", exact=True).click()
    sme.get_by_label("Search for a service, test or standard").fill("Cylinder endurance")
    sme.get_by_role("button", name="Search", exact=True).click()
    sme.get_by_role("link", name="Cylinder endurance test").click()
    sme.get_by_role("link", name="Order now").click()
    sme.get_by_role("button", name="Place order").click()
    number = order_number(sme)
    expect(sme.get_by_role("heading", name=re.compile("Awaiting payment"))).to_be_visible()
    check_page(sme, "journey-center-order-placed")

    confirm_transfer(center, number, "ICBC 20261203-0099")
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF_BYTES)
    issue_report(center, report, "ZJFP-2026-0001", "2 cylinders, intact")
    check_page(center, "journey-center-report-issued")
    for page in (center, operator, sme):
        assert_clean(page)
        page.context.close()


def _cms_sign_in(browser: Browser, base: str, email: str) -> Page:
    """The Wagtail admin, in Chinese as the editors use it."""
    page = open_page(browser, locale="zh-CN")
    page.goto(base + "/cms-admin/login/")
    page.get_by_role("textbox", name=re.compile("电子邮箱")).fill(email)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/cms-admin/$"))
    return page


def test_editor_writes_a_bulletin_a_moderator_publishes_it_and_readers_find_it(demo, live_server, browser: Browser):
    base = live_server.url
    title = "宁波平台新增气动元件寿命试验服务"
    title_en = "Ningbo platform adds life testing of pneumatic components"

    # The editor writes the bulletin under 公告与资讯 and submits it for moderation.
    editor = _cms_sign_in(browser, base, "editor@demo.cn")
    editor.get_by_role("link", name=re.compile(r"\d+ Pages")).click()  # the dashboard's summary: the site's pages
    editor.get_by_role("link", name="查看'公告与资讯'的子页面").click()
    editor.get_by_role("link", name="添加子页面").click()
    field = lambda name: editor.get_by_role("textbox", name=name, exact=True)  # noqa: E731
    field("标题*").fill(title)
    field("标题（英文）").fill(title_en)
    editor.get_by_role("combobox", name=re.compile("类别")).select_option(label="行业动态")
    field("摘要（中文）").fill("平台面向中小企业开放气缸与电磁阀的寿命试验，可在线预约试验台。")
    field("摘要（英文）").fill(
        "Cylinder and solenoid valve life tests are open to SMEs, with test rigs bookable online."
    )
    bodies = editor.locator("[contenteditable=true]")
    bodies.nth(0).click()
    editor.keyboard.type("即日起，企业可在平台上预约气动元件寿命试验台。")
    bodies.nth(1).click()
    editor.keyboard.type("From today, companies can book the pneumatic component life test rigs on the platform.")
    check_page(editor, "journey-editor-writes", accessibility=False)
    editor.get_by_role("button", name="更多动作").click()
    editor.get_by_role("button", name=re.compile("^提交给")).click()
    expect(editor.get_by_text(title).first).to_be_visible()
    assert_clean(editor)

    # The moderator approves it from the dashboard; approval publishes it.
    moderator = _cms_sign_in(browser, base, "moderator@demo.cn")
    expect(moderator.get_by_role("link", name=title)).to_be_visible()
    check_page(moderator, "journey-moderator-dashboard", accessibility=False)
    moderator.get_by_role("button", name="操作").click()
    moderator.get_by_role("button", name="通过", exact=True).click()
    expect(moderator.get_by_role("link", name=title)).to_have_count(0)
    assert_clean(moderator)

    # A reader finds it on the home page and in the RSS feed, reads it in English and switches back.
    reader = open_page(browser, locale="zh-CN")
    reader.goto(base + "/")
    reader.get_by_role("link", name=title).click()
    expect(reader.get_by_role("heading", name=title, level=1)).to_be_visible()
    check_page(reader, "journey-reader-bulletin-zh")
    reader.get_by_role("link", name="English").click()
    expect(reader.get_by_role("heading", name=title_en, level=1)).to_be_visible()
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    check_page(reader, "journey-reader-bulletin-en")
    reader.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Bulletins").click()
    feed_url = reader.get_by_role("link", name="RSS", exact=True).get_attribute("href") or ""
    feed = reader.request.get(base + feed_url)
    assert feed.ok and "rss" in feed.headers["content-type"]
    assert title_en in feed.text()
    reader.get_by_role("link", name="简体中文").click()
    expect(reader.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(reader.get_by_role("link", name=title)).to_be_visible()
    check_page(reader)
    for page in (editor, moderator, reader):
        page.context.close()


def test_operator_reviews_suspends_and_reinstates_and_exports_the_monthly_report(demo, live_server, browser: Browser):
    base = live_server.url
    center = "Harbin Power Equipment Manufacturing Innovation Center"
    operator = demo_session(browser, base, "operator@demo.cn")

    # The queue: the oldest application first; its documents open beside the details.
    operator.get_by_role("link", name="Operator console").click()
    expect(operator.get_by_role("heading", name="Operator console")).to_be_visible()
    check_page(operator, "journey-operator-queue")
    operator.get_by_role("table").get_by_role("link").first.click()
    expect(operator.get_by_role("heading", name="Documents")).to_be_visible()
    check_page(operator, "journey-operator-application")
    operator.go_back()

    # A provider is suspended with a reason: its page leaves the public directory until it is reinstated.
    operator.get_by_role("link", name="Providers", exact=True).click()
    operator.get_by_label("Name").fill("Harbin Power")
    operator.get_by_role("button", name="Filter").click()
    row = operator.get_by_role("row", name=re.compile(center))
    row.get_by_text("Suspend", exact=True).click()  # the reason form unfolds
    row.get_by_label("Reason (sent to the provider)").fill("Accreditation certificate under review after a complaint.")
    row.get_by_role("button", name="Suspend provider").click()
    expect(operator.get_by_role("row", name=re.compile(center))).to_contain_text("Suspended")
    check_page(operator, "journey-operator-suspended")

    visitor = open_page(browser)
    visitor.goto(base + "/en/catalog/providers/")
    expect(visitor.get_by_role("link", name=center)).to_have_count(0)

    row = operator.get_by_role("row", name=re.compile(center))
    row.get_by_text("Reinstate", exact=True).click()
    row.get_by_label("Reason (sent to the provider)").fill("Review closed: the certificate is valid.")
    row.get_by_role("button", name="Reinstate provider").click()
    expect(operator.get_by_role("row", name=re.compile(center))).to_contain_text("Verified")
    visitor.reload()
    expect(visitor.get_by_role("link", name=center)).to_be_visible()
    check_page(visitor)

    # Statistics, with their charts, and the monthly report for the bureau.
    operator.get_by_role("link", name="Statistics", exact=True).click()
    expect(operator.locator("canvas").first).to_be_visible()
    check_page(operator, "journey-operator-statistics")
    report_url = operator.get_by_role("link", name="Monthly report (PDF)").get_attribute("href") or ""
    report = operator.request.get(base + report_url)  # what the browser's PDF viewer opens, with the same session
    assert report.ok and report.headers["content-type"] == "application/pdf"
    assert report.body().startswith(b"%PDF")
    for page in (operator, visitor):
        assert_clean(page)
        page.context.close()
