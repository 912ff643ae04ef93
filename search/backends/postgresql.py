"""The database backend's PostgreSQL engine: weighted tsvectors, tsquery matching and ranking, and every facet
count in one GROUPING SETS query.

Chinese words (jieba) and normalised standard codes are written as tsvector literals with their weights, so no
parser or locale touches them; English text goes through `to_tsvector('english', ...)` for stemming. Weights:
title A, standards and summary B, description C, provider name D (its own, lowest weight: a center's name
must not make all of its services rank for the words of that name).

A query term is the OR of its forms (the word, its dictionary parts, its synonyms), a form the AND of its
words: literal lexemes for Chinese words and codes (a word no dictionary knows also as its pieces side by side),
`to_tsquery('english', ...)` for English words. The match
is the AND of the required terms; optional terms (generic test words) and the weighted rank order the results.

SQL here is assembled from constants and quoted lexemes only; every value is a query parameter, hence the
`noqa: S608/S611` markers.
"""

from typing import Any

from django.db import connection
from django.db.models import BooleanField, FloatField, Func, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL

from ..models import ServiceDocument
from ..text import MAX_QUERY_TERMS, Form, QueryTerms, Term, Token, cjk_tokens, latin_text, unknown_word_pieces
from .base import FACETS, TURNAROUND_BUCKETS, ServiceData
from .text_fields import codes_in, text_fields

# ts_rank weights for D, C, B, A: provider name, description, standards and summary, title.
RANK_WEIGHTS = "{0.02, 0.1, 0.4, 1.0}"
OWN_TEXTS = "ABC"  # a service's own texts: every weight but the provider name's


def quote_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_sql(doc: ServiceData) -> RawSQL:
    """The weighted tsvector of a service, as an SQL expression over parameters."""
    literal, sql, params = [], ["%s::tsvector"], []
    position = 0
    for weight, text in text_fields(doc).items():
        for token in codes_in(weight, text, doc) + cjk_tokens(text):
            position = min(position + 1, 16383)
            literal.append(f"{quote_lexeme(token)}:{position}{weight}")
        english = latin_text(text).strip()
        if english:
            sql.append(f"setweight(to_tsvector('english'::regconfig, %s), '{weight}')")
            params.append(english)
    return RawSQL(" || ".join(sql), [" ".join(literal), *params])  # noqa: S611


def _lexeme(token: Token, label: str) -> str:
    """A code or Chinese word as a tsquery operand; a Chinese word no dictionary knows also as its pieces side
    by side (documents are indexed under those pieces too: `cjk_tokens`)."""
    lexeme = quote_lexeme(token.text) + label
    pieces = unknown_word_pieces(token.text) if token.kind == "cjk" else []
    if not pieces:
        return lexeme
    return f"({lexeme} | " + " <-> ".join(quote_lexeme(p) + label for p in pieces) + ")"


def _form_sql(form: Form, weights: str = "") -> tuple[str, list[str]]:
    """All words of a form: literal lexemes && the english-stemmed words (in texts of these weights only)."""
    parts, params = [], []
    label = f":{weights}" if weights else ""
    lexemes = [_lexeme(t, label) for t in form if t.kind != "latin"]
    if lexemes:
        parts.append("%s::tsquery")
        params.append(" & ".join(lexemes))
    words = [w for t in form if t.kind == "latin" for w in t.text.split()]
    if words:
        parts.append("to_tsquery('english'::regconfig, %s)")
        params.append(" & ".join(quote_lexeme(w) + label for w in words))
    return "(" + " && ".join(parts) + ")", params


def _term_sql(term: Term, weights: str = "") -> tuple[str, list[str]]:
    """Any form of the term."""
    sqls, params = [], []
    for form in term.forms:
        sql, form_params = _form_sql(form, weights)
        sqls.append(sql)
        params += form_params
    return "(" + " || ".join(sqls) + ")", params


def _combine(terms: tuple[Term, ...], operator: str, weights: str = "") -> tuple[str, list[str]]:
    sqls, params = [], []
    for term in terms:
        sql, term_params = _term_sql(term, weights)
        sqls.append(sql)
        params += term_params
    return "(" + f" {operator} ".join(sqls) + ")", params


def match(docs: QuerySet[ServiceDocument], terms: QueryTerms) -> tuple[QuerySet[ServiceDocument], RawSQL, RawSQL]:
    """Documents matching every required term; whether they are full matches, and their rank.

    A full match has every term, optional ones included, in the service's own texts (not only in its provider's
    name). The rank is `ts_rank` over any required term (weighted: title words count most; generic words only
    count in the full match). `ts_rank_cd` (proximity) was measured: it tripled the time of a broad query of
    several words (5,600 hits: 25 -> 68 ms at 100,000 services) for +0.003 nDCG@10 on the judged queries."""
    required, required_params = _combine(terms.required, "&&")
    matched = docs.filter(RawSQL(f"search_vector @@ {required}", required_params, output_field=BooleanField()))  # noqa: S611
    anything, any_params = _combine(terms.required, "||")
    score = RawSQL(f"ts_rank('{RANK_WEIGHTS}', search_vector, {anything})", any_params, output_field=FloatField())  # noqa: S611
    every, every_params = _combine(terms.terms, "&&", weights=OWN_TEXTS)
    full = RawSQL(f"(search_vector @@ {every})::int", every_params, output_field=IntegerField())  # noqa: S611
    return matched, full, score


