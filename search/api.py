"""The only entry point to search for the rest of the code."""

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import islice

from marketplace.page_cache import bump_public_version

from . import spelling
from .backends import get_backend
from .backends.base import MAX_PAGE_SIZE, SearchFilters, SearchQuery, SearchResult, ServiceData, Sort, Suggestion
from .documents import all_public_service_data, public_service_data
from .synonyms import parse
from .text import CodeMatch, find_codes, fold

__all__ = [
    "SearchFilters",
    "SearchQuery",
    "SearchResult",
    "StandardOffers",
    "Suggestion",
    "index_service",
    "index_services",
    "rebuild_index",
    "reconcile_index",
    "remove_service",
    "search_services",
    "standard_offers",
    "suggest",
    "warm_landing_search",
]

logger = logging.getLogger(__name__)

MAX_ALTERNATIVES = 3
# The no-results fallback checks this many words of the query (in one round trip), whatever its length.
MAX_ALTERNATIVE_WORDS = 6
# Seconds: a search that took longer gets no alternatives rather than more work on top.
ALTERNATIVES_BUDGET = 0.5


def search_services(query: SearchQuery) -> SearchResult:
    """One page of public services matching the query, with facet counts.

    When nothing matches a text query, the result also says how to broaden it: the count without
    filters and alternative queries (single words of the query, suggested titles) that do match.
    Finding them is bounded: a few words checked in one round trip, plus title suggestions, and nothing
    at all once the search itself took its time budget.
    """
    started = time.monotonic()
    backend = get_backend()
    result = backend.search(query)
    if result.total or not query.text.strip():
        return result
    if query.filters.active:
        total_without_filters = backend.count(query.text)  # a count, not another faceted search
        if total_without_filters:  # the filters are what excludes everything: offer to remove them
            return replace(result, total_without_filters=total_without_filters)
    if time.monotonic() - started > ALTERNATIVES_BUDGET:
        return result
    return replace(result, suggestions=_alternatives(query.text))


def _alternatives(text: str) -> list[str]:
    """Queries close to `text` that have results: its first few terms (codes, Chinese words, English words),
    then titles suggested for its start."""
    backend = get_backend()
    terms = parse(text)
    words = terms.all[:MAX_ALTERNATIVE_WORDS] if len(terms.all) > 1 else ()
    found = backend.terms_with_results(words) if words else []
    if not found:
        head = terms.all[0][:2] if terms.all else text.strip()[:2]
        found = [s.text for s in backend.suggest(head, MAX_ALTERNATIVES)]
    return found[:MAX_ALTERNATIVES]


@dataclass(frozen=True)
class StandardOffers:
    """The public services listing one standard (any edition), for comparing the centers that offer it."""

    code: str  # as services write it, without the edition: "GB/T 228.1"
    token: str  # normalised: "gbt2281"
    result: SearchResult  # up to MAX_PAGE_SIZE offers

    @property
    def centers(self) -> int:
        """Centers among the offers shown (all of them unless there are more than a page)."""
        return len({hit.provider_id for hit in self.result.hits})

    @property
    def lowest_price(self) -> Decimal | None:
        return min((hit.price for hit in self.result.hits if hit.price is not None), default=None)


def standard_code(text: str) -> CodeMatch | None:
    """The first standard code named in a text (the main one of "ASTM E8/E8M")."""
    return next((m for m in find_codes(text) if not m.alternative), None)


def _written(result: SearchResult, token: str) -> str | None:
    """The code as the offers list it, edition dropped ("GB/T 228.1-2021" -> "GB/T 228.1"; also for "GB 228.1",
    the same number without /T, but not for a family: "ISO 6892" stays as typed)."""
    for hit in result.hits:
        for listed in hit.standards:
            match = standard_code(listed)
            same_number = match is not None and re.sub(r"\D", "", match.base) == re.sub(r"\D", "", token)
            if match is not None and (match.base == token or (same_number and token in match.variants)):
                written = fold(listed)[match.start : match.end]
                year = match.full[len(match.base) :]
                return re.sub(rf"[-:]\s*(?:19|20)?{year}$", "", written).strip() if year else written.strip()
    return None


