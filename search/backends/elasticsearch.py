"""The `elasticsearch` backend: the only module that imports elasticsearch.

Analysis works on a stock cluster (no plugins): Chinese fields use the built-in `cjk` analyzer
(CJK bigrams), English fields the `english` analyzer (stemming); standard codes are indexed as
normalised keyword tokens computed by `search.text` (the same tokens as the database backend);
suggestions use completion fields fed with every word-boundary suffix of the titles (so "拉伸"
completes "金属材料室温拉伸试验") and with the normalised codes.

Writes go to an alias (`settings.SEARCH_INDEX_ALIAS`); `rebuild` fills a new timestamped index,
then swaps the alias atomically and deletes the old indices, so searches never see a half index.
Facets are an `elasticsearch.dsl.FacetedSearch`, whose per-facet aggregation filters give the
disjunctive semantics described in `search.backends.base`.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch.dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    FacetedSearch,
    Index,
    Integer,
    Keyword,
    MultiSearch,
    Q,
    RangeFacet,
    ScaledFloat,
    Search,
    TermsFacet,
    Text,
    analyzer,
)
from elasticsearch.dsl.query import Query, Range

from ..synonyms import parse
from ..text import (
    QueryTerms,
    Term,
    Token,
    cjk_tokens,
    code_tokens,
    find_codes,
    group_key,
    highlight_pattern,
    normalise_code,
    title_for_prefix,
)
from .base import (
    TURNAROUND_BUCKETS,
    SearchFilters,
    SearchQuery,
    SearchResult,
    ServiceData,
    Sort,
    Suggestion,
)
from .hits import build_hit

# Completion inputs are matched as lowercased whole strings (the default "simple" analyzer drops digits).
suggest_analyzer = analyzer("suggest_keyword", tokenizer="keyword", filter=["lowercase"])
# Provider names are their own low-weight fields: a center's name must not rank all its services for its words.
CJK_FIELDS = {"title_zh": 8, "summary_zh": 2, "description_zh": 1, "provider_name_zh": 0.2}
ENGLISH_FIELDS = {"title_en": 8, "summary_en": 2, "description_en": 1, "provider_name_en": 0.2}
LISTED_CODE_BOOST = 20  # a service listing the queried standard ranks first
FULL_MATCH_BOOST = 50  # every word, generic test words included, in the service's own fields: before partial ones
PROXIMITY_SLOP = 2  # the required words standing this close together rank higher
GROUPS_PRECISION = 40_000  # cardinality counts exactly below this many groups (the maximum Elasticsearch allows)
TERMS_SIZE = 200


class ServiceDoc(Document):
    service_id = Integer()
    service_slug = Keyword(index=False)
    title_zh = Text(analyzer="cjk")
    title_en = Text(analyzer="english")
    summary_zh = Text(analyzer="cjk")
    summary_en = Text(analyzer="english")
    description_zh = Text(analyzer="cjk")
    description_en = Text(analyzer="english")
    provider_name_zh = Text(analyzer="cjk")
    provider_name_en = Text(analyzer="english")
    standards = Keyword()
    code_tokens = Keyword()  # normalised codes of the listed standards
    text_codes = Keyword()  # normalised codes mentioned in the texts
    provider_id = Integer()
    provider_slug = Keyword(index=False)
    provider_level = Keyword()
    province = Keyword()
    city = Keyword()
    category_id = Integer()
    category_ids = Integer()  # the category and its parent: filtering on a category includes sub-categories
    field_id = Integer()
    pricing_mode = Keyword()
    price = ScaledFloat(scaling_factor=100)
    price_unit = Keyword(index=False)
    turnaround_days = Integer()
    has_bookable_equipment = Boolean()
    published_at = Date()
    title_suggest = Completion(analyzer=suggest_analyzer)
    code_suggest = Completion(analyzer=suggest_analyzer)
    fingerprint = Keyword(index=False)
    group_key = Keyword()  # text.group_key(title_zh): identical offers collapse into one result


def title_suffixes(data: ServiceData) -> list[str]:
    """Completion inputs: each title from each word boundary on."""
    inputs = []
    words = cjk_tokens(data.title_zh, for_query=True)
    position = 0
    for word in words:
        start = data.title_zh.find(word, position)
        if start >= 0:
            inputs.append(data.title_zh[start:])
            position = start + len(word)
    english = data.title_en.split()
    inputs += [" ".join(english[i:]) for i in range(len(english))]
    return [t for t in dict.fromkeys([data.title_zh, data.title_en, *inputs]) if t.strip()]


def to_source(data: ServiceData) -> dict[str, Any]:
    """The indexed document of a service."""
    texts = [data.title_zh, data.title_en, data.summary_zh, data.summary_en, data.description_zh, data.description_en]
    listed = code_tokens(data.standards)
    return {
        "service_id": data.service_id,
        "service_slug": data.service_slug,
        "title_zh": data.title_zh,
        "title_en": data.title_en,
        "summary_zh": data.summary_zh,
        "summary_en": data.summary_en,
        "description_zh": data.description_zh,
        "description_en": data.description_en,
        "provider_name_zh": data.provider_name_zh,
        "provider_name_en": data.provider_name_en,
        "standards": data.standards,
        "code_tokens": listed,
        "text_codes": list(dict.fromkeys(t for text in texts for m in find_codes(text) for t in m.tokens)),
        "provider_id": data.provider_id,
        "provider_slug": data.provider_slug,
        "provider_level": data.provider_level,
        "province": data.province,
        "city": data.city,
        "category_id": data.category_id,
        "category_ids": sorted({data.category_id, data.category_root_id}),
        "field_id": data.field_id,
        "pricing_mode": data.pricing_mode,
        "price": None if data.price is None else float(data.price),
        "price_unit": data.price_unit,
        "turnaround_days": data.turnaround_days,
        "has_bookable_equipment": data.has_bookable_equipment,
        "published_at": data.published_at.isoformat(),
        "title_suggest": {"input": title_suffixes(data)},
        "code_suggest": {"input": listed} if listed else None,
        "fingerprint": data.fingerprint(),
        "group_key": group_key(data.title_zh),
    }


def new_index(name: str) -> Index:
    """A concrete index with the service mapping and analysis (one shard: the catalog is small)."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=20_000)
    index.document(ServiceDoc)
    return index


