"""Behaviour every search backend must show (parametrised over the available backends in conftest.py)."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import timezone

from search import api
from search.backends import get_backend
from search.backends.base import FACETS, SearchFilters, SearchQuery, Sort

pytestmark = pytest.mark.django_db


def ids(result) -> list[int]:
    return [hit.service_id for hit in result.hits]


def search(text: str = "", **kwargs) -> api.SearchResult:
    filters = kwargs.pop("filters", SearchFilters())
    return api.search_services(SearchQuery(text=text, filters=filters, **kwargs))


def public(catalog) -> set[int]:
    s = catalog["services"]
    return {s[k].pk for k in ("tensile", "valve", "hardness", "pilot", "escape")}


def test_empty_query_lists_every_public_service_and_nothing_else(catalog):
    result = search(page_size=50)
    assert set(ids(result)) == public(catalog)
    assert result.total == 5


@pytest.mark.parametrize("text", ["拉伸试验", "拉伸", "tensile test", "Tensile"])
def test_tensile_queries_rank_the_tensile_service_first(catalog, text):
    result = search(text)
    assert ids(result)[0] == catalog["services"]["tensile"].pk
    assert not {catalog["services"][k].pk for k in ("draft", "archived", "unverified")} & set(ids(result))


def test_chinese_word_inside_a_longer_text_is_found(catalog):
    assert ids(search("中试")) == [catalog["services"]["pilot"].pk]


def test_english_multi_word_query_needs_every_word(catalog):
    assert ids(search("pneumatic valve life test")) == [catalog["services"]["valve"].pk]
    assert ids(search("pneumatic valves")) == [catalog["services"]["valve"].pk]  # stemmed / inflected
    assert search("pneumatic hardness").total == 0


def test_mixed_chinese_and_english_query(catalog):
    assert ids(search("气动阀 life test")) == [catalog["services"]["valve"].pk]


@pytest.mark.parametrize("text", ["GB/T 228.1", "gb/t228.1", "GB/T 228.1-2021"])
def test_standard_code_ranks_services_listing_it_first(catalog, text):
    result = search(text)
    assert ids(result)[0] == catalog["services"]["tensile"].pk
    if text != "GB/T 228.1-2021":  # the undated code also finds the description that mentions it
        assert catalog["services"]["hardness"].pk in ids(result)


def test_other_standard_code_query(catalog):
    assert ids(search("ISO 6892-1")) == [catalog["services"]["tensile"].pk]
    assert search("GB/T 9999").total == 0


def _filter_cases(catalog):
    c, f, s = catalog["categories"], catalog["fields"], catalog["services"]
    return [
        (SearchFilters(category=c["testing"].pk), {"tensile", "valve", "hardness", "escape"}),
        (SearchFilters(category=c["mechanical"].pk), {"tensile", "hardness"}),
        (SearchFilters(field=f["materials"].pk), {"tensile", "hardness", "pilot"}),
        (SearchFilters(provider_level="platform"), {"valve", "hardness", "escape"}),
        (SearchFilters(province="浙江省"), {"tensile", "pilot"}),
        (SearchFilters(city="苏州市"), {"valve", "hardness", "escape"}),
        (SearchFilters(pricing_mode="quote_only"), {"pilot"}),
        (SearchFilters(price_min=Decimal("300")), {"tensile", "valve", "escape"}),
        (SearchFilters(price_max=Decimal("300")), {"tensile", "hardness"}),
        (SearchFilters(price_min=Decimal("250"), price_max=Decimal("600")), {"tensile", "escape"}),
        (SearchFilters(max_turnaround=5), {"tensile", "hardness"}),
        (SearchFilters(bookable=True), {"tensile"}),
        (SearchFilters(province="浙江省", category=c["testing"].pk), {"tensile"}),
    ], s


def test_each_filter_selects_exactly_the_matching_services(catalog):
    cases, s = _filter_cases(catalog)
    for filters, expected in cases:
        assert set(ids(search(filters=filters, page_size=50))) == {s[k].pk for k in expected}, filters


def test_filters_combine_with_text(catalog):
    s = catalog["services"]
    assert ids(search("拉伸", filters=SearchFilters(bookable=True))) == [s["tensile"].pk]
    assert search("拉伸", filters=SearchFilters(province="江苏省")).total == 1  # hardness mentions 拉伸试验


def _as_filter_value(name: str, value: str):
    if name in ("category", "field", "max_turnaround"):
        return int(value)
    if name == "bookable":
        return value == "true"
    return value


@pytest.mark.parametrize(
    ("text", "filters"),
    [
        ("", {}),
        ("试验", {}),
        ("", {"province": "江苏省"}),
        ("test", {"category": "testing", "max_turnaround": 7}),
        ("", {"bookable": True, "field": "materials"}),
    ],
)
def test_facet_counts_equal_the_totals_of_choosing_each_value(catalog, text, filters):
    """Disjunctive facets: a value's count is the total when that value replaces the facet's own filter."""
    if "category" in filters:
        filters["category"] = catalog["categories"][filters["category"]].pk
    if "field" in filters:
        filters["field"] = catalog["fields"][filters["field"]].pk
    base = SearchFilters(**filters)
    result = search(text, filters=base)
    assert set(result.facets) == set(FACETS)
    checked = 0
    for name, counts in result.facets.items():
        for value, count in counts.items():
            chosen = replace(base, **{name: _as_filter_value(name, value)})
            assert count == search(text, filters=chosen).total, (name, value)
            checked += 1
    assert checked
    # No value with results is missing: every province of a public match is listed.
    provinces = {hit.province for hit in search(text, filters=base.without("province"), page_size=50).hits}
    assert set(result.facets["province"]) == provinces


def test_category_facet_counts_include_sub_categories(catalog):
    facets = search().facets["category"]
    c = catalog["categories"]
    assert facets[str(c["testing"].pk)] == 4
    assert facets[str(c["mechanical"].pk)] == 2
    assert facets[str(c["pilot"].pk)] == 1


def test_sort_orders(catalog):
    s = catalog["services"]
    by = {k: s[k].pk for k in ("tensile", "valve", "hardness", "pilot", "escape")}
    assert ids(search(sort=Sort.PRICE_ASC)) == [by[k] for k in ("hardness", "tensile", "escape", "valve", "pilot")]
    assert ids(search(sort=Sort.PRICE_DESC)) == [by[k] for k in ("valve", "escape", "tensile", "hardness", "pilot")]
    assert ids(search(sort=Sort.TURNAROUND)) == [by[k] for k in ("hardness", "tensile", "escape", "valve", "pilot")]
    assert ids(search(sort=Sort.NEWEST)) == [by[k] for k in ("hardness", "valve", "tensile", "escape", "pilot")]


def test_pagination_covers_every_result_once(catalog):
    pages = [search(sort=Sort.PRICE_ASC, page=n, page_size=2) for n in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [2, 2, 1]
    assert {p.total for p in pages} == {5}
    assert pages[0].num_pages == 3 and pages[0].has_next and not pages[2].has_next
    assert {pk for p in pages for pk in ids(p)} == public(catalog)
    assert search(page=4, page_size=2).hits == []


def test_highlights_mark_matches_and_escape_html(catalog):
    hit = search("拉伸").hits[0]
    assert "<mark>拉伸</mark>" in hit.title_html
    escaped = search("焊缝").hits[0]
    assert escaped.title_html == "&lt;b&gt;<mark>焊缝</mark>&lt;/b&gt;无损检测"
    snippet = search("屈服强度").hits[0].snippet_html
    assert "<mark>屈服强度</mark>" in snippet or "<mark>屈服</mark>" in snippet
    assert "<mark>" in search("GB/T 228.1").hits[1].snippet_html  # the mention in the description


def test_prefix_suggestions_offer_titles_and_standard_codes(catalog):
    assert "GB/T 228.1-2021" in [s.text for s in api.suggest("GB/T 22")]
    assert "GB/T 228.1-2021" in [s.text for s in api.suggest("gbt228")]
    assert "金属材料室温拉伸试验" in [s.text for s in api.suggest("拉伸")]
    assert "Pneumatic valve life test" in [s.text for s in api.suggest("Pneum")]
    texts = [s.text for s in api.suggest("拉伸", limit=10)]
    assert not [t for t in texts if "草稿" in t or "下架" in t or "未审核" in t]
    assert api.suggest("") == []


def test_no_results_suggest_how_to_broaden(catalog):
    result = search("拉伸 量子纠缠")
    assert result.total == 0
    assert "拉伸" in result.suggestions
    filtered = search("气动阀", filters=SearchFilters(province="浙江省"))
    assert filtered.total == 0
    assert filtered.total_without_filters == 1
    assert filtered.suggestions == []  # removing the filters is the way to broaden, not other words


def test_count_is_the_unfiltered_total_of_a_search(catalog):
    backend = get_backend()
    assert backend.count("气动阀") == search("气动阀").total == 1
    assert backend.count("拉伸") == search("拉伸").total > 1
    assert backend.count("量子纠缠") == 0


def test_unpublished_archived_and_unverified_services_never_appear(catalog):
    hidden = {catalog["services"][k].pk for k in ("draft", "archived", "unverified")}
    for text in ["", "拉伸", "tensile", "草稿", "Archived", "未审核"]:
        assert not hidden & set(ids(search(text, page_size=50))), text


def test_publish_and_archive_reach_the_index(catalog, django_capture_on_commit_callbacks):
    s = catalog["services"]
    with django_capture_on_commit_callbacks(execute=True):
        s["draft"].status = "published"
        s["draft"].published_at = timezone.now()
        s["draft"].save()
    assert s["draft"].pk in ids(search("草稿"))
    with django_capture_on_commit_callbacks(execute=True):
        s["tensile"].status = "archived"
        s["tensile"].save()
    assert s["tensile"].pk not in ids(search("拉伸", page_size=50))


def test_provider_losing_verification_takes_its_services_out(catalog, django_capture_on_commit_callbacks):
    suzhou = catalog["providers"]["suzhou"]
    with django_capture_on_commit_callbacks(execute=True):
        suzhou.verification = "rejected"
        suzhou.save()
    assert search("气动阀").total == 0
    assert search().total == 2


def test_index_service_is_idempotent(catalog):
    pk = catalog["services"]["valve"].pk
    api.index_service(pk)
    api.index_service(pk)
    assert ids(search("气动阀")) == [pk]
    api.remove_service(pk)
    api.remove_service(pk)
    assert search("气动阀").total == 0


@pytest.mark.parametrize("text", ["it's", "<script>'\"\\", "%_*", "AND OR NOT", '"拉伸', "c++ 100%", "：；，。", "the"])
def test_odd_input_never_breaks_the_search(catalog, text):
    result = search(text)
    assert result.total >= 0
    api.suggest(text)


# --- bounded work (issue 16, items 2 and 3) ----------------------------------------------------------

DISTINCT_CJK = "".join(chr(0x4E00 + 37 * i) for i in range(200))  # 200 distinct characters, few of them words


def test_a_query_of_200_distinct_chinese_characters_is_answered(catalog):
    result = search(DISTINCT_CJK)
    assert result.total == 0 and result.hits == []
    assert search("拉伸 " + DISTINCT_CJK).total == 0  # the first terms still have to match
    api.suggest(DISTINCT_CJK[:100])


def test_words_past_the_term_limit_are_ignored(catalog):
    # 16 terms (MAX_QUERY_TERMS) that all occur in the tensile service, then words that occur nowhere.
    matching = "GB/T 228.1 金属 材料 室温 拉伸 试验 tensile test metallic materials room temperature strength yield"
    matching += " elongation fracture"
    assert ids(search(matching)) == [catalog["services"]["tensile"].pk]
    assert ids(search(matching + " 量子纠缠 zzyzx")) == [catalog["services"]["tensile"].pk]
    assert ids(search("量子纠缠 " + matching)) == []


def test_no_results_of_a_long_query_suggest_its_first_words_that_have_results(catalog):
    words = ["量子纠缠", "拉伸", "zzyzx", "气动阀"] + [f"qq{n}" for n in range(62)]  # 66 words
    result = search(" ".join(words))
    assert result.total == 0
    assert set(result.suggestions) == {"拉伸", "气动阀"}


def test_terms_with_results_checks_each_term_on_its_own(catalog):
    from search.backends import get_backend

    found = get_backend().terms_with_results(["拉伸", "量子纠缠", "pneumatic", "GB/T 228.1", "the", "%_*"])
    assert found == ["拉伸", "pneumatic", "GB/T 228.1"]
    assert get_backend().terms_with_results([]) == []


def test_identical_offers_are_grouped_in_relevance_order(catalog):
    """One test from four centers would fill the page: its best-ranked offer stands for the group."""
    from tests.factories import ProviderFactory, ServiceFactory

    copies = [
        ServiceFactory(
            provider=ProviderFactory(), title_zh="金属材料 室温拉伸试验", price=Decimal(100 * n), standards=[]
        )
        for n in range(1, 4)
    ]
    api.index_services([c.pk for c in copies])
    tensile = catalog["services"]["tensile"]  # "金属材料室温拉伸试验": the same title, spaced differently
    group = {tensile.pk} | {c.pk for c in copies}
    result = search("金属材料室温拉伸试验")
    assert len(result.hits) == 1 and ids(result)[0] in group
    assert result.hits[0].offers == 4
    assert result.total == 4 and result.groups == 1 and result.num_pages == 1
    broad = search("拉伸")
    assert broad.groups is not None
    assert len(ids(broad)) == broad.groups < broad.total  # every other tensile service, each once
    assert len(set(ids(broad)) & group) == 1
    assert set(ids(search("拉伸", sort=Sort.PRICE_ASC, page_size=50))) >= group  # other orders list every offer


def test_equal_ranks_break_on_title_coverage_before_newest(catalog):
    """The same words at the same weights: the title the query covers more of (the shorter) comes first, even
    when the other one is newer."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ServiceFactory

    common = {"summary_zh": "", "summary_en": "", "description_zh": "", "description_en": "", "standards": []}
    now = timezone.now()
    short = ServiceFactory(title_zh="钛合金板材弯曲试验", title_en="", published_at=now - timedelta(days=30), **common)
    long = ServiceFactory(title_zh="钛合金板材弯曲试验及回弹角测量", title_en="", published_at=now, **common)
    api.index_services([short.pk, long.pk])
    assert ids(search("钛合金板材弯曲"))[:2] == [short.pk, long.pk]


