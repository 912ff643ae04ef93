"""One way to turn a stored search document into a SearchHit, for every backend.

The database backend passes its ServiceDocument's fields, Elasticsearch its `_source`: both hold the fields
below under the same names, so the page sees the same hit whichever engine found it.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from marketplace.languages import pick
from marketplace.money import round_fen

from ..text import highlight, snippet
from .base import SearchHit

# The stored fields a hit is made of (ServiceDocument attributes, Elasticsearch `_source` keys).
HIT_FIELDS = (
    "service_id",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "description_zh",
    "description_en",
    "provider_id",
    "provider_name_zh",
    "provider_name_en",
    "provider_slug",
    "service_slug",
    "category_id",
    "province",
    "city",
    "pricing_mode",
    "price",
    "price_unit",
    "turnaround_days",
    "standards",
    "has_bookable_equipment",
)


def build_hit(source: Mapping[str, Any], pattern: Any, offers: int = 1) -> SearchHit:
    """The hit of one document, in the reader's language, with the query's words marked in title and snippet;
    `offers`: the services of its group (grouped results)."""

    def text(name: str) -> str:
        return source.get(name) or ""

    def local(name: str) -> str:
        return pick(text(f"{name}_zh"), text(f"{name}_en"))

    title = local("title")
    texts = [local("summary"), local("description")]
    texts += [text(name) for name in ("summary_en", "description_en", "summary_zh", "description_zh")]
    price = source.get("price")
    return SearchHit(
        service_id=source["service_id"],
        title=title,
        title_html=highlight(title, pattern),
        snippet_html=snippet(list(dict.fromkeys(texts)), pattern),
        provider_id=source["provider_id"],
        provider_name=local("provider_name"),
        provider_slug=source["provider_slug"],
        service_slug=source["service_slug"],
        category_id=source["category_id"],
        province=source["province"],
        city=source["city"],
        pricing_mode=source["pricing_mode"],
        price=None if price is None else round_fen(Decimal(str(price))),
        price_unit=text("price_unit"),
        turnaround_days=source["turnaround_days"],
        standards=list(source.get("standards") or []),
        has_bookable_equipment=bool(source.get("has_bookable_equipment")),
        offers=offers,
    )
