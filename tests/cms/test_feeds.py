"""RSS 2.0 and Atom 1.0 feeds: well-formed XML with the required elements, filtered by category."""

import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own feed output, not untrusted input


@pytest.fixture
def bulletins(make_bulletin):
    return {
        "notice": make_bulletin(category="notice"),
        "policy": [make_bulletin(category="policy"), make_bulletin(category="policy")],
        "news": make_bulletin(category="news"),
        "draft": make_bulletin(category="policy", live=False),
    }


def test_rss_feed_is_valid_rss_2_with_every_live_bulletin(client, bulletins):
    response = client.get("/bulletins/feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse(response.content)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), required
    assert channel.find(f"{ATOM}link").get("rel") == "self"
    items = channel.findall("item")
    assert len(items) == 4  # the draft is not in the feed
    for item in items:
        assert item.findtext("title")
        assert item.findtext("link").startswith("http://testserver/bulletins/")
        assert item.findtext("pubDate")
        assert item.findtext("guid")
    assert bulletins["draft"].title not in response.content.decode()


def test_atom_feed_is_valid_atom_1(client, bulletins):
    response = client.get("/bulletins/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}"), required
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/bulletins/")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_category_feed_lists_only_that_category(client, bulletins, kind):
    root = parse(client.get(f"/bulletins/feed/{kind}/policy/").content)
    if kind == "rss":
        titles = [item.findtext("title") or "" for item in root.iter("item")]
        categories = {c.text for c in root.iter("category")}
    else:
        titles = [entry.findtext(f"{ATOM}title") or "" for entry in root.iter(f"{ATOM}entry")]
        categories = {c.get("term") for c in root.iter(f"{ATOM}category")}
    assert sorted(titles) == sorted(b.title for b in bulletins["policy"])
    assert categories == {"政策"}


def test_unknown_category_feed_is_not_found(client, bulletins):
    assert client.get("/bulletins/feed/rss/gossip/").status_code == 404


def test_english_feed_carries_english_titles_and_links(client, bulletins):
    root = parse(client.get("/en/bulletins/feed/rss/news/").content)
    item = root.find("channel/item")
    assert item.findtext("title") == bulletins["news"].title_en
    assert item.findtext("link").startswith("http://testserver/en/bulletins/")
    assert root.find("channel").findtext("language") == "en"