@pytest.mark.parametrize(
    ("title", "queries"),
    [
        ("铍铜带材弯折试验", ["铍铜带材弯折试验", "铍铜带材", "铍铜"]),  # 铍 and 铜 are no dictionary word together
        ("固体绝缘材料耐电痕化指数的测定", ["耐电痕化指数", "电痕化指数"]),  # jieba cuts 耐电 / 痕化 here...
        ("电子电气产品中多溴二苯醚的测定", ["多溴二苯醚"]),  # ...and 多 / 溴 here, 多溴 in the query
    ],
)
def test_words_no_dictionary_knows_are_found_by_the_same_characters(catalog, title, queries):
    """Characters jieba has no word for are cut by its guesswork, which depends on the text around them: a query
    for the words of a title finds it whatever the context, and the same characters apart do not."""
    from tests.factories import ServiceFactory

    common = {"summary_zh": "", "summary_en": "", "description_zh": "", "description_en": "", "standards": []}
    service = ServiceFactory(title_zh=title, title_en="", **common)
    apart = ServiceFactory(title_zh="铜管与铍含量检测", title_en="", **common)
    api.index_services([service.pk, apart.pk])
    for text in queries:
        assert service.pk in ids(search(text)), text
    assert apart.pk not in ids(search("铍铜"))


