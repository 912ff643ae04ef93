"""The Elasticsearch backend's mappings, analysis, query bodies and alias handling, checked without a server."""

from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

import pytest

from search.backends import elasticsearch as es
from search.backends.base import SearchFilters, SearchQuery, ServiceData, Sort
from search.backends.hits import build_hit
from search.models import SynonymGroup

pytestmark = pytest.mark.django_db  # the query parser reads the operators' synonym list


def data(**overrides) -> ServiceData:
    values = dict(
        service_id=7,
        service_slug="tensile",
        title_zh="金属材料室温拉伸试验",
        title_en="Tensile test of metals",
        summary_zh="测定抗拉强度。",
        summary_en="Tensile strength.",
        description_zh="也可按 ISO 6892-1:2019 执行。",
        description_en="",
        standards=["GB/T 228.1-2021"],
        provider_id=3,
        provider_slug="ningbo",
        provider_name_zh="宁波新材料创新中心",
        provider_name_en="Ningbo New Materials Center",
        provider_level="national",
        province="浙江省",
        city="宁波市",
        category_id=12,
        category_root_id=10,
        field_id=None,
        pricing_mode="per_unit",
        price=Decimal("300.00"),
        price_unit="每个试样",
        turnaround_days=5,
        has_bookable_equipment=True,
        published_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    values.update(overrides)
    return ServiceData(**values)


def body(query: SearchQuery) -> dict:
    return es.build_search(query)._s.to_dict()


def test_the_no_results_count_asks_for_the_text_alone_without_aggregations():
    request = es.count_search("GB/T 228.1 拉伸").to_dict()
    assert set(request) == {"query"}
    assert "gbt2281" in str(request["query"]) and "post_filter" not in request


def test_mapping_uses_stock_analyzers_and_keyword_codes():
    index = es.new_index("services-1").to_dict()
    props = index["mappings"]["properties"]
    assert props["title_zh"] == {"type": "text", "analyzer": "cjk"}
    assert props["summary_en"] == {"type": "text", "analyzer": "english"}
    assert props["code_tokens"] == {"type": "keyword"}
    assert props["category_ids"] == {"type": "integer"}
    assert props["price"] == {"type": "scaled_float", "scaling_factor": 100}
    assert props["title_suggest"] == {"type": "completion", "analyzer": "suggest_keyword"}
    assert index["settings"]["analysis"]["analyzer"]["suggest_keyword"] == {
        "type": "custom",
        "tokenizer": "keyword",
        "filter": ["lowercase"],
    }
    # Only built-in analysis components: no plugin (smartcn, ik) is needed.
    assert not {"tokenizer", "filter"} & set(index["settings"]["analysis"])


def test_document_source_normalises_codes_and_category_path():
    source = es.to_source(data())
    # The code, dated, its family (228) and without the /T, so "GB 228.1" and "GB/T 228" find it.
    assert source["code_tokens"] == ["gbt2281", "gbt22812021", "gbt228", "gb2281", "gb228"]
    assert source["text_codes"] == ["iso68921", "iso689212019", "iso6892"]
    assert source["category_ids"] == [10, 12]
    assert source["price"] == 300.0
    assert source["field_id"] is None
    assert "拉伸试验" in source["title_suggest"]["input"]  # completes from a word inside the title
    assert "test of metals" in source["title_suggest"]["input"]
    assert source["code_suggest"] == {"input": source["code_tokens"]}


def test_text_query_requires_every_word_but_generic_test_words_and_codes():
    b = body(SearchQuery(text="拉伸试验 tensile GB/T 228.1"))["query"]["bool"]
    must = b["must"]
    assert must[0]["multi_match"] == {
        "query": "拉伸",
        "type": "phrase",
        "fields": ["title_zh^8", "summary_zh^2", "description_zh^1", "provider_name_zh^0.2"],
    }
    assert must[1]["multi_match"]["query"] == "tensile"
    assert must[1]["multi_match"]["type"] == "cross_fields"
    assert must[1]["multi_match"]["operator"] == "and"
    assert must[2] == {
        "bool": {
            "should": [
                {"term": {"code_tokens": {"value": "gbt2281", "boost": es.LISTED_CODE_BOOST}}},
                {"term": {"text_codes": {"value": "gbt2281"}}},
            ],
            "minimum_should_match": 1,
        }
    }
    assert len(must) == 3  # 试验 is optional: it ranks the services that contain it first
    full = b["should"][0]["constant_score"]  # every word, 试验 too, in the service's own fields: ranks first
    assert full["boost"] == es.FULL_MATCH_BOOST
    full_words = full["filter"]["bool"]["must"]
    assert [w["multi_match"]["query"] for w in full_words if "multi_match" in w] == ["拉伸", "试验", "tensile"]
    assert not any("provider_name" in f for w in full_words if "multi_match" in w for f in w["multi_match"]["fields"])


def test_a_query_of_generic_words_only_requires_them():
    must = body(SearchQuery(text="检测"))["query"]["bool"]["must"]
    assert [m["multi_match"]["query"] for m in must] == ["检测"]


def test_synonyms_of_a_word_are_alternatives_of_one_required_term():
    SynonymGroup.objects.create(words="钝化, passivation")
    must = body(SearchQuery(text="钝化"))["query"]["bool"]["must"]
    alternatives = must[0]["bool"]["should"]
    assert must[0]["bool"]["minimum_should_match"] == 1
    assert [a["multi_match"]["query"] for a in alternatives] == ["钝化", "passivation"]


def test_required_words_close_together_rank_higher():
    should = body(SearchQuery(text="金属 拉伸"))["query"]["bool"]["should"]
    assert should[1:] == [
        {
            "multi_match": {
                "query": "金属 拉伸",
                "type": "phrase",
                "slop": es.PROXIMITY_SLOP,
                "fields": ["title_zh^8", "summary_zh^2", "description_zh^1", "provider_name_zh^0.2"],
            }
        }
    ]


def test_empty_text_matches_everything():
    assert body(SearchQuery())["query"] == {"match_all": {}}


def test_facet_filters_are_post_filters_and_excluded_from_their_own_aggregation():
    filters = SearchFilters(province="浙江省", category=10, max_turnaround=5, bookable=True)
    b = body(SearchQuery(filters=filters))
    post = b["post_filter"]["bool"]["must"]
    assert {"terms": {"province": ["浙江省"]}} in post
    assert {"terms": {"category_ids": [10]}} in post
    assert {"range": {"turnaround_days": {"lte": 5}}} in post
    assert {"terms": {"has_bookable_equipment": [True]}} in post
    province_agg_filter = b["aggs"]["_filter_province"]["filter"]["bool"]["must"]
    assert {"terms": {"province": ["浙江省"]}} not in province_agg_filter
    assert {"terms": {"category_ids": [10]}} in province_agg_filter
    assert b["aggs"]["_filter_max_turnaround"]["aggs"]["max_turnaround"]["range"]["ranges"][0] == {"key": "3", "to": 4}
    assert b["track_total_hits"] is True


def test_price_bounds_filter_the_query_itself():
    b = body(SearchQuery(filters=SearchFilters(price_min=Decimal("10"), price_max=Decimal("99.5"))))
    assert b["query"]["bool"]["filter"] == [{"range": {"price": {"gte": 10.0, "lte": 99.5}}}]


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        (Sort.RELEVANCE, "_score"),
        (Sort.PRICE_ASC, {"price": {"order": "asc", "missing": "_last"}}),
        (Sort.PRICE_DESC, {"price": {"order": "desc", "missing": "_last"}}),
        (Sort.TURNAROUND, "turnaround_days"),
        (Sort.NEWEST, {"published_at": {"order": "desc"}}),
    ],
)
def test_sort_orders(sort, first):
    assert body(SearchQuery(sort=sort))["sort"][0] == first


