"""Search in the project's own database: PostgreSQL full-text search, or SQLite FTS5 (trigram) for the demo.

This module holds what both engines share: writing the `ServiceDocument` rows, filters, sort orders, facet
counts over the matches, suggestions. The text part of each engine is its own module, chosen by the connection:
`postgresql` (weighted tsvectors, one GROUPING SETS query for every facet count) and `sqlite` (an FTS5 table).

Relevance order (both): services listing a queried standard code first (dated code first), then those with
every word, generic test words (试验) included, in their own texts
rather than only in their provider's name, then the engine's weighted rank, then title coverage (shorter titles
first), then newest.
Facet counts follow the semantics in `search.backends.base`.
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from types import ModuleType
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from ..models import ServiceDocument, StandardCode
from ..synonyms import parse
from ..text import QueryTerms, code_tokens, group_key, highlight_pattern, normalise_code, title_for_prefix
from . import postgresql, sqlite
from .base import (
    FACETS,
    TURNAROUND_BUCKETS,
    SearchFilters,
    SearchHit,
    SearchQuery,
    SearchResult,
    ServiceData,
    Sort,
    Suggestion,
)
from .grouping import best_of_each_group, rank_key, read_leaders
from .hits import HIT_FIELDS, build_hit
from .result_cache import bump_index_version, entry

INDEX_BATCH = 1000
Counts = tuple[int, dict[str, dict[str, int]]]  # the total and the facets' counts
Page = tuple[list[SearchHit], int | None]  # a page of hits and, for grouped results, the number of groups
DOCUMENT_FIELDS = [f.name for f in ServiceDocument._meta.concrete_fields if not f.primary_key]


def _document(doc: ServiceData, vector: RawSQL | None) -> ServiceDocument:
    return ServiceDocument(
        service_id=doc.service_id,
        service_slug=doc.service_slug,
        title_zh=doc.title_zh,
        title_en=doc.title_en,
        summary_zh=doc.summary_zh,
        summary_en=doc.summary_en,
        description_zh=doc.description_zh,
        description_en=doc.description_en,
        standards=doc.standards,
        code_tokens=" " + " ".join(code_tokens(doc.standards)) + " ",
        group_key=group_key(doc.title_zh),
        provider_id=doc.provider_id,
        provider_slug=doc.provider_slug,
        provider_name_zh=doc.provider_name_zh,
        provider_name_en=doc.provider_name_en,
        provider_level=doc.provider_level,
        province=doc.province,
        city=doc.city,
        category_id=doc.category_id,
        category_root_id=doc.category_root_id,
        field_id=doc.field_id,
        pricing_mode=doc.pricing_mode,
        price=doc.price,
        price_unit=doc.price_unit,
        turnaround_days=doc.turnaround_days,
        has_bookable_equipment=doc.has_bookable_equipment,
        published_at=doc.published_at,
        search_vector=vector,
        fingerprint=doc.fingerprint(),
    )


def filters_q(filters: SearchFilters) -> Q:
    """The WHERE clause of a set of filters over ServiceDocument."""
    q = Q()
    if filters.category is not None:
        q &= Q(category_id=filters.category) | Q(category_root_id=filters.category)
    for name in ("field", "provider_level", "province", "city", "pricing_mode"):
        value = getattr(filters, name)
        if value is not None:
            q &= Q(**{"field_id" if name == "field" else name: value})
    if filters.price_min is not None:
        q &= Q(price__gte=filters.price_min)
    if filters.price_max is not None:
        q &= Q(price__lte=filters.price_max)
    if filters.max_turnaround is not None:
        q &= Q(turnaround_days__lte=filters.max_turnaround)
    if filters.bookable:
        q &= Q(has_bookable_equipment=True)
    if filters.standard is not None:
        q &= Q(code_tokens__contains=f" {filters.standard} ")
    return q


class DatabaseBackend:
    """The `database` backend: PostgreSQL full-text search or SQLite FTS5, chosen by the connection."""

    @property
    def is_postgresql(self) -> bool:
        return connection.vendor == "postgresql"

    @property
    def engine(self) -> ModuleType:
        """The text-search module of the connection's database."""
        return postgresql if self.is_postgresql else sqlite

    # --- writing -------------------------------------------------------------------------------

    def index(self, documents: Iterable[ServiceData]) -> None:
        iterator = iter(documents)
        while batch := list(islice(iterator, INDEX_BATCH)):
            self._index_batch(batch)

    @transaction.atomic
    def _index_batch(self, batch: list[ServiceData]) -> None:
        bump_index_version()
        ids = [d.service_id for d in batch]
        rows = [_document(d, postgresql.tsvector_sql(d) if self.is_postgresql else None) for d in batch]
        ServiceDocument.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["service"], update_fields=DOCUMENT_FIELDS
        )
        StandardCode.objects.filter(document_id__in=ids).delete()
        StandardCode.objects.bulk_create(
            StandardCode(document_id=d.service_id, code=code, normalised=normalise_code(code))
            for d in batch
            for code in dict.fromkeys(d.standards)
        )
        if not self.is_postgresql:
            sqlite.write(batch)

    @transaction.atomic
    def remove(self, service_ids: Iterable[int]) -> None:
        ids = list(service_ids)
        if not ids:
            return
        bump_index_version()
        ServiceDocument.objects.filter(pk__in=ids).delete()
        if not self.is_postgresql:
            sqlite.delete(ids)

    @transaction.atomic
    def rebuild(self, documents: Iterable[ServiceData]) -> None:
        """Replace every document in one transaction: searches see the old index until it commits."""
        bump_index_version()
        ServiceDocument.objects.all().delete()
        if not self.is_postgresql:
            sqlite.clear()
        self.index(documents)

    def fingerprints(self) -> Iterator[tuple[int, str]]:
        yield from ServiceDocument.objects.order_by().values_list("service_id", "fingerprint").iterator(5000)

    # --- reading -------------------------------------------------------------------------------

    def _match(self, terms: QueryTerms) -> tuple[QuerySet[ServiceDocument], Any, Any]:
        """Documents matching every required term, whether each is a full match (every term, optional ones too,
        in the service's own texts) and their rank; None and None without terms."""
        docs = ServiceDocument.objects.all()
        if terms.is_empty:
            return docs, None, None
        matched, full, score = self.engine.match(docs, terms)
        return matched, full, score

    def search(self, query: SearchQuery) -> SearchResult:
        terms = parse(query.text)
        matched, full, score = self._match(terms)
        results = matched.filter(filters_q(query.filters))
        plain = filters_q(
            SearchFilters(
                price_min=query.filters.price_min, price_max=query.filters.price_max, standard=query.filters.standard
            )
        )
        codes = terms.ranking_codes + terms.codes
        window = slice(query.offset, query.offset + query.page_size)
        grouped = query.grouped and not terms.is_empty
        pattern = highlight_pattern(terms)

        def total_and_facets() -> Counts:
            if self.is_postgresql:
                return postgresql.total_and_facets(matched, plain, _active_flags(query.filters))
            return results.count(), _facets(matched, query.filters)

        def page() -> Page:
            ordered = _order(results, query.sort, full, score, codes)
            if grouped:
                leaders, groups = best_of_each_group(ordered, RANK_ORDER, window, postgresql=self.is_postgresql)
                return [_hit(doc, pattern) for doc in leaders], groups
            return [_hit(doc, pattern) for doc in ordered[window].defer("search_vector")], None

        def both() -> tuple[Counts, Page]:
            """A grouped text search's first request on PostgreSQL: counts and page from one pass."""
            ranked = _order(matched.filter(plain), Sort.RELEVANCE, full, score, codes)
            counts, (leaders, groups) = postgresql.total_facets_and_leaders(
                ranked, _active_flags(query.filters), rank_key(RANK_ORDER), window
            )
            if not leaders and window.start:  # past the last page: the group count comes apart
                return counts, page()
            return counts, ([_hit(doc, pattern) for doc in read_leaders(leaders)], groups)

        counts_entry = entry((terms, query.filters))
        page_entry = entry(("page", terms, query.filters, query.sort, query.page, query.page_size))
        counts, hits_and_groups = counts_entry.get(), page_entry.get()
        if counts is None and hits_and_groups is None and grouped and self.is_postgresql:
            counts, hits_and_groups = both()
            page_entry.set(hits_and_groups)
            counts_entry.set(counts)
        if counts is None:
            counts = total_and_facets()
            counts_entry.set(counts)
        if hits_and_groups is None:
            hits_and_groups = page()
            page_entry.set(hits_and_groups)
        (total, facets), (hits, groups) = counts, hits_and_groups
        return SearchResult(
            hits=hits,
            total=total,
            page=query.page,
            page_size=query.page_size,
            facets=facets,
            groups=groups,
            corrections=list(terms.corrections),
        )

    def count(self, text: str) -> int:
        matched, _full, _score = self._match(parse(text))
        return matched.count()

    def warm(self) -> None:
        """Count the landing query (everything, no filter) again: index writes invalidated the cached counts,
        and counting the whole catalog is the slowest query there is, the one every search page starts with."""
        self.search(SearchQuery())

    def terms_with_results(self, terms: Sequence[str]) -> list[str]:
        """One SELECT of an EXISTS per term, each the very match `search` runs for that term alone."""
        checks: list[tuple[str, str]] = []
        params: list[Any] = []
        for term in terms:
            parsed = parse(term)
            if parsed.is_empty:
                continue
            matched, _full, _score = self._match(parsed)
            sql, term_params = matched.order_by().values("pk")[:1].query.sql_with_params()
            checks.append((term, f"EXISTS ({sql})"))
            params.extend(term_params)
        if not checks:
            return []
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(sql for _term, sql in checks), params)
            row = cursor.fetchone()
        return [term for (term, _sql), found in zip(checks, row, strict=True) if found]

    def suggest(self, prefix: str, limit: int) -> list[Suggestion]:
        prefix = prefix.strip()
        if not prefix:
            return []
        codes = _code_suggestions(prefix, limit)
        titles = self._title_suggestions(prefix, limit - len(codes))
        return (codes + titles)[:limit]

    def _title_suggestions(self, prefix: str, limit: int) -> list[Suggestion]:
        if limit <= 0:
            return []
        docs = self.engine.title_prefix_filter(ServiceDocument.objects.all(), prefix)
        rows = docs.values_list("title_zh", "title_en")[: limit * 4]
        titles = sorted({title_for_prefix(zh, en, prefix) for zh, en in rows}, key=lambda t: (len(t), t))
        return [Suggestion(text=t, kind="title") for t in titles[:limit]]