def test_a_misspelt_english_word_finds_what_was_meant(catalog):
    """ "tensle" is no word of any title; "tensile" is one letter away."""
    tensile = catalog["services"]["tensile"].pk
    assert tensile in ids(search("tensle test"))
    assert tensile in ids(search("Tensil"))
    assert search("tensle zzyzx").total == 0  # a correction only widens its own word


def test_pinyin_finds_the_chinese_words_of_the_catalog(catalog):
    tensile = catalog["services"]["tensile"].pk
    assert tensile in ids(search("lashen"))
    assert tensile in ids(search("lashenshiyan"))
    assert search("lashen").corrections == [("lashen", "拉伸")]


def test_grouped_pages_follow_the_rank_order_and_keep_the_group_count(catalog):
    """Paging one group per page walks the groups in the order of the first page of all groups; a page past the
    last still reports how many groups there are."""
    everything = search("拉伸", page_size=50)
    assert everything.groups is not None and everything.groups >= 2
    one_by_one = [ids(search("拉伸", page=n, page_size=1)) for n in range(1, everything.groups + 1)]
    assert [page[0] for page in one_by_one] == ids(everything)
    past = search("拉伸", page=everything.groups + 1, page_size=1)
    assert past.hits == [] and past.groups == everything.groups


def test_the_search_page_offers_the_other_centers_of_a_grouped_test(client, catalog):
    from tests.factories import ProviderFactory, ServiceFactory

    copy = ServiceFactory(provider=ProviderFactory(), title_zh="金属材料室温拉伸试验", price=Decimal(90))
    api.index_services([copy.pk])
    page = client.get("/en/search/", {"q": "室温拉伸"}).content.decode()
    assert "The same test from 1 more center: compare prices" in page
    assert "sort=price_asc" in page
