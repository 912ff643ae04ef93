"""The database backend's SQLite engine (the embedded demo): an FTS5 table with the trigram tokenizer.

Columns follow the weighted texts of `text_fields`: title, summary (with the standards), body (description),
provider (the provider's name). Each query word must occur as a substring; words shorter than three
characters, which trigrams cannot index, and terms with synonyms use instr(). Full matches (every word,
generic test words included, in the service's own columns) rank first, then a weighted count of the
columns each word occurs in.

SQL here is assembled from constants only; every value is a query parameter, hence the `noqa: S608/S611`.
"""

from typing import Any

from django.db import connection
from django.db.models import FloatField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from ..models import ServiceDocument
from ..text import QueryTerms, Term, crude_stem
from .base import ServiceData
from .text_fields import codes_in, text_fields

FTS_TABLE = "search_servicedocument_fts"
COLUMNS = ("title", "summary", "body", "provider")  # weights A, B, C, D
WEIGHTS = (16, 4, 2, 1)


def fts_row(doc: ServiceData) -> list[Any]:
    """The FTS5 row: each text followed by the normalised codes it mentions."""
    texts = [f"{text} {' '.join(codes_in(w, text, doc))}" for w, text in text_fields(doc).items()]
    return [doc.service_id, *texts]


def write(batch: list[ServiceData]) -> None:
    delete([d.service_id for d in batch])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
            [fts_row(d) for d in batch],
        )


def delete(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids)  # noqa: S608


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608


def _words(term: Term) -> list[list[str]]:
    """Each form of a term as the substrings that must all occur."""
    forms = []
    for form in term.forms:
        words = []
        for token in form:
            words += [crude_stem(w) for w in token.text.split()] if token.kind == "latin" else [token.text]
        forms.append(words)
    return forms


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


OWN_COLUMNS = COLUMNS[:3]  # a service's own texts: every column but the provider name


def _contains(word: str, columns: tuple[str, ...] = COLUMNS) -> tuple[str, list[str]]:
    return "(" + " OR ".join(f"instr(lower({c}), %s) > 0" for c in columns) + ")", [word.lower()] * len(columns)


def _term_condition(term: Term, columns: tuple[str, ...] = COLUMNS) -> tuple[str, list[str]]:
    """Some form of the term present, every word of that form in some column (instr, any length)."""
    forms, params = [], []
    for words in _words(term):
        conditions = []
        for word in words:
            sql, word_params = _contains(word, columns)
            conditions.append(sql)
            params += word_params
        forms.append("(" + " AND ".join(conditions) + ")")
    return "(" + " OR ".join(forms) + ")", params


def _where(terms: QueryTerms) -> tuple[str, list[str]]:
    """Every required term: one trigram MATCH for the single words of three characters or more, instr() for
    the rest."""
    conditions, params, matched = [], [], []
    for term in terms.required:
        forms = _words(term)
        if len(forms) == 1 and all(len(w) >= 3 for w in forms[0]):
            matched += forms[0]
            continue
        sql, term_params = _term_condition(term)
        conditions.append(sql)
        params += term_params
    if matched:
        conditions.insert(0, f"{FTS_TABLE} MATCH %s")
        params.insert(0, " AND ".join(_phrase(w) for w in matched))
    return " AND ".join(conditions), params


def _score(terms: QueryTerms) -> tuple[str, list[str]]:
    """Weighted count of the columns each word of each required term occurs in (title 16 ... provider 1)."""
    parts, params = [], []
    for term in terms.required:
        for word in dict.fromkeys(w for words in _words(term) for w in words):
            for column, weight in zip(COLUMNS, WEIGHTS, strict=True):
                parts.append(f"(instr(lower({column}), %s) > 0) * {weight}")
                params.append(word.lower())
    return " + ".join(parts), params


def _full(terms: QueryTerms) -> tuple[str, list[str]]:
    """1 when every term, optional ones included, occurs in the service's own texts (not only its provider's)."""
    parts, params = [], []
    for term in terms.terms:
        sql, term_params = _term_condition(term, OWN_COLUMNS)
        parts.append(sql)
        params += term_params
    return "(" + " AND ".join(parts) + ")", params


def _per_row(sql: str, params: list[str], output_field: Any) -> RawSQL:
    return RawSQL(  # noqa: S611
        f"SELECT {sql} FROM {FTS_TABLE} WHERE rowid = search_servicedocument.service_id",  # noqa: S608
        params,
        output_field=output_field,
    )


def match(docs: QuerySet[ServiceDocument], terms: QueryTerms) -> tuple[QuerySet[ServiceDocument], RawSQL, RawSQL]:
    """Documents matching every required term; whether they are full matches (see `_full`), and their rank."""
    where, params = _where(terms)
    matched = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {where}", params)  # noqa: S608, S611
    return (
        docs.filter(pk__in=matched),
        _per_row(*_full(terms), output_field=IntegerField()),
        _per_row(*_score(terms), output_field=FloatField()),
    )


def title_prefix_filter(docs: QuerySet[ServiceDocument], prefix: str) -> QuerySet[ServiceDocument]:
    """Titles containing the prefix typed (a trigram MATCH, instr() below three characters)."""
    if len(prefix) >= 3:
        sql, params = f"{FTS_TABLE} MATCH %s", ["{title} : " + _phrase(prefix)]
    else:
        sql, params = _contains(prefix, ("title",))
    return docs.filter(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {sql}", params))  # noqa: S608, S611