class AtMostFacet(RangeFacet):
    """Cumulative "within N days" buckets; a filter value may be any number of days, not only a bucket."""

    def __init__(self, field: str, buckets: Iterable[int]):
        super().__init__(field=field, ranges=[(str(days), (None, days + 1)) for days in buckets])

    def get_value_filter(self, filter_value: Any) -> Query:
        return Range(self._params["field"], {"lte": int(filter_value)}, _expand__to_dot=False)


FACET_FIELDS = {
    "category": TermsFacet(field="category_ids", size=TERMS_SIZE),
    "field": TermsFacet(field="field_id", size=TERMS_SIZE),
    "provider_level": TermsFacet(field="provider_level", size=TERMS_SIZE),
    "province": TermsFacet(field="province", size=TERMS_SIZE),
    "city": TermsFacet(field="city", size=TERMS_SIZE),
    "pricing_mode": TermsFacet(field="pricing_mode", size=TERMS_SIZE),
    "max_turnaround": AtMostFacet(field="turnaround_days", buckets=TURNAROUND_BUCKETS),
    "bookable": TermsFacet(field="has_bookable_equipment"),
}

SORTS: dict[Sort, list[Any]] = {
    Sort.RELEVANCE: ["_score", {"published_at": {"order": "desc"}}, {"service_id": {"order": "desc"}}],
    Sort.PRICE_ASC: [{"price": {"order": "asc", "missing": "_last"}}, "service_id"],
    Sort.PRICE_DESC: [{"price": {"order": "desc", "missing": "_last"}}, "service_id"],
    Sort.TURNAROUND: ["turnaround_days", "service_id"],
    Sort.NEWEST: [{"published_at": {"order": "desc"}}, {"service_id": {"order": "desc"}}],
}