def test_pagination_slices():
    b = body(SearchQuery(page=3, page_size=10))
    assert (b["from"], b["size"]) == (20, 10)


def test_suggest_body_uses_completion_fields():
    b = es.suggest_search("GB/T 22", 5).to_dict()
    assert b["suggest"]["titles"] == {
        "prefix": "gb/t 22",
        "completion": {"field": "title_suggest", "size": 5, "skip_duplicates": True},
    }
    assert b["suggest"]["codes"]["prefix"] == "gbt22"
    assert "codes" not in es.suggest_search("拉伸", 5).to_dict()["suggest"]


def test_rebuild_fills_a_new_index_then_swaps_the_alias_and_drops_the_old(settings):
    settings.SEARCH_INDEX_ALIAS = "services"
    client = mock.MagicMock()
    client.indices.get_alias.return_value.body = {"services-old": {"aliases": {"services": {}}}}
    with (
        mock.patch.object(es, "_client", return_value=client),
        mock.patch.object(es.helpers, "bulk") as bulk,
    ):
        es.ElasticsearchBackend().rebuild([data()])
    new_name = client.indices.create.call_args.kwargs["index"]
    assert new_name.startswith("services-") and new_name != "services-old"
    [action] = list(bulk.call_args.args[1])
    assert action["_index"] == new_name and action["_id"] == 7 and "field_id" not in action["_source"]
    client.indices.update_aliases.assert_called_once_with(
        actions=[
            {"remove": {"index": "services-old", "alias": "services"}},
            {"add": {"index": new_name, "alias": "services"}},
        ]
    )
    client.indices.delete.assert_called_once_with(index="services-old")