def title_prefix_filter(docs: QuerySet[ServiceDocument], prefix: str) -> QuerySet[ServiceDocument]:
    """Titles (weight A) matching a prefix being typed: earlier words exact, the last one as a prefix."""
    tokens = [quote_lexeme(t) for t in cjk_tokens(prefix, for_query=True)]
    tokens += [quote_lexeme(w) for w in (w.lower() for w in latin_text(prefix).split()) if w.isalnum()]
    tokens = tokens[:MAX_QUERY_TERMS]  # a bounded tsquery, as for searches
    if not tokens:
        return docs.none()
    tsquery = " & ".join([f"{t}:A" for t in tokens[:-1]] + [f"{tokens[-1]}:*A"])
    return docs.filter(RawSQL("search_vector @@ %s::tsquery", [tsquery], output_field=BooleanField()))


GROUPED = {  # column -> facet, for the GROUPING SETS query
    "category_root_id": "category",
    "category_id": "category",
    "field_id": "field",
    "provider_level": "provider_level",
    "province": "province",
    "city": "city",
    "pricing_mode": "pricing_mode",
}


Counts = tuple[int, dict[str, dict[str, int]]]
Leaders = tuple[dict[int, int], int]  # service id -> offers of its group, in rank order; the number of groups


def total_and_facets(matched: QuerySet[ServiceDocument], plain: Q, flags: dict[str, Any]) -> Counts:
    """The total and every facet's counts in one pass over the matches (GROUPING SETS); `plain`: price, standard.

    Each row carries one boolean per active facet filter (`flags`); a facet's count uses all flags but its own.
    Without filters every count is a plain count(*), which PostgreSQL computes once per group.
    """
    counts, _leaders = _grouping_sets(matched.filter(plain), flags)
    return counts


def total_facets_and_leaders(
    ranked: QuerySet[ServiceDocument], flags: dict[str, Any], rank_key: Func, window: slice
) -> tuple[Counts, Leaders]:
    """`total_and_facets` and a page of group leaders (see `grouping`) from the same pass over the matches:
    the first request of a text query needs both, and reading the matched rows is most of the cost of each.
    `ranked`: the matches under the plain filters, annotated with the rank columns `rank_key` reads."""
    counts, leaders = _grouping_sets(ranked.order_by(), flags, rank_key, window)
    assert leaders is not None
    return counts, leaders


def _grouping_sets(
    rows: QuerySet[ServiceDocument], flags: dict[str, Any], rank_key: Func | None = None, window: slice | None = None
) -> tuple[Counts, Leaders | None]:
    flags = {f"f_{name}": expression for name, expression in flags.items()}
    columns = [*GROUPED, "turnaround_days", "has_bookable_equipment", *flags]
    if rank_key is not None:
        rows, columns = rows.annotate(rank_key=rank_key), [*columns, "group_key", "rank_key"]
    inner, params = rows.annotate(**flags).values(*columns).query.sql_with_params()

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
    materialized, page, leaders = "", "", ""
    if window is not None:  # the page of groups (rows passing every filter) as one JSON value: an InitPlan
        materialized = "MATERIALIZED "
        page = (
            ", page AS (SELECT max(rank_key) AS best, count(*) AS offers, count(*) OVER () AS groups "  # noqa: S608
            f"FROM m WHERE {passing()} GROUP BY group_key ORDER BY best DESC LIMIT %s OFFSET %s)"
        )
        params = (*params, window.stop - window.start, window.start)
        leader = "json_build_array(best[array_length(best, 1)]::bigint, offers, groups)"
        grand_total = f"GROUPING({', '.join(GROUPED)}) = {2 ** len(GROUPED) - 1}"  # only that row carries the page
        leaders = f", CASE WHEN {grand_total} THEN (SELECT json_agg({leader} ORDER BY best DESC) FROM page) END"  # noqa: S608
    sql = (
        f"WITH m AS {materialized}({inner}){page} "  # noqa: S608
        f"SELECT {', '.join(f'GROUPING({c})' for c in GROUPED)}, {', '.join(GROUPED)}, "
        f"{', '.join(counts)}{leaders} FROM m GROUP BY GROUPING SETS ({sets}, ())"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        results = cursor.fetchall()
    if window is None:
        return _read_grouping_sets(results), None
    page_rows: list[list[int]] = next((row[-1] for row in results if row[-1] is not None), [])
    offers = {pk: n for pk, n, _groups in page_rows}
    return _read_grouping_sets([row[:-1] for row in results]), (offers, page_rows[0][2] if page_rows else 0)


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
