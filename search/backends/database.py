"""Search in the project's own database: PostgreSQL full-text search, or SQLite FTS5 (trigram) for the demo.

PostgreSQL: one tsvector per service. Chinese words (jieba) and normalised standard codes are
written as tsvector literals with their weights, so no parser or locale touches them; English text
goes through `to_tsvector('english', ...)` for stemming. Title A > standards B > summary C >
description and provider name D. The query is the AND of its Chinese words and codes (a tsquery
literal) and of `plainto_tsquery('english', ...)` over its English words.

SQLite: an FTS5 table with the trigram tokenizer holds the same four text columns; each query term
must occur as a substring (terms shorter than three characters, which trigrams cannot index, fall
back to LIKE). Ranking there is a weighted count of the columns each term occurs in.

SQL here is assembled from constants (table, column and weight names) only; every value is a query
parameter, hence the `noqa: S608/S611` markers.

Both: services listing a queried standard code rank first; facet counts follow the semantics in
`search.backends.base`.
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from ..models import ServiceDocument, StandardCode
from ..text import (
    MAX_QUERY_TERMS,
    QueryTerms,
    cjk_tokens,
    code_tokens,
    crude_stem,
    find_codes,
    highlight_pattern,
    latin_text,
    normalise_code,
    parse_query,
    title_for_prefix,
)
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
from .facet_cache import bump_index_version, cached
from .hits import HIT_FIELDS, build_hit

FTS_TABLE = "search_servicedocument_fts"
INDEX_BATCH = 1000
FTS_COLUMNS = ("title", "standards", "summary", "body")
WEIGHTS = {"A": 8, "B": 4, "C": 2, "D": 1}  # SQLite column weights, in the order of PostgreSQL's A-D
DOCUMENT_FIELDS = [f.name for f in ServiceDocument._meta.concrete_fields if not f.primary_key]


def _text_fields(doc: ServiceData) -> dict[str, str]:
    """The four weighted texts of a service (standards as listed)."""
    return {
        "A": f"{doc.title_zh} {doc.title_en}",
        "B": " ".join(doc.standards),
        "C": f"{doc.summary_zh} {doc.summary_en}",
        "D": f"{doc.description_zh} {doc.description_en} {doc.provider_name_zh} {doc.provider_name_en}",
    }


def _codes_in(weight: str, text: str, doc: ServiceData) -> list[str]:
    """Normalised codes a text mentions (every listed standard, for the standards text)."""
    if weight == "B":
        return code_tokens(doc.standards)
    return list(dict.fromkeys(t for m in find_codes(text) for t in m.tokens))


def _quote_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsvector_sql(doc: ServiceData) -> RawSQL:
    """The weighted tsvector of a service, as an SQL expression over parameters."""
    literal, sql, params = [], ["%s::tsvector"], []
    position = 0
    for weight, text in _text_fields(doc).items():
        for token in _codes_in(weight, text, doc) + cjk_tokens(text):
            position = min(position + 1, 16383)
            literal.append(f"{_quote_lexeme(token)}:{position}{weight}")
        english = latin_text(text).strip()
        if english:
            sql.append(f"setweight(to_tsvector('english'::regconfig, %s), '{weight}')")
            params.append(english)
    return RawSQL(" || ".join(sql), [" ".join(literal), *params])  # noqa: S611


def _fts_row(doc: ServiceData) -> list[Any]:
    """The SQLite FTS5 row: each text followed by the normalised codes it mentions."""
    texts = [f"{text} {' '.join(_codes_in(w, text, doc))}" for w, text in _text_fields(doc).items()]
    return [doc.service_id, *texts]


def _pg_tsquery(terms: QueryTerms) -> tuple[str, list[str]]:
    """The tsquery SQL of the terms: literal lexemes for codes and Chinese words, english config for the rest."""
    parts, params = [], []
    lexemes = terms.codes + terms.cjk
    if lexemes:
        parts.append("%s::tsquery")
        params.append(" & ".join(_quote_lexeme(t) for t in lexemes))
    if terms.latin:
        parts.append("plainto_tsquery('english'::regconfig, %s)")
        params.append(" ".join(terms.latin))
    return "(" + " && ".join(parts) + ")", params


def _fts_terms(terms: QueryTerms) -> list[str]:
    return list(terms.codes + terms.cjk) + [crude_stem(w) for w in terms.latin]


def _fts_contains(term: str, columns: tuple[str, ...] = FTS_COLUMNS) -> tuple[str, list[str]]:
    """FTS5 condition "a column contains the term": a trigram MATCH, or instr() for terms shorter than a trigram."""
    if len(term) >= 3:
        phrase = '"' + term.replace('"', '""') + '"'
        return f"{FTS_TABLE} MATCH %s", ["{" + " ".join(columns) + "} : " + phrase]
    return "(" + " OR ".join(f"instr(lower({c}), %s) > 0" for c in columns) + ")", [term.lower()] * len(columns)


def _fts_where(terms: QueryTerms) -> tuple[str, list[str]]:
    """Every term in some column (trigram MATCH where possible: several MATCHes are ANDed into one)."""
    long_terms = [t for t in _fts_terms(terms) if len(t) >= 3]
    conditions, params = [], []
    if long_terms:
        conditions.append(f"{FTS_TABLE} MATCH %s")
        params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    for term in (t for t in _fts_terms(terms) if len(t) < 3):
        sql, term_params = _fts_contains(term)
        conditions.append(sql)
        params += term_params
    return " AND ".join(conditions), params


def _fts_score(terms: QueryTerms) -> tuple[str, list[str]]:
    """Weighted count of the columns each term occurs in (title 8, standards 4, summary 2, body 1)."""
    parts, params = [], []
    for term in _fts_terms(terms):
        for column, weight in zip(FTS_COLUMNS, WEIGHTS.values(), strict=True):
            parts.append(f"(instr(lower({column}), %s) > 0) * {weight}")
            params.append(term.lower())
    return " + ".join(parts), params


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
    return q


class DatabaseBackend:
    """The `database` backend: PostgreSQL full-text search or SQLite FTS5, chosen by the connection."""

    @property
    def is_postgresql(self) -> bool:
        return connection.vendor == "postgresql"

    # --- writing -------------------------------------------------------------------------------

    def index(self, documents: Iterable[ServiceData]) -> None:
        iterator = iter(documents)
        while batch := list(islice(iterator, INDEX_BATCH)):
            self._index_batch(batch)

    @transaction.atomic
    def _index_batch(self, batch: list[ServiceData]) -> None:
        bump_index_version()
        ids = [d.service_id for d in batch]
        rows = [_document(d, _tsvector_sql(d) if self.is_postgresql else None) for d in batch]
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
            self._fts_delete(ids)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, standards, summary, body) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                    [_fts_row(d) for d in batch],
                )

    def _fts_delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids)  # noqa: S608

    @transaction.atomic
    def remove(self, service_ids: Iterable[int]) -> None:
        ids = list(service_ids)
        if not ids:
            return
        bump_index_version()
        ServiceDocument.objects.filter(pk__in=ids).delete()
        if not self.is_postgresql:
            self._fts_delete(ids)

    @transaction.atomic
    def rebuild(self, documents: Iterable[ServiceData]) -> None:
        """Replace every document in one transaction: searches see the old index until it commits."""
        bump_index_version()
        ServiceDocument.objects.all().delete()
        if not self.is_postgresql:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        self.index(documents)

    def fingerprints(self) -> Iterator[tuple[int, str]]:
        yield from ServiceDocument.objects.order_by().values_list("service_id", "fingerprint").iterator(5000)

    # --- reading -------------------------------------------------------------------------------

    def _match(self, terms: QueryTerms) -> tuple[QuerySet[ServiceDocument], RawSQL | None]:
        """Documents matching every term, and their relevance score (None without terms)."""
        docs = ServiceDocument.objects.all()
        if terms.is_empty:
            return docs, None
        if self.is_postgresql:
            sql, params = _pg_tsquery(terms)
            match = RawSQL(f"search_vector @@ {sql}", params, output_field=BooleanField())  # noqa: S611
            return docs.filter(match), RawSQL(f"ts_rank(search_vector, {sql})", params, output_field=FloatField())  # noqa: S611
        where, params = _fts_where(terms)
        score_sql, score_params = _fts_score(terms)
        matched = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {where}", params)  # noqa: S608, S611
        score = RawSQL(  # noqa: S611
            f"SELECT {score_sql} FROM {FTS_TABLE} WHERE rowid = search_servicedocument.service_id",  # noqa: S608
            score_params,
            output_field=FloatField(),
        )
        return docs.filter(pk__in=matched), score

    def search(self, query: SearchQuery) -> SearchResult:
        terms = parse_query(query.text)
        matched, score = self._match(terms)
        results = matched.filter(filters_q(query.filters))

        def total_and_facets() -> tuple[int, dict[str, dict[str, int]]]:
            if self.is_postgresql:
                return _pg_total_and_facets(matched, query.filters)
            return results.count(), _facets(matched, query.filters)

        total, facets = cached((terms, query.filters), total_and_facets)
        ranked = terms.ranking_codes + terms.codes
        page = _order(results, query.sort, score, ranked)[query.offset : query.offset + query.page_size]
        pattern = highlight_pattern(terms)
        return SearchResult(
            hits=[_hit(doc, pattern) for doc in page],
            total=total,
            page=query.page,
            page_size=query.page_size,
            facets=facets,
        )

    def count(self, text: str) -> int:
        matched, _score = self._match(parse_query(text))
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
            parsed = parse_query(term)
            if parsed.is_empty:
                continue
            matched, _score = self._match(parsed)
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
        docs = ServiceDocument.objects.all()
        if self.is_postgresql:
            tsquery = _pg_prefix_tsquery(prefix)
            if not tsquery:
                return []
            docs = docs.filter(RawSQL("search_vector @@ %s::tsquery", [tsquery], output_field=BooleanField()))
        else:
            sql, params = _fts_contains(prefix, ("title",))
            docs = docs.filter(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {sql}", params))  # noqa: S608, S611
        rows = docs.values_list("title_zh", "title_en")[: limit * 4]
        titles = sorted({title_for_prefix(zh, en, prefix) for zh, en in rows}, key=lambda t: (len(t), t))
        return [Suggestion(text=t, kind="title") for t in titles[:limit]]


def _pg_prefix_tsquery(prefix: str) -> str:
    """Title lexemes (weight A) for a prefix being typed: earlier words exact, the last one as a prefix."""
    tokens = [_quote_lexeme(t) for t in cjk_tokens(prefix, for_query=True)]
    tokens += [_quote_lexeme(w) for w in (w.lower() for w in latin_text(prefix).split()) if w.isalnum()]
    tokens = tokens[:MAX_QUERY_TERMS]  # a bounded tsquery, as for searches
    if not tokens:
        return ""
    return " & ".join([f"{t}:A" for t in tokens[:-1]] + [f"{tokens[-1]}:*A"])


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


def _order(
    results: QuerySet[ServiceDocument], sort: Sort, score: RawSQL | None, codes: tuple[str, ...]
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
    return results.annotate(code_hit=code_hit, score=score).order_by("-code_hit", "-score", "-published_at", "-pk")


def _facets(matched: QuerySet[ServiceDocument], filters: SearchFilters) -> dict[str, dict[str, int]]:
    """Per facet: counts over the text matches with every other facet's filter applied."""
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        base = matched.filter(filters_q(filters.without(name)))
        facets[name] = {k: v for k, v in _facet_counts(base, name).items() if v}
    return facets