def _code_suggestions(prefix: str, limit: int) -> list[Suggestion]:
    normalised = normalise_code(prefix)
    if len(normalised) < 2:
        return []
    codes = (
        StandardCode.objects.filter(normalised__startswith=normalised)
        .values_list("code", flat=True)
        .distinct()
        .order_by("code")[:limit]
    )
    return [Suggestion(text=code, kind="standard") for code in codes]


# Ties of the text rank break on title coverage (the shorter the titles, the more of them the query covers: for
# 拉伸试验, "金属材料拉伸试验" before "金属材料拉伸试验及断后伸长率测定"), then on newest.
RANK_ORDER = ("-code_hit", "-full", "-score", "-coverage", "-published_at", "-pk")


def _order(
    results: QuerySet[ServiceDocument], sort: Sort, full: Any, score: Any, codes: tuple[str, ...]
) -> QuerySet[ServiceDocument]:
    if sort == Sort.PRICE_ASC:
        return results.order_by(F("price").asc(nulls_last=True), "pk")
    if sort == Sort.PRICE_DESC:
        return results.order_by(F("price").desc(nulls_last=True), "pk")
    if sort == Sort.TURNAROUND:
        return results.order_by("turnaround_days", "pk")
    if sort == Sort.NEWEST or score is None:
        return results.order_by("-published_at", "-pk")
    code_hit: Any = Value(0)
    if codes:  # the earlier a listed code comes in `codes` (dated ones first), the higher its services rank
        code_hit = Case(
            *(When(code_tokens__contains=f" {c} ", then=Value(len(codes) - i)) for i, c in enumerate(codes)),
            default=Value(0),
            output_field=IntegerField(),
        )
    coverage = -(Length("title_zh") + Length("title_en"))
    return results.annotate(code_hit=code_hit, full=full, score=score, coverage=coverage).order_by(*RANK_ORDER)


