"""The search page (full page vs htmx partial, URL state, extra sections) and the JSON endpoints."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import format_html

from search import api
from tests.factories import search_catalog

pytestmark = pytest.mark.django_db

URL = "/search/"


@pytest.fixture
def catalog(db):
    data = search_catalog()
    api.rebuild_index()
    return data


def test_search_url_name_and_nav_link(client, catalog):
    assert reverse("search:search") == URL
    html = client.get(reverse("catalog:category-list")).content.decode()
    assert f'href="{URL}"' in html


def test_full_page_for_normal_requests(client, catalog):
    response = client.get(URL, {"q": "拉伸试验"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="search-results"' in html
    assert "<mark>拉伸</mark>" in html
    assert "HX-Request" in response["Vary"]


def test_htmx_request_gets_only_the_results_partial(client, catalog):
    response = client.get(URL, {"q": "拉伸试验"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="search-form"' not in html
    assert "金属材料室温<mark>拉伸</mark><mark>试验</mark>" in html


def test_history_restore_gets_the_full_page(client, catalog):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get(URL, {"q": "拉伸"}, headers=headers).content.decode()


def test_facet_links_carry_the_whole_state(client, catalog):
    province = "浙江省"
    html = client.get(URL, {"q": "试验", "sort": "price_asc", "page": "1"}).content.decode()
    # Choosing a province keeps the text and the sort, and goes back to page 1.
    assert "?q=%E8%AF%95%E9%AA%8C&amp;sort=price_asc&amp;province=%E6%B5%99%E6%B1%9F%E7%9C%81" in html
    selected = client.get(URL, {"q": "试验", "province": province}).content.decode()
    assert 'aria-current="true"' in selected
    assert f'<input type="hidden" name="province" value="{province}">' in selected
    assert "?q=%E8%AF%95%E9%AA%8C&quot;" not in selected


def test_filters_from_the_url_apply(client, catalog):
    html = client.get(URL, {"province": "江苏省"}).content.decode()
    assert "气动阀门寿命试验" in html and "金属材料室温拉伸试验" not in html


def test_pagination_links_keep_the_query(client, catalog):
    html = client.get(URL, {"q": "", "sort": "newest", "page_size": "2"}).content.decode()
    assert 'rel="next"' in html and "sort=newest" in html


def test_no_results_state_suggests_broadening(client, catalog):
    html = client.get(URL, {"q": "拉伸 量子纠缠"}).content.decode()
    assert "?q=%E6%8B%89%E4%BC%B8" in html  # "did you mean 拉伸"
    filtered = client.get(URL, {"q": "气动阀", "province": "浙江省"}).content.decode()
    assert "?q=%E6%B0%94%E5%8A%A8%E9%98%80" in filtered  # remove the filters


def test_invalid_parameters_are_reported_on_the_page_and_ignored(client, catalog):
    response = client.get(URL, {"q": "拉伸", "price_min": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "金属材料室温" in html


def test_suggestion_options_for_the_search_box(client, catalog):
    html = client.get(reverse("search:suggest-options"), {"q": "GB/T 22"}).content.decode()
    assert '<option value="GB/T 228.1-2021">' in html


def section(request, query_text):
    return format_html("<p class='bulletins'>Bulletins about {}</p>", query_text)


def unsafe_section(request, query_text):
    return "<script>alert(1)</script>"


def test_extra_result_sections_render_below_the_results(client, catalog, settings):
    settings.SEARCH_RESULT_SECTIONS = ["tests.search.test_views.section", "tests.search.test_views.unsafe_section"]
    html = client.get(URL, {"q": "<中试>"}).content.decode()
    assert "<p class='bulletins'>Bulletins about &lt;中试&gt;</p>" in html
    assert "<script>alert(1)</script>" not in html  # plain strings are escaped, only safe HTML passes
    assert html.index("bulletins") > html.index("search-results")


def test_no_extra_sections_by_default(client, catalog):
    assert "search-section" not in client.get(URL, {"q": "中试"}).content.decode()


def test_json_search(client, catalog):
    response = client.get("/search/api/services", {"q": "GB/T 228.1", "page_size": "1"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2 and data["num_pages"] == 2
    hit = data["results"][0]
    assert hit["title"] == "金属材料室温拉伸试验"
    assert hit["price"] == "300.00"
    assert hit["url"].startswith("/catalog/providers/")
    assert set(data["facets"]) >= {"category", "province", "bookable"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"price_min": "abc"}, "price_min"),
        ({"price_min": "10", "price_max": "5"}, "price_max"),
        ({"sort": "random"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"provider_level": "galactic"}, "provider_level"),
        ({"category": "x"}, "category"),
    ],
)
def test_json_search_rejects_bad_parameters_with_field_errors(client, catalog, params, field):
    response = client.get("/search/api/services", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_json_suggest(client, catalog):
    data = client.get("/search/api/suggest", {"q": "拉伸"}).json()
    assert {"text": "金属材料室温拉伸试验", "kind": "title"} in data["suggestions"]
    assert client.get("/search/api/suggest", {"q": "x", "limit": "0"}).status_code == 400


# --- hostile parameters (issue 16, item 1) -----------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize(
    "params",
    [
        {"category": "abc"},
        {"field": " "},
        {"max_turnaround": "1.5"},
        {"category": "1.5"},
        {"category": "99999999999999999999"},
        {"field": "-3"},
        {"province": "x" * 10_000},
        {"city": "苏州\x00市"},
        {"provider_level": "\x00"},
    ],
)
def test_invalid_filter_values_are_reported_and_ignored_not_a_server_error(client, catalog, prefix, params):
    response = client.get(f"{prefix}{URL}", {"q": "拉伸", **params})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    results = client.get(f"{prefix}{URL}", {"q": "拉伸", **params}, headers={"HX-Request": "true"}).content.decode()
    assert f"/services/{catalog['services']['tensile'].slug}/" in results  # the valid rest of the query still runs
    [(name, value)] = params.items()
    # Neither the facet links nor the hidden inputs echo the value the query did not understand.
    assert urlencode({name: value}) not in results and f'name="{name}"' not in results


def test_facet_links_carry_only_the_parameters_the_query_understood(client, catalog):
    params = {"q": "试验", "category": "abc", "utm_source": "x" * 2000}
    html = client.get(URL, params, headers={"HX-Request": "true"}).content.decode()
    assert "category=abc" not in html and "utm_source" not in html
    assert "?q=%E8%AF%95%E9%AA%8C&amp;province=" in html


@pytest.mark.parametrize("written", ["7.0", " 7", "07"])
def test_a_facet_value_written_differently_selects_the_one_option(client, catalog, written):
    html = client.get(f"/en{URL}", {"max_turnaround": written}, headers={"HX-Request": "true"}).content.decode()
    assert html.count('aria-current="true"') == 1
    assert '<input type="hidden" name="max_turnaround" value="7">' in html
    assert html.count("Within 7 working days") == 2  # the one option, and its chip above the results
    assert html.count('class="chip"') == 1


def test_selected_filters_show_as_chips_that_remove_them(client, catalog):
    html = client.get(
        f"/en{URL}", {"q": "test", "max_turnaround": "7"}, headers={"HX-Request": "true"}
    ).content.decode()
    chips = html[html.index('<ul class="filter-chips"') :]
    chips = chips[: chips.index("</ul>")]
    assert 'aria-label="Active filters"' in chips and "Within 7 working days" in chips
    assert 'href="?q=test"' in chips  # following the chip drops that filter and keeps the query
    assert '<details class="facet-panel" data-open-wide>' in html  # folded on phones, opened by site.js on desks


@pytest.mark.parametrize(
    "params",
    [{"category": "1.5"}, {"max_turnaround": "1.5"}, {"field": " "}, {"category": "99999999999999999999"}],
)
def test_json_search_refuses_invalid_filter_values_with_a_400(client, catalog, params):
    response = client.get("/search/api/services", params)
    assert response.status_code == 400
    assert set(params) <= set(response.json()["errors"])


def test_facet_labels_follow_a_renamed_category(client, settings):
    """The labels are cached per content version: renaming a category shows on the next search."""
    from tests.factories import ServiceFactory

    settings.SEARCH_BACKEND = "database"
    service = ServiceFactory(title_zh="真空钎焊工艺验证")
    api.index_service(service.pk)
    category = service.category
    assert category.name_en in client.get("/en/search/", {"q": "钎焊"}).content.decode()
    category.name_en = "Brazing and joining"
    category.save()
    page = client.get("/en/search/", {"q": "钎焊"}).content.decode()
    assert "Brazing and joining" in page


def test_a_repeated_search_page_shows_its_cached_results_and_still_counts_the_search(client, catalog):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marketplace.statistics.models import SearchDay

    first = client.get(URL, {"q": "拉伸试验"}).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, {"q": "拉伸试验"})
    assert again.content.decode() == first
    assert "search/_results.html" not in [t.name for t in again.templates]  # not rendered again
    assert all("statistics_searchday" in q["sql"] for q in queries.captured_queries), queries.captured_queries
    assert SearchDay.objects.get(query="拉伸试验").count == 2


def test_cached_results_follow_index_writes_language_and_every_parameter(client, catalog):
    from tests.factories import ServiceFactory

    client.get(URL, {"q": "拉伸试验"})
    new = ServiceFactory(title_zh="铝合金拉伸试验", provider=catalog["services"]["tensile"].provider)
    api.index_services([new.pk])  # an index write: the same search shows it at once
    assert "铝合金<mark>拉伸</mark><mark>试验</mark>" in client.get(URL, {"q": "拉伸试验"}).content.decode()
    assert 'lang="en"' in client.get("/en" + URL, {"q": "拉伸试验"}).content.decode()
    assert "Minimum price" in client.get("/en" + URL, {"q": "拉伸试验"}).content.decode()
    invalid = client.get(URL, {"q": "拉伸试验", "price_min": "abc"}).content.decode()
    assert 'role="alert"' in invalid and 'value="abc"' in invalid
    assert 'role="alert"' not in client.get(URL, {"q": "拉伸试验"}).content.decode()


def test_without_the_page_cache_results_are_rendered_for_every_request(client, catalog, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        response = client.get(URL, {"q": "拉伸试验"})
        assert "search/_results.html" in [t.name for t in response.templates]