def standard_offers(text: str, sort: Sort = Sort.PRICE_ASC) -> StandardOffers | None:
    """Every public service listing the standard `text` names (any edition, any way of writing it), one search;
    None when `text` names no standard code."""
    match = standard_code(text)
    if match is None:
        return None
    query = SearchQuery(filters=SearchFilters(standard=match.base), sort=sort, page_size=MAX_PAGE_SIZE)
    result = get_backend().search(query)
    return StandardOffers(_written(result, match.base) or text.strip(), match.base, result)


def suggest(prefix: str, limit: int = 8) -> list[Suggestion]:
    """Standard codes and service titles for a search box being typed into."""
    return get_backend().suggest(prefix, limit)


def index_services(service_ids: list[int]) -> None:
    """Bring these services up to date: index the public ones, remove the others. Idempotent."""
    documents = public_service_data(service_ids)
    public_ids = {d.service_id for d in documents}
    backend = get_backend()
    backend.index(documents)
    backend.remove([pk for pk in service_ids if pk not in public_ids])
    bump_public_version()  # the search API's cached answers


def warm_landing_search() -> None:
    """After index writes: let the backend prepare the search page's first query (the database backend
    recounts its cached facets; Elasticsearch needs nothing). Indexing tasks call this, so no visitor pays."""
    get_backend().warm()


def index_service(service_id: int) -> None:
    index_services([service_id])


def remove_service(service_id: int) -> None:
    get_backend().remove([service_id])
    bump_public_version()


def rebuild_index(progress: Callable[[Iterator[ServiceData]], Iterable[ServiceData]] | None = None) -> None:
    """Replace the whole index with every public service; `progress` may wrap the stream (a progress bar)."""
    documents = all_public_service_data()
    get_backend().rebuild(progress(documents) if progress else documents)
    bump_public_version()
    spelling.refresh()


@dataclass
class ReconcileReport:
    """What reconciliation found and repaired; ids listed up to `SAMPLE` per kind."""

    checked: int = 0
    missing: int = 0  # public services that were not in the index: indexed
    stale: int = 0  # indexed with other data than the catalog's: re-indexed
    extra: int = 0  # in the index but not public (any more): removed
    sample: dict[str, list[int]] = field(default_factory=lambda: {"missing": [], "stale": [], "extra": []})

    SAMPLE = 20

    @property
    def repaired(self) -> int:
        return self.missing + self.stale + self.extra

    def note(self, kind: str, ids: list[int]) -> None:
        setattr(self, kind, getattr(self, kind) + len(ids))
        self.sample[kind].extend(ids[: self.SAMPLE - len(self.sample[kind])])


RECONCILE_BATCH = 2000


def reconcile_index() -> ReconcileReport:
    """Compare the index with the catalog service by service (fingerprints of the indexed data) and repair what
    differs: index the missing and the stale, remove what is no longer public. The live index stays in place
    (no rebuild): searches are served throughout, and a night without drift writes nothing."""
    backend = get_backend()
    indexed = dict(backend.fingerprints())
    report = ReconcileReport()
    documents = all_public_service_data()
    while batch := list(islice(documents, RECONCILE_BATCH)):
        report.checked += len(batch)
        missing = [d for d in batch if d.service_id not in indexed]
        stale = [d for d in batch if d.service_id in indexed and indexed[d.service_id] != d.fingerprint()]
        for d in batch:
            indexed.pop(d.service_id, None)
        if missing or stale:
            backend.index([*missing, *stale])
        report.note("missing", [d.service_id for d in missing])
        report.note("stale", [d.service_id for d in stale])
    extra = sorted(indexed)
    backend.remove(extra)
    report.note("extra", extra)
    spelling.refresh()  # the vocabulary of typo tolerance follows the catalog's titles
    if report.repaired:
        bump_public_version()
        logger.warning(
            "search index reconciled: %s missing, %s stale, %s extra of %s (e.g. %s)",
            report.missing,
            report.stale,
            report.extra,
            report.checked,
            report.sample,
        )
    return report