def _fields(boosts: dict[str, float], own: bool = False) -> list[str]:
    """Field names with boosts; `own`: the service's own texts only, not its provider's name."""
    return [f"{name}^{boost}" for name, boost in boosts.items() if not (own and name.startswith("provider_"))]


def _token_query(token: Token, own: bool = False) -> Query:
    """One word: a Chinese word as a phrase (bigrams in order), English words across fields, a code listed or
    mentioned."""
    if token.kind == "cjk":
        return Q("multi_match", query=token.text, type="phrase", fields=_fields(CJK_FIELDS, own))
    if token.kind == "latin":
        fields = _fields(ENGLISH_FIELDS, own)
        return Q("multi_match", query=token.text, type="cross_fields", operator="and", fields=fields)
    listed = Q("term", code_tokens={"value": token.text, "boost": LISTED_CODE_BOOST})
    mentioned = Q("term", text_codes={"value": token.text})
    return Q("bool", should=[listed, mentioned], minimum_should_match=1)


def _term_query(term: Term, own: bool = False) -> Query:
    """Any form of the term, every word of that form."""
    forms = [
        _token_query(form[0], own) if len(form) == 1 else Q("bool", must=[_token_query(t, own) for t in form])
        for form in term.forms
    ]
    return forms[0] if len(forms) == 1 else Q("bool", should=forms, minimum_should_match=1)


def _proximity(terms: QueryTerms) -> list[Query]:
    """The required words close together, per language: ties break on phrase proximity."""
    cjk = [t.text for term in terms.required for t in term.forms[0] if t.kind == "cjk"]
    latin = [t.text for term in terms.required for t in term.forms[0] if t.kind == "latin"]
    queries = []
    for words, fields in ((cjk, CJK_FIELDS), (latin, ENGLISH_FIELDS)):
        if len(words) > 1:
            queries.append(
                Q("multi_match", query=" ".join(words), type="phrase", slop=PROXIMITY_SLOP, fields=_fields(fields))
            )
    return queries


def text_query(terms: QueryTerms) -> Query:
    """Every required term must match; a full match (every term, optional ones too, in the service's own
    fields), proximity, a code's year and a combined code's alternative only rank."""
    if terms.is_empty:
        return Q("match_all")
    must = [_term_query(term) for term in terms.required]
    should = [Q("term", code_tokens={"value": code, "boost": LISTED_CODE_BOOST}) for code in terms.ranking_codes]
    full = Q("bool", must=[_term_query(term, own=True) for term in terms.terms])
    should.append(Q("constant_score", filter=full, boost=FULL_MATCH_BOOST))
    should += _proximity(terms)
    return Q("bool", must=must, should=should) if should else Q("bool", must=must)


def facet_filters(filters: SearchFilters) -> dict[str, Any]:
    """FacetedSearch filter values of the facet filters (price bounds are plain query filters)."""
    values: dict[str, Any] = {
        "category": filters.category,
        "field": filters.field,
        "provider_level": filters.provider_level,
        "province": filters.province,
        "city": filters.city,
        "pricing_mode": filters.pricing_mode,
        "max_turnaround": filters.max_turnaround,
        "bookable": True if filters.bookable else None,
    }
    return {name: value for name, value in values.items() if value is not None}