def _facets(matched: QuerySet[ServiceDocument], filters: SearchFilters) -> dict[str, dict[str, int]]:
    """Per facet: counts over the text matches with every other facet's filter applied."""
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        base = matched.filter(filters_q(filters.without(name)))
        facets[name] = {k: v for k, v in _facet_counts(base, name).items() if v}
    return facets


def _active_flags(filters: SearchFilters) -> dict[str, Any]:
    """One boolean per *active* facet filter: whether a row passes it (inactive facets pass everything)."""
    flags = {}
    for name in FACETS:
        own = filters_q(SearchFilters(**{name: getattr(filters, name)}))
        if own:
            flags[name] = ExpressionWrapper(own, output_field=BooleanField())
    return flags


def _group_counts(docs: QuerySet[ServiceDocument], column: str) -> dict[str, int]:
    rows = docs.exclude(**{f"{column}__isnull": True}).values_list(column).annotate(n=Count("pk")).order_by()
    return {str(value): n for value, n in rows}


def _facet_counts(docs: QuerySet[ServiceDocument], name: str) -> dict[str, int]:
    if name == "category":
        counts = _group_counts(docs, "category_root_id")
        counts.update(_group_counts(docs.exclude(category_id=F("category_root_id")), "category_id"))
        return counts
    if name == "field":
        return _group_counts(docs, "field_id")
    if name == "max_turnaround":
        aggregates = {str(days): Count("pk", filter=Q(turnaround_days__lte=days)) for days in TURNAROUND_BUCKETS}
        return docs.aggregate(**aggregates)
    if name == "bookable":
        return {"true": docs.filter(has_bookable_equipment=True).count()}
    return _group_counts(docs, name)


def _hit(doc: ServiceDocument, pattern: Any) -> SearchHit:
    return build_hit({name: getattr(doc, name) for name in HIT_FIELDS}, pattern, getattr(doc, "offers", 1))