GROUPED = {  # column -> facet, for the GROUPING SETS query
    "category_root_id": "category",
    "category_id": "category",
    "field_id": "field",
    "provider_level": "provider_level",
    "province": "province",
    "city": "city",
    "pricing_mode": "pricing_mode",
}


def _active_flags(filters: SearchFilters) -> dict[str, Any]:
    """One boolean per *active* facet filter: whether a row passes it (inactive facets pass everything)."""
    flags = {}
    for name in FACETS:
        own = filters_q(SearchFilters(**{name: getattr(filters, name)}))
        if own:
            flags[name] = ExpressionWrapper(own, output_field=BooleanField())
    return flags


def _pg_total_and_facets(
    matched: QuerySet[ServiceDocument], filters: SearchFilters
) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and every facet's counts in one pass over the matches (PostgreSQL GROUPING SETS).

    Each row carries one boolean per active facet filter; a facet's count uses all flags but its own.
    Without filters every count is a plain count(*), which PostgreSQL computes once per group.
    """
    price_only = SearchFilters(price_min=filters.price_min, price_max=filters.price_max)
    flags = {f"f_{name}": expression for name, expression in _active_flags(filters).items()}
    rows = (
        matched.filter(filters_q(price_only))
        .annotate(**flags)
        .values(*GROUPED, "turnaround_days", "has_bookable_equipment", *flags)
    )
    inner, params = rows.query.sql_with_params()

    def passing(but: str | None = None) -> str:
        return " AND ".join([flag for flag in flags if flag != f"f_{but}"] + ["TRUE"])

    counts = [f"count(*) FILTER (WHERE {passing(facet)}) AS n_{column}" for column, facet in GROUPED.items()]
    counts += [f"count(*) FILTER (WHERE {passing()}) AS n_total"]
    counts += [
        f"count(*) FILTER (WHERE {passing('max_turnaround')} AND turnaround_days <= {days}) AS t_{days}"
        for days in TURNAROUND_BUCKETS
    ]
    counts += [f"count(*) FILTER (WHERE {passing('bookable')} AND has_bookable_equipment) AS n_bookable"]
    sets = ", ".join(f"({column})" for column in GROUPED)
    sql = (
        f"WITH m AS ({inner}) SELECT {', '.join(f'GROUPING({c})' for c in GROUPED)}, {', '.join(GROUPED)}, "  # noqa: S608
        f"{', '.join(counts)} FROM m GROUP BY GROUPING SETS ({sets}, ())"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        results = cursor.fetchall()
    return _read_grouping_sets(results)


def _read_grouping_sets(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, dict[str, int]]]:
    width = len(GROUPED)
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    total = 0
    for row in rows:
        grouping, values, counts = row[:width], row[width : 2 * width], row[2 * width :]
        if all(grouping):  # the grand total set ()
            total = counts[width]
            turnaround = counts[width + 1 : width + 1 + len(TURNAROUND_BUCKETS)]
            facets["max_turnaround"] = {str(d): n for d, n in zip(TURNAROUND_BUCKETS, turnaround, strict=True) if n}
            facets["bookable"] = {"true": counts[-1]} if counts[-1] else {}
            continue
        index = grouping.index(0)
        column, value, count = list(GROUPED)[index], values[index], counts[index]
        if value is None or not count:
            continue
        if column == "category_id" and str(value) in facets["category"]:
            continue  # a top-level category: its count (sub-categories included) comes from category_root_id
        facets[GROUPED[column]][str(value)] = count
    return total, facets


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
    return build_hit({name: getattr(doc, name) for name in HIT_FIELDS}, pattern)
