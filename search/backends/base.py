"""The search backend protocol and the typed values that cross it.

Facet semantics (every backend): the count shown for a value of facet F is the number of services
matching the text query and every active filter *except F's own*, restricted to that value
("disjunctive" faceting, as on most shops). So selecting a province does not hide the other
provinces' counts, and each count is exactly the total you get by choosing that value instead.
`max_turnaround` counts are cumulative (services finishing within N days); `bookable` counts the
services with bookable equipment.
"""

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

FACETS = ("category", "field", "provider_level", "province", "city", "pricing_mode", "max_turnaround", "bookable")
TURNAROUND_BUCKETS = (3, 7, 15, 30)
MAX_PAGE_SIZE = 100


class Sort(StrEnum):
    RELEVANCE = "relevance"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    TURNAROUND = "turnaround"
    NEWEST = "newest"


@dataclass(frozen=True)
class SearchFilters:
    category: int | None = None  # a category id; includes its sub-categories
    field: int | None = None
    provider_level: str | None = None
    province: str | None = None
    city: str | None = None
    pricing_mode: str | None = None
    price_min: Decimal | None = None  # services on quotation have no price and never match a price bound
    price_max: Decimal | None = None
    max_turnaround: int | None = None
    bookable: bool = False  # True: only services with bookable equipment
    standard: str | None = None  # a normalised base code ("gbt2281"): services listing that standard, any edition

    def without(self, name: str) -> "SearchFilters":
        """These filters minus one facet's own filter (see the facet semantics above)."""
        cleared: dict[str, Any] = {name: False if name == "bookable" else None}
        return replace(self, **cleared)

    @property
    def active(self) -> bool:
        return self != SearchFilters()


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def grouped(self) -> bool:
        """Identical offers (the same test title from several centers) collapse into their best-ranked one:
        in the relevance order of a text query, so one test offered by many centers does not fill the page."""
        return self.sort == Sort.RELEVANCE and bool(self.text.strip())


@dataclass(frozen=True)
class SearchHit:
    service_id: int
    title: str
    title_html: str  # escaped, matches in <mark>
    snippet_html: str  # escaped, matches in <mark>
    provider_id: int
    provider_name: str
    provider_slug: str
    service_slug: str
    category_id: int
    province: str
    city: str
    pricing_mode: str
    price: Decimal | None
    price_unit: str
    turnaround_days: int
    standards: list[str]
    has_bookable_equipment: bool
    offers: int = 1  # grouped results: the services offering this test (this one included)


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    page: int
    page_size: int
    facets: dict[str, dict[str, int]]  # facet name -> value (as a string) -> count; zero counts omitted
    suggestions: list[str] = field(default_factory=list)  # alternative queries that do have results
    total_without_filters: int | None = None  # set when nothing matched and filters were active
    groups: int | None = None  # grouped results (see SearchQuery.grouped): the number of distinct tests, paged
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (typed, meant): words also searched as

    @property
    def num_pages(self) -> int:
        shown = self.total if self.groups is None else self.groups
        return max(1, -(-shown // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # "title" | "standard"


class SearchBackend(Protocol):
    def search(self, query: SearchQuery) -> SearchResult:
        """Hits of one page, the total and the facet counts (suggestions are added by search.api)."""

    def warm(self) -> None:
        """Prepare what the first searches after index writes need, so that no visitor waits for it."""

    def count(self, text: str) -> int:
        """Public services matching `text` with no filter: one count, without hits or facet counts."""

    def suggest(self, prefix: str, limit: int) -> list[Suggestion]:
        """Titles and standard codes starting with (a word starting with) `prefix`."""

    def terms_with_results(self, terms: Sequence[str]) -> list[str]:
        """The terms that, each searched for on its own, match at least one service; one round trip."""

    def index(self, documents: Iterable["ServiceData"]) -> None:
        """Add or replace these services."""

    def remove(self, service_ids: Iterable[int]) -> None:
        """Drop these services; unknown ids are ignored."""

    def rebuild(self, documents: Iterable["ServiceData"]) -> None:
        """Replace the whole index with these services."""

    def fingerprints(self) -> Iterator[tuple[int, str]]:
        """(service id, ServiceData.fingerprint as indexed) of every indexed service, streamed."""


@dataclass(frozen=True)
class ServiceData:
    """One public service, denormalised: everything any backend indexes or displays."""

    service_id: int
    service_slug: str
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    description_zh: str
    description_en: str
    standards: list[str]
    provider_id: int
    provider_slug: str
    provider_name_zh: str
    provider_name_en: str
    provider_level: str
    province: str
    city: str
    category_id: int
    category_root_id: int
    field_id: int | None
    pricing_mode: str
    price: Decimal | None
    price_unit: str
    turnaround_days: int
    has_bookable_equipment: bool
    published_at: datetime

    def fingerprint(self) -> str:
        """A digest of every field: stored with the document, so reconciliation can tell a stale one."""
        from search.text import ANALYSIS_VERSION  # a change of the analysis makes every document stale

        values = [ANALYSIS_VERSION, *(str(v) for v in astuple(self))]
        return hashlib.blake2b("\x1f".join(values).encode(), digest_size=16).hexdigest()
