"""Chinese titles give short pinyin slugs, not 180 characters of percent-encoding (issue 16, Wagtail polish)."""

import pytest
from django.urls import reverse
from django.utils.text import slugify
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import BulletinPage, StandardPage
from cms.slugs import SLUG_MAX_LENGTH, pinyin_slug

LONG_TITLE = "关于公布2026年第一批国家级制造业创新中心认定结果暨推动中小企业技术服务平台建设工作的通知（第二批）"


def test_pinyin_slug_is_short_ascii_and_cut_at_a_syllable():
    slug = pinyin_slug(LONG_TITLE)
    assert slug.startswith("guan-yu-gong-bu-2026-nian-di-yi-pi-guo-jia-ji")
    assert slug.isascii() and len(slug) <= SLUG_MAX_LENGTH
    assert not slug.endswith("-")
    assert set(slug.split("-")) <= set(pinyin_slug(LONG_TITLE, max_length=500).split("-"))
    assert pinyin_slug("Notice 通知：AI（试行）") == "notice-tong-zhi-ai-shi-xing"
    assert pinyin_slug("ＡＢＣ全角") == "abc-quan-jiao"


def test_bulletin_with_a_chinese_title_and_no_slug_gets_a_pinyin_slug(make_bulletin):
    bulletin = make_bulletin(title=LONG_TITLE, slug="")
    assert bulletin.slug == pinyin_slug(LONG_TITLE)
    assert len(bulletin.url) < 100
    assert "%" not in bulletin.url


def test_chinese_slug_as_wagtails_admin_fills_it_in_becomes_pinyin(make_bulletin):
    draft = make_bulletin(title=LONG_TITLE, slug=slugify(LONG_TITLE, allow_unicode=True), live=False)
    assert draft.slug == pinyin_slug(LONG_TITLE)
    published = make_bulletin(title="平台通知", slug="平台通知")
    assert published.slug == "ping-tai-tong-zhi"
    assert BulletinPage.objects.get(pk=published.pk).url_path.endswith("/ping-tai-tong-zhi/")


def test_same_title_twice_gets_a_numbered_slug_within_the_bound(make_bulletin):
    first = make_bulletin(title=LONG_TITLE, slug="")
    second = make_bulletin(title=LONG_TITLE, slug="")
    assert second.slug != first.slug
    assert second.slug.endswith("-2") and len(second.slug) <= SLUG_MAX_LENGTH


def test_ascii_slug_typed_by_an_editor_is_kept(make_bulletin):
    assert make_bulletin(title=LONG_TITLE, slug="2026-first-batch").slug == "2026-first-batch"


def test_untransliterable_title_falls_back_to_a_date_slug(make_bulletin):
    import datetime

    bulletin = make_bulletin(title="🎉🎉", slug="", date=datetime.date(2026, 3, 1))
    assert bulletin.slug == "bulletinpage-20260301"


def test_standard_pages_get_pinyin_slugs_too(home):
    page = StandardPage(title="使用帮助", slug="使用帮助", body="<p>帮助</p>")
    home.add_child(instance=page)
    assert page.slug == "shi-yong-bang-zhu"


@pytest.mark.parametrize("action", ["save", "publish"])
def test_bulletin_created_in_the_wagtail_admin_gets_a_pinyin_slug(client, moderator, index, action):
    client.force_login(moderator)
    data = nested_form_data(
        {
            "title": LONG_TITLE,
            "title_en": "First batch of national manufacturing innovation centers",
            "slug": slugify(LONG_TITLE, allow_unicode=True),  # what the admin's title-to-slug sync sends
            "category": "notice",
            "date": "2026-03-01",
            "body": rich_text("<p>正文</p>"),
            "body_en": rich_text(""),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    if action == "publish":
        data["action-publish"] = "action-publish"
    url = reverse("wagtailadmin_pages:add", args=("cms", "bulletinpage", index.pk))
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    bulletin = BulletinPage.objects.get()
    assert bulletin.slug == pinyin_slug(LONG_TITLE)
    assert bulletin.get_latest_revision_as_object().slug == pinyin_slug(LONG_TITLE)
