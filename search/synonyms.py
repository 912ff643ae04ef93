"""The operators' synonym list (`SynonymGroup`), as every backend's query parser sees it.

The groups are read once per cache generation: saving or deleting a group clears the cached copy
(signals in `search.signals`), so an edit applies to the next search on every worker.
"""

from functools import lru_cache

from django.core.cache import cache

from . import spelling
from .text import QueryTerms, Synonyms, parse_query

CACHE_KEY = "search:synonyms:v1"


@lru_cache(maxsize=4)
def _table(groups: tuple[tuple[str, ...], ...]) -> Synonyms:
    return Synonyms(groups)


def current() -> Synonyms:
    """The synonym table of the groups operators have saved."""
    groups = cache.get(CACHE_KEY)
    if groups is None:
        from .models import SynonymGroup

        groups = tuple(tuple(g.members) for g in SynonymGroup.objects.all())
        cache.set(CACHE_KEY, groups, None)
    return _table(groups)


def forget() -> None:
    cache.delete(CACHE_KEY)


def parse(text: str) -> QueryTerms:
    """A query's terms with the current synonyms and spelling corrections: what every backend searches for."""
    return parse_query(text, synonyms=current(), spelling=spelling.current())
