"""Stored Chinese region names shown in English on English pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from marketplace.regions import display_name, english_name
from tests.factories import ProviderFactory


@pytest.mark.parametrize(
    ("stored", "english"),
    [
        ("浙江省", "Zhejiang"),
        ("陕西省", "Shaanxi"),
        ("内蒙古自治区", "Inner Mongolia"),
        ("宁波市", "Ningbo"),
        ("泰安市", "Tai'an"),
        ("哈尔滨市", "Harbin"),
        ("浦东新区", "Pudong"),
        ("Ningbo", "Ningbo"),
    ],
)
def test_english_names(stored, english):
    assert english_name(stored) == english


def test_display_name_follows_the_active_language():
    with translation.override("zh-hans"):
        assert display_name("山东省") == "山东省"
    with translation.override("en"):
        assert display_name("山东省") == "Shandong"
        assert display_name("") == ""


def test_english_directory_shows_and_filters_regions_in_english(client, db):
    provider = ProviderFactory(province="黑龙江省", city="哈尔滨市")
    with translation.override("en"):
        url = reverse("catalog:provider-list")
    html = client.get(url, {"province": "黑龙江省"}).content.decode()
    assert provider.name in html
    assert "Heilongjiang Harbin" in html
    assert '<option value="黑龙江省" selected>Heilongjiang</option>' in html
    assert "黑龙江省</" not in html
    with translation.override("zh-hans"):
        url = reverse("catalog:provider-list")
    zh_html = client.get(url).content.decode()
    assert "黑龙江省 哈尔滨市" in zh_html
