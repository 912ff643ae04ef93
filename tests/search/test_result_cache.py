"""Cached totals, facet counts and result pages of the database backend: served without querying again, never
stale after an index write."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Service
from search import api, tasks
from search.backends.base import SearchFilters, SearchQuery, Sort
from search.backends.result_cache import VERSION_KEY
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(db, settings):
    settings.SEARCH_BACKEND = "database"
    service = ServiceFactory(title_zh="真空钎焊工艺验证", turnaround_days=3)
    api.index_service(service.pk)
    return service


def counted(query: SearchQuery) -> tuple[api.SearchResult, int]:
    with CaptureQueriesContext(connection) as queries:
        result = api.search_services(query)
    return result, len(queries)


FILTERED = SearchQuery(text="钎焊", filters=SearchFilters(max_turnaround=3))


@pytest.mark.parametrize("query", [SearchQuery(), SearchQuery(text="钎焊"), FILTERED])
def test_a_repeated_search_runs_no_query(indexed, query):
    first, first_queries = counted(query)
    second, second_queries = counted(query)
    assert second == first
    assert first_queries > 0
    assert second_queries == 0


def test_each_page_and_order_is_cached_apart(indexed):
    other = ServiceFactory(title_zh="钎焊接头检测", turnaround_days=10, price=1)
    api.index_service(other.pk)
    newest = api.search_services(SearchQuery(text="钎焊", sort=Sort.NEWEST))
    cheapest = api.search_services(SearchQuery(text="钎焊", sort=Sort.PRICE_ASC))
    assert cheapest.hits[0].service_id == other.pk
    assert {h.service_id for h in newest.hits} == {indexed.pk, other.pk}
    second_page = api.search_services(SearchQuery(text="钎焊", page=2, page_size=1))
    assert len(second_page.hits) == 1
    first_page = api.search_services(SearchQuery(text="钎焊", page_size=1))
    assert second_page.hits[0].service_id != first_page.hits[0].service_id


def test_an_index_write_changes_the_cached_page(indexed):
    query = SearchQuery(text="钎焊")
    assert [h.title for h in api.search_services(query).hits] == ["真空钎焊工艺验证"]
    Service.objects.filter(pk=indexed.pk).update(title_zh="真空钎焊接头试验")
    api.index_service(indexed.pk)
    assert [h.title for h in api.search_services(query).hits] == ["真空钎焊接头试验"]


def test_indexing_and_removing_a_service_update_cached_counts(indexed):
    query = SearchQuery(text="钎焊")
    assert api.search_services(query).facets["max_turnaround"] == {"3": 1, "7": 1, "15": 1, "30": 1}
    other = ServiceFactory(title_zh="钎焊接头检测", turnaround_days=10)
    api.index_service(other.pk)
    result = api.search_services(query)
    assert (result.total, result.facets["max_turnaround"]) == (2, {"3": 1, "7": 1, "15": 2, "30": 2})
    api.remove_service(indexed.pk)
    result = api.search_services(query)
    assert (result.total, result.facets["max_turnaround"]) == (1, {"15": 1, "30": 1})
    api.rebuild_index()
    assert api.search_services(query).total == 2


def test_deleting_a_service_updates_cached_counts_before_any_task_runs(indexed):
    assert api.search_services(SearchQuery()).total == 1
    Service.objects.filter(pk=indexed.pk).delete()  # inside the test's transaction: no on_commit task runs
    assert api.search_services(SearchQuery()).total == 0


def test_a_lost_version_never_brings_back_older_counts(indexed):
    assert api.search_services(SearchQuery()).total == 1
    cache.delete(VERSION_KEY)
    api.remove_service(indexed.pk)
    assert api.search_services(SearchQuery()).total == 0


def test_the_indexing_task_leaves_the_landing_search_counted(indexed):
    """After a task's index write, the first visitor of the search page gets cached counts."""
    other = ServiceFactory(title_zh="气动阀门寿命试验")
    tasks.sync_services([other.pk])
    result, queries = counted(SearchQuery())
    assert result.total == 2
    assert queries == 0


def test_warming_after_index_writes_recounts_the_landing_search_so_visitors_do_not(indexed):
    api.index_service(indexed.pk)  # an index write: every cached count is stale
    api.warm_landing_search()
    result, queries = counted(SearchQuery())
    assert queries == 0 and result.total == 1


def test_the_elasticsearch_backend_has_nothing_to_warm(settings):
    from search.backends.elasticsearch import ElasticsearchBackend

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens: warming must not even connect
    ElasticsearchBackend().warm()


def test_the_first_grouped_search_counts_and_ranks_in_one_pass_with_the_same_result(indexed):
    """PostgreSQL reads the matches once for the counts and the page of a first request; the result is the one
    the separate queries give (counts cached by another order's search first, then the page alone)."""
    for title, days in [("钎焊接头检测", 10), ("钎焊接头检测", 3), ("铝合金钎焊试验", 20)]:
        api.index_service(ServiceFactory(title_zh=title, turnaround_days=days).pk)
    query = SearchQuery(text="钎焊", filters=SearchFilters(max_turnaround=15))
    api.search_services(SearchQuery(text="接头"))  # reads the synonyms and the vocabulary
    one_pass, queries = counted(query)
    if connection.vendor == "postgresql":
        assert queries == 2  # counts and page together, then the page's documents
    api.index_service(indexed.pk)  # a new index version: nothing cached
    api.search_services(SearchQuery(text="钎焊", filters=query.filters, sort=Sort.NEWEST))  # caches the counts
    separate, queries = counted(query)
    assert queries == 2 if connection.vendor == "postgresql" else queries >= 2
    assert separate == one_pass
    assert (one_pass.total, one_pass.groups) == (3, 2)
    assert one_pass.facets["max_turnaround"] == {"3": 2, "7": 2, "15": 3, "30": 4}