class ServiceSearch(FacetedSearch):
    facets = FACET_FIELDS

    def __init__(self, *, client: Any, index: str, query: SearchQuery):
        self.using = client
        self.index = index
        self.search_query = query
        super().__init__(query=query.text, filters=facet_filters(query.filters), sort=SORTS[query.sort])

    def search(self) -> Search:
        s = super().search().extra(track_total_hits=True)
        price: dict[str, Decimal] = {}
        if self.search_query.filters.price_min is not None:
            price["gte"] = self.search_query.filters.price_min
        if self.search_query.filters.price_max is not None:
            price["lte"] = self.search_query.filters.price_max
        if price:
            s = s.filter("range", price={k: float(v) for k, v in price.items()})
        if self.search_query.filters.standard is not None:
            s = s.filter("term", code_tokens=self.search_query.filters.standard)
        if self.search_query.grouped:  # the best hit of each group; inner_hits only count the group
            s = s.extra(collapse={"field": "group_key", "inner_hits": {"name": "offers", "size": 0}})
        return s

    def aggregate(self, search: Any) -> None:
        """The facets, and for grouped results the number of groups among the filtered hits."""
        super().aggregate(search)
        if self.search_query.grouped:
            filtered: Query = Q("match_all")
            for facet_filter in self._filters.values():
                filtered &= facet_filter
            groups = search.aggs.bucket("_groups", "filter", filter=filtered)
            groups.metric("groups", "cardinality", field="group_key", precision_threshold=GROUPS_PRECISION)

    def query(self, search: Any, query: Any) -> Any:
        return search.query(text_query(parse(query or "")))


def count_search(text: str, *, client: Any = None, index: str = "services") -> Search:
    """The query of `text` alone, for the `_count` API: no filters, aggregations or hits."""
    return Search(using=client, index=index).query(text_query(parse(text)))


def build_search(query: SearchQuery, *, client: Any = None, index: str = "services") -> ServiceSearch:
    """The FacetedSearch of a query, one page sliced."""
    search = ServiceSearch(client=client, index=index, query=query)
    return search[query.offset : query.offset + query.page_size]


def suggest_search(prefix: str, limit: int, *, client: Any = None, index: str = "services") -> Search:
    s = Search(using=client, index=index).extra(size=0).source(["title_zh", "title_en", "standards"])
    s = s.suggest(
        "titles", prefix.lower(), completion={"field": "title_suggest", "size": limit, "skip_duplicates": True}
    )
    code = normalise_code(prefix)
    if len(code) >= 2:
        s = s.suggest("codes", code, completion={"field": "code_suggest", "size": limit, "skip_duplicates": True})
    return s


def terms_search(terms: Sequence[str], *, client: Any = None, index: str = "services") -> MultiSearch:
    """Whether each term alone matches anything: no hits, no aggregations, counting stops at the first match."""
    multi = MultiSearch(using=client, index=index)
    for term in terms:
        multi = multi.add(Search().query(text_query(parse(term))).extra(size=0, track_total_hits=1))
    return multi


def facet_counts(response: Any) -> dict[str, dict[str, int]]:
    """Facet name -> value -> count, values as the strings the page and the filters use."""
    counts: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        values = {}
        for value, count, _selected in getattr(response.facets, name):
            if name == "bookable":
                if value in (1, True, "true"):
                    values["true"] = count
            elif count:
                values[str(value)] = count
        counts[name] = values
    return counts


def _offers(hit: Any) -> int:
    """The size of a collapsed hit's group (1 when results are not grouped)."""
    inner = getattr(hit.meta, "inner_hits", None)
    return int(inner.offers.hits.total.value) if inner is not None and "offers" in inner else 1


@cache
def _client(url: str) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=10)


# (cluster URL, alias) pairs known to have an index behind the alias in this process: searches and
# suggestions (one per keystroke) skip the existence check after the first.
_READY: set[tuple[str, str]] = set()