def test_facet_counts_from_a_response():
    response = mock.MagicMock()
    for name in es.FACET_FIELDS:
        setattr(response.facets, name, [])
    response.facets.province = [("浙江省", 2, True), ("江苏省", 1, False)]
    response.facets.bookable = [(1, 4, False), (0, 9, False)]
    response.facets.category = [(10, 3, False)]
    counts = es.facet_counts(response)
    assert counts["province"] == {"浙江省": 2, "江苏省": 1}
    assert counts["bookable"] == {"true": 4}
    assert counts["category"] == {"10": 3}


def test_terms_search_counts_each_term_alone_without_hits_or_aggregations():
    body = es.terms_search(["拉伸", "tensile"]).to_dict()
    assert body[1] == {"query": es.text_query(es.parse("拉伸")).to_dict(), "size": 0, "track_total_hits": 1}
    assert body[3]["query"] == es.text_query(es.parse("tensile")).to_dict()
    assert len(body) == 4  # one header and one body per term: a single msearch request


def test_terms_with_results_is_one_multi_search(settings):
    settings.SEARCH_INDEX_ALIAS = "services"
    client = mock.MagicMock()
    client.msearch.return_value = {
        "responses": [
            {"hits": {"total": {"value": 1, "relation": "gte"}, "hits": []}},
            {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}},
        ]
    }
    with mock.patch.object(es, "_client", return_value=client):
        found = es.ElasticsearchBackend().terms_with_results(["拉伸", "the", "量子纠缠"])  # "the" is no query
    assert found == ["拉伸"]
    client.msearch.assert_called_once()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_both_backends_make_the_same_hit_of_the_same_service(language):
    """Elasticsearch's `_source` and the database's row hold the same fields: one function makes the hit."""
    from django.utils import translation

    from search.backends import database
    from search.text import highlight_pattern, parse_query

    pattern = highlight_pattern(parse_query("拉伸 tensile"))
    with translation.override(language):
        from_es = build_hit(es.to_source(data()), pattern)
        from_db = database._hit(database._document(data(), None), pattern)
    assert from_es == from_db
    assert from_es.price == Decimal("300.00") and "<mark>" in from_es.title_html


def test_text_queries_in_relevance_order_collapse_identical_offers_and_count_the_groups():
    b = body(SearchQuery(text="拉伸", filters=SearchFilters(province="浙江省")))
    assert b["collapse"] == {"field": "group_key", "inner_hits": {"name": "offers", "size": 0}}
    groups = b["aggs"]["_groups"]
    assert groups["aggs"]["groups"] == {
        "cardinality": {"field": "group_key", "precision_threshold": es.GROUPS_PRECISION}
    }
    assert groups["filter"] == {"terms": {"province": ["浙江省"]}}  # the groups of the filtered hits
    assert "collapse" not in body(SearchQuery(text="拉伸", sort=Sort.PRICE_ASC))  # other orders list every offer
    assert "collapse" not in body(SearchQuery())
    assert es.to_source(data(title_zh="金属材料 拉伸试验（室温）"))["group_key"] == "金属材料拉伸试验室温"
