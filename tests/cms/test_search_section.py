from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.utils.module_loading import import_string

from cms.search_sections import bulletin_section


def test_section_is_registered_for_the_site_search():
    assert "cms.search_sections.bulletin_section" in settings.SEARCH_RESULT_SECTIONS
    assert import_string("cms.search_sections.bulletin_section") is bulletin_section


def test_section_lists_matching_live_bulletins_in_the_active_language(make_bulletin):
    make_bulletin(title="哈尔滨入选试点城市", title_en="Harbin becomes a pilot city", slug="harbin")
    make_bulletin(title="哈尔滨草稿", title_en="Harbin draft", slug="draft", live=False)
    make_bulletin(title="宁波平台", title_en="Ningbo platform", slug="ningbo")
    request = RequestFactory().get("/search/", {"q": "哈尔滨"})

    with translation.override("zh-hans"):
        html = bulletin_section(request, "哈尔滨")
    assert "哈尔滨入选试点城市" in html
    assert 'href="/bulletins/harbin/"' in html
    assert "草稿" not in html and "宁波" not in html

    with translation.override("en"):
        html_en = bulletin_section(request, "harbin")
    assert "Harbin becomes a pilot city" in html_en
    assert 'href="/en/bulletins/harbin/"' in html_en
    assert "draft" not in html_en.lower()


def test_section_is_empty_when_nothing_matches(make_bulletin):
    make_bulletin()
    request = RequestFactory().get("/search/")
    assert bulletin_section(request, "不存在的关键词") == ""
    assert bulletin_section(request, "   ") == ""


def test_wagtail_search_finds_bulletins_by_english_text(make_bulletin):
    from cms.models import BulletinPage

    make_bulletin(title_en="Pneumatic inspection center opens", slug="pneumatic")
    make_bulletin(title_en="Holiday hours", slug="holiday")
    results = list(BulletinPage.objects.live().search("pneumatic"))
    assert [page.slug for page in results] == ["pneumatic"]


def test_the_cached_section_follows_publishing_and_unpublishing(make_bulletin):
    request = RequestFactory().get("/search/")
    with translation.override("zh-hans"):
        assert bulletin_section(request, "宁波") == ""
        page = make_bulletin(title="宁波气动平台通过验收", slug="ningbo")
        assert "宁波气动平台通过验收" in bulletin_section(request, "宁波")
        page.unpublish()
        assert bulletin_section(request, "宁波") == ""