class ElasticsearchBackend:
    """The `elasticsearch` backend (settings.ELASTICSEARCH_URL, settings.SEARCH_INDEX_ALIAS)."""

    @property
    def client(self) -> Elasticsearch:
        return _client(settings.ELASTICSEARCH_URL)

    @property
    def alias(self) -> str:
        return settings.SEARCH_INDEX_ALIAS

    def search(self, query: SearchQuery) -> SearchResult:
        self._ensure_index()
        response = build_search(query, client=self.client, index=self.alias).execute()
        terms = parse(query.text)
        pattern = highlight_pattern(terms)
        return SearchResult(
            hits=[build_hit(hit.to_dict(), pattern, _offers(hit)) for hit in response],
            total=response.hits.total.value,  # type: ignore[attr-defined]  # AttrList of hits carries the total
            page=query.page,
            page_size=query.page_size,
            facets=facet_counts(response),
            groups=int(response.aggregations._groups.groups.value) if query.grouped else None,
            corrections=list(terms.corrections),
        )

    def warm(self) -> None:
        """Nothing to prepare: Elasticsearch keeps its own caches of aggregations."""

    def count(self, text: str) -> int:
        self._ensure_index()
        return int(count_search(text, client=self.client, index=self.alias).count())

    def suggest(self, prefix: str, limit: int) -> list[Suggestion]:
        prefix = prefix.strip()
        if not prefix:
            return []
        self._ensure_index()
        response = suggest_search(prefix, limit, client=self.client, index=self.alias).execute()
        found: list[Suggestion] = []
        code = normalise_code(prefix)
        code_results = getattr(response.suggest, "codes", None)
        for option in code_results[0].options if code_results else []:
            for listed in option._source.standards or []:
                if normalise_code(listed).startswith(code):
                    found.append(Suggestion(text=listed, kind="standard"))
        for option in response.suggest.titles[0].options:  # type: ignore[attr-defined]
            source = option._source
            found.append(
                Suggestion(text=title_for_prefix(source.title_zh, source.title_en or "", prefix), kind="title")
            )
        return list(dict.fromkeys(found))[:limit]

    def terms_with_results(self, terms: Sequence[str]) -> list[str]:
        """One multi-search of hit counts, a term's query being the one `search` runs for it alone."""
        checked = [term for term in terms if not parse(term).is_empty]
        if not checked:
            return []
        self._ensure_index()
        responses = terms_search(checked, client=self.client, index=self.alias).execute()
        return [term for term, response in zip(checked, responses, strict=True) if response.hits.total.value]  # type: ignore[attr-defined]

    def index(self, documents: Iterable[ServiceData]) -> None:
        self._ensure_index()
        helpers.bulk(self.client, self._actions(documents, self.alias), refresh="wait_for")

    def remove(self, service_ids: Iterable[int]) -> None:
        self._ensure_index()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in service_ids)
        helpers.bulk(self.client, actions, raise_on_error=False, refresh="wait_for")

    def rebuild(self, documents: Iterable[ServiceData]) -> None:
        """Fill a new index, then point the alias at it in one atomic step and drop the old ones."""
        name = self._create_index()
        helpers.bulk(self.client, self._actions(documents, name), chunk_size=1000)
        self.client.indices.refresh(index=name)
        old = self._indices_behind_alias()
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old] + [
            {"add": {"index": name, "alias": self.alias}}
        ]
        self.client.indices.update_aliases(actions=actions)
        for o in old:
            self.client.indices.delete(index=o)

    def fingerprints(self) -> Iterator[tuple[int, str]]:
        self._ensure_index()
        for hit in helpers.scan(self.client, index=self.alias, _source=["fingerprint"], size=2000):
            yield int(hit["_id"]), hit["_source"].get("fingerprint", "")

    def _indices_behind_alias(self) -> list[str]:
        try:
            return list(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def _create_index(self) -> str:
        """A new, empty, timestamped index for the alias; returns its name."""
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        new_index(name).create(using=self.client)
        return name

    def _ensure_index(self) -> None:
        """First use: an empty index behind the alias (rebuild replaces it)."""
        key = (settings.ELASTICSEARCH_URL, self.alias)
        if key in _READY:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            self.client.indices.put_alias(index=self._create_index(), name=self.alias)
        _READY.add(key)

    @staticmethod
    def _actions(documents: Iterable[ServiceData], index: str) -> Iterator[dict[str, Any]]:
        for data in documents:
            source = {k: v for k, v in to_source(data).items() if v is not None}
            yield {"_index": index, "_id": data.service_id, "_source": source}
