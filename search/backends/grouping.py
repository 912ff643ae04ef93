"""Identical offers grouped: one page of the best-ranked service of each group (`group_key`), in rank order.

PostgreSQL: one aggregate over the matches' narrow rank keys, each group keeping the greatest (an array of the
relevance order's columns; arrays compare element by element), then a top-N sort of the groups only. No sort
of every match: at 56,000 matches (1,000,000 services) sorting them all by group and rank was most of the time.
The number of groups comes from the same query (a window count over the groups, before the page is taken).

SQLite (the embedded demo, small catalogs): ROW_NUMBER over the group, then a count of the distinct groups.

Either way only narrow rows are ranked; the page's documents are read afterwards by id.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Count, F, FloatField, Func, QuerySet, Window
from django.db.models.expressions import OrderBy
from django.db.models.functions import Extract, RowNumber

from ..models import ServiceDocument

Page = tuple[list[ServiceDocument], int]


def best_of_each_group(
    ordered: QuerySet[ServiceDocument], rank_order: tuple[str, ...], window: slice, *, postgresql: bool
) -> Page:
    """The page `window` of group leaders of `ordered` (annotated with the columns of `rank_order`, every one
    descending), each with its group's size as `offers`; and the number of groups."""
    by = _by_greatest_key if postgresql else _by_row_number
    leaders, groups = by(ordered, rank_order, window)
    return read_leaders(leaders), groups


def rank_key(rank_order: tuple[str, ...]) -> Func:
    """ARRAY[code_hit, full, score, epoch(published_at), pk]::float8[]: compares as the relevance order does
    (float8 holds ids below 2**53 and the epoch to the microsecond exactly enough to order)."""
    columns = [name.lstrip("-") for name in rank_order]
    assert all(name.startswith("-") for name in rank_order), "every rank column is descending"
    parts = [Extract(F(c), "epoch") if c == "published_at" else F(c) for c in columns]
    return Func(*parts, template="ARRAY[%(expressions)s]::float8[]", output_field=ArrayField(FloatField()))


def _by_greatest_key(
    ordered: QuerySet[ServiceDocument], rank_order: tuple[str, ...], window: slice
) -> tuple[dict[int, int], int]:
    """The rank key is computed for each match below an optimisation fence (OFFSET 0): otherwise PostgreSQL,
    misjudging how many rows a text query matches, sorts whole documents (tsvectors included) by group before
    computing the key, spilling to disk."""
    keys = ordered.order_by().annotate(rank_key=rank_key(rank_order)).values("group_key", "rank_key")
    inner, params = keys.query.sql_with_params()
    sql = (
        "SELECT max(rank_key) AS best, count(*) AS offers, count(*) OVER () AS groups "  # noqa: S608
        f"FROM ({inner} OFFSET 0) AS matches GROUP BY group_key ORDER BY best DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, window.stop - window.start, window.start])
        rows = cursor.fetchall()
    if not rows:  # past the last page (or nothing matched): count the groups apart
        return {}, ordered.order_by().values("group_key").distinct().count() if window.start else 0
    return {int(best[-1]): offers for best, offers, _groups in rows}, rows[0][2]


def _by_row_number(
    ordered: QuerySet[ServiceDocument], rank_order: tuple[str, ...], window: slice
) -> tuple[dict[int, int], int]:
    order = [OrderBy(F(name[1:]), descending=True) if name.startswith("-") else F(name) for name in rank_order]
    leaders = (
        ordered.annotate(
            group_rank=Window(RowNumber(), partition_by=[F("group_key")], order_by=order),
            offers=Window(Count("pk"), partition_by=[F("group_key")]),
        )
        .filter(group_rank=1)
        .values_list("pk", "offers")[window]
    )
    groups = ordered.order_by().values("group_key").distinct().count()
    return dict(leaders), groups


def read_leaders(offers: dict[int, int]) -> list[ServiceDocument]:
    """The documents of group leaders (id -> offers, in rank order), each with `offers` set."""
    documents = ServiceDocument.objects.defer("search_vector").in_bulk(list(offers))
    page = [documents[pk] for pk in offers if pk in documents]
    for doc in page:
        doc.offers = offers[doc.pk]  # type: ignore[attr-defined]
    return page
