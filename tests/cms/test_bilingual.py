"""One page tree, two languages: / shows the Chinese fields, /en/ the English ones with a Chinese fallback."""


def test_same_bulletin_shows_chinese_at_root_and_english_under_en(client, make_bulletin):
    bulletin = make_bulletin(title="宁波平台中标", title_en="Ningbo platform wins the bid", slug="ningbo")
    zh = client.get("/bulletins/ningbo/")
    en = client.get("/en/bulletins/ningbo/")
    assert zh.status_code == en.status_code == 200
    zh_html, en_html = zh.content.decode(), en.content.decode()
    assert '<h1 id="bulletin-title">宁波平台中标</h1>' in zh_html
    assert '<h1 id="bulletin-title">Ningbo platform wins the bid</h1>' in en_html
    assert bulletin.body in zh_html and bulletin.body_en in en_html
    assert '<html lang="zh-hans">' in zh_html and '<html lang="en">' in en_html
    assert 'property="og:locale" content="en_US"' in en_html


def test_missing_english_falls_back_to_chinese(client, make_bulletin):
    make_bulletin(title="仅中文公告", title_en="", body_en="", slug="zh-only")
    html = client.get("/en/bulletins/zh-only/").content.decode()
    assert "仅中文公告" in html


def test_language_switcher_keeps_the_reader_on_the_same_bulletin(client, make_bulletin):
    make_bulletin(slug="switch")
    en_page = client.get("/en/bulletins/switch/").content.decode()
    assert '<a href="/bulletins/switch/" hreflang="zh-Hans" lang="zh-hans">' in en_page
    zh_page = client.get("/bulletins/switch/").content.decode()
    assert '<a href="/en/bulletins/switch/" hreflang="en" lang="en">' in zh_page
    to_english = client.post("/i18n/setlang/", {"language": "en", "next": "/bulletins/switch/"})
    assert to_english.url == "/en/bulletins/switch/"
    to_chinese = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/bulletins/switch/"})
    assert to_chinese.url == "/bulletins/switch/"


def test_links_inside_english_pages_stay_english(client, make_bulletin):
    make_bulletin(slug="linked")
    html = client.get("/en/bulletins/").content.decode()
    assert 'href="/en/bulletins/linked/"' in html
    assert 'href="/en/bulletins/"' in html  # the "Bulletins" nav item


def test_english_urls_are_not_mistaken_for_chinese_page_paths(client, make_bulletin):
    from django.urls import translate_url
    from django.utils import translation

    make_bulletin(slug="prefix")
    with translation.override("zh-hans"):
        assert translate_url("/en/bulletins/prefix/", "en") == "/en/bulletins/prefix/"
        assert translate_url("/bulletins/prefix/", "en") == "/en/bulletins/prefix/"


def test_each_page_names_its_other_language_version_for_search_engines(client, make_bulletin):
    make_bulletin(slug="alternate")
    for path in ("/bulletins/alternate/", "/en/bulletins/alternate/"):
        html = client.get(path).content.decode()
        assert '<link rel="alternate" hreflang="zh-Hans" href="http://testserver/bulletins/alternate/">' in html
        assert '<link rel="alternate" hreflang="en" href="http://testserver/en/bulletins/alternate/">' in html
        assert '<link rel="alternate" hreflang="x-default" href="http://testserver/bulletins/alternate/">' in html


def test_the_cached_bulletins_nav_link_follows_the_index_page(client, index):
    assert 'href="/en/bulletins/"' in client.get("/en/catalog/providers/").content.decode()
    index.unpublish()
    assert 'href="/en/bulletins/"' not in client.get("/en/catalog/providers/").content.decode()
    index.save_revision().publish()
    assert 'href="/bulletins/"' in client.get("/catalog/providers/").content.decode()
