"""Writes of the statistics app: counting searches."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import MAX_QUERY_CHARS, SearchDay


def normalise_query(text: str) -> str:
    """Lower case, single spaces, bounded: "Tensile  Test" and "tensile test" are one query."""
    return " ".join(text.lower().split())[:MAX_QUERY_CHARS]


def record_search(query: str, result_count: int) -> None:
    """Count one search of the day (an indexed UPDATE; the day's first one inserts). Empty queries are not
    counted: they are the landing page, not a question."""
    text = normalise_query(query)
    if not text:
        return
    day = timezone.localdate()
    zero = 1 if result_count == 0 else 0
    rows = SearchDay.objects.filter(day=day, query=text)
    if rows.update(count=F("count") + 1, zero_results=F("zero_results") + zero):
        return
    try:
        with transaction.atomic():
            SearchDay.objects.create(day=day, query=text, count=1, zero_results=zero)
    except IntegrityError:  # another request inserted it first
        rows.update(count=F("count") + 1, zero_results=F("zero_results") + zero)
