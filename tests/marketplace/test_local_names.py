"""Stored Chinese region names and price units shown in English on English pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from marketplace.regions import display_name, english_name
from marketplace.units import display_unit
from search import api
from tests.factories import ProviderFactory, ServiceFactory


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


@pytest.mark.parametrize(
    ("stored", "english"), [("试样", "specimen"), ("每台", "unit"), ("小时", "hour"), ("每10米", "每10米")]
)
def test_price_units_in_english(stored, english):
    with translation.override("en"):
        assert display_unit(stored) == english
    with translation.override("zh-hans"):
        assert display_unit(stored) == stored


def test_english_search_results_show_english_units(client, db):
    service = ServiceFactory(title_zh="拉伸试验", title_en="Tensile test", pricing_mode="per_unit", price_unit="试样")
    api.index_service(service.pk)
    html = client.get("/en/search/", {"q": "tensile"}).content.decode()
    assert " / specimen" in html and "试样" not in html
    assert " / 试样" in client.get("/search/", {"q": "拉伸"}).content.decode()
