"""Work per search is bounded whatever the query (issue 16, items 2 and 3): terms per query, the no-results fallback.

These run on the database backend of the test run: SQLite FTS5 without DATABASE_URL, PostgreSQL with it.
"""

import itertools
import string
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import api
from search.backends.base import SearchQuery
from search.text import MAX_QUERY_TERMS, parse_query
from tests.factories import search_catalog
from tests.search.contract import DISTINCT_CJK


@pytest.fixture
def catalog(db):
    data = search_catalog()
    api.rebuild_index()
    return data


def words(n: int) -> list[str]:
    """n distinct two-letter words that occur nowhere: 66 of them fit the search box's 200 characters."""
    return [a + b for a, b in itertools.product("qxzjkv", string.ascii_lowercase)][:n]


def test_query_terms_are_the_first_distinct_ones_in_the_order_they_appear():
    terms = parse_query("w1 GB/T 228.1 拉伸 w1 试验 w2", limit=3)
    assert [t.text for t in terms.terms] == ["w1", "gbt2281", "拉伸"]
    assert terms.codes == ("gbt2281",)
    assert parse_query("拉伸 GB/T 228.1 the tensile").all == ("gbt2281", "拉伸", "tensile")
    assert len(parse_query(DISTINCT_CJK).all) == MAX_QUERY_TERMS
    assert len(parse_query(" ".join(words(66))).all) == MAX_QUERY_TERMS


@pytest.mark.parametrize("url", ["/search/", "/en/search/", "/search/api/services", "/search/api/suggest"])
def test_200_distinct_chinese_characters_are_answered(client, catalog, url):
    """SQLite answered 500: "Expression tree is too large (maximum depth 1000)"."""
    response = client.get(url, {"q": DISTINCT_CJK[: 100 if "suggest" in url else 200]})
    assert response.status_code == 200


def test_66_short_chinese_words_are_answered(client, catalog):
    text = " ".join(DISTINCT_CJK[2 * i : 2 * i + 2] for i in range(66))  # 197 characters
    assert client.get("/search/", {"q": text}).status_code == 200


def queries_of_a_search_without_results(text: str) -> int:
    cache.clear()  # facet counts are cached per query: count a cold search
    with CaptureQueriesContext(connection) as queries:
        result = api.search_services(SearchQuery(text=text))
    assert result.total == 0
    return len(queries)


def test_no_results_fallback_costs_the_same_for_66_words_as_for_2(catalog):
    """It ran one search (and its facet counts) per word: 742 SQL queries for 66 words on SQLite."""
    two = queries_of_a_search_without_results(" ".join(words(2)))
    sixty_six = queries_of_a_search_without_results(" ".join(words(66)))
    assert sixty_six == two
    assert sixty_six <= 20


def test_fallback_checks_the_first_words_in_one_query(catalog, django_assert_num_queries):
    from search import synonyms
    from search.backends import get_backend

    synonyms.current()  # the synonym list is read once per cache generation, not per search
    with django_assert_num_queries(1):
        found = get_backend().terms_with_results(["拉伸", *words(api.MAX_ALTERNATIVE_WORDS - 2), "气动阀"])
    assert found == ["拉伸", "气动阀"]
    hidden = " ".join([*words(api.MAX_ALTERNATIVE_WORDS), "pneumatic"])  # past the words the fallback looks at
    assert "pneumatic" not in api.search_services(SearchQuery(text=hidden)).suggestions


def test_no_alternatives_once_the_search_took_its_time_budget(catalog, monkeypatch):
    query = SearchQuery(text="拉伸 量子纠缠")
    assert api.search_services(query).suggestions == ["拉伸"]
    clock = itertools.count(step=api.ALTERNATIVES_BUDGET + 1)  # each reading is later than the whole budget
    monkeypatch.setattr(api, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    result = api.search_services(query)
    assert result.total == 0 and result.suggestions == []
