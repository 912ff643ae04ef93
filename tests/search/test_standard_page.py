"""Offers side by side: the standard filter, /standards/<code>/ and the "offered by N centers" box (issue 15)."""

from urllib.parse import quote

import pytest
from django.core.cache import cache

from search import api
from search.backends.base import SearchFilters, SearchQuery
from tests.factories import AccreditationFactory, ProviderFactory, ServiceFactory


@pytest.fixture
def offers(catalog):
    """A second center offering GB/T 228.1 (2010 edition, quicker, dearer) besides the search catalog's one."""
    wuhan = ProviderFactory(name_zh="武汉材料检测中心", level="provincial", province="湖北省", city="武汉市")
    AccreditationFactory(provider=wuhan, scheme="CMA", number="CMA 2026001")
    other = ServiceFactory(
        provider=wuhan, title_zh="钢板拉伸试验", standards=["GB/T 228.1-2010"], price=450, turnaround_days=2
    )
    api.index_services([other.pk])
    return {**catalog["services"], "other": other}


def test_the_standard_filter_selects_every_edition_listed_never_a_mere_mention(offers):
    result = api.search_services(SearchQuery(filters=SearchFilters(standard="gbt2281")))
    assert {hit.service_id for hit in result.hits} == {offers["tensile"].pk, offers["other"].pk}
    assert offers["hardness"].pk not in {hit.service_id for hit in result.hits}  # it only mentions the code
    assert result.total == 2


@pytest.mark.parametrize("written", ["GB/T 228.1", "gb228.1", "GB/T 228.1—2010", "ＧＢ／Ｔ２２８．１"])
def test_standard_offers_accept_the_code_as_users_write_it(offers, written):
    found = api.standard_offers(written)
    assert found is not None and found.code == "GB/T 228.1"
    assert found.centers == 2 and found.lowest_price == 300


def test_the_standard_page_compares_the_offers(client, offers):
    response = client.get("/en/standards/" + quote("GB/T 228.1") + "/")
    assert response.status_code == 200
    assert "GB/T 228.1 is offered by 2 centers on the platform." in response.content.decode()
    page = response.content.decode()
    rows = response.context["rows"]
    assert [row.hit.service_id for row in rows] == [offers["tensile"].pk, offers["other"].pk]  # cheapest first
    assert rows[1].accreditations == ["CMA"] and rows[1].level
    assert rows[1].hit.provider_name in page and "¥450" in page and "CMA" in page
    by_turnaround = client.get("/standards/" + quote("GB/T 228.1") + "/", {"sort": "turnaround"}).context["rows"]
    assert [row.hit.service_id for row in by_turnaround] == [offers["other"].pk, offers["tensile"].pk]


def test_other_spellings_redirect_to_the_page_of_the_code(client, offers):
    response = client.get("/en/standards/gb228.1-2021/")
    assert response.status_code == 301
    assert response["Location"] == "/en/standards/" + quote("GB/T 228.1") + "/"


def test_a_code_nobody_offers_has_an_empty_page_and_text_that_is_no_code_is_not_found(client, offers):
    empty = client.get("/en/standards/" + quote("GB/T 9999.1") + "/")
    assert empty.status_code == 200 and empty.context["rows"] == []
    assert "No center on the platform offers GB/T 9999.1 yet." in empty.content.decode()
    assert client.get("/standards/hello/").status_code == 404


def test_the_standard_page_costs_the_same_queries_for_more_offers(client, offers, django_assert_max_num_queries):
    url = "/standards/" + quote("GB/T 228.1") + "/"
    client.get(url)
    cache.clear()
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(5):
        ServiceFactory(title_zh=f"拉伸试验{n}", standards=["GB/T 228.1-2021"])
    api.rebuild_index()
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_a_search_naming_a_standard_offers_the_comparison(client, offers):
    page = client.get("/en/search/", {"q": "GB/T 228.1"}).content.decode()
    assert "GB/T 228.1 — offered by 2 centers" in page
    assert "/en/standards/" + quote("GB/T 228.1") + "/" in page
    assert "offered by" not in client.get("/en/search/", {"q": "拉伸"}).content.decode()
