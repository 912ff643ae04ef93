"""Turning a SearchResult into what the page shows: labelled facets with toggle links, result URLs."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from catalog.models import Accreditation, IndustryField, Provider, Service, ServiceCategory
from marketplace.page_cache import public_cached
from marketplace.regions import display_name

from .backends.base import FACETS, SearchHit, SearchResult
from .forms import MAX_ID

# Facets chosen with links (the others have form inputs on the page); the form carries them as hidden inputs.
LINK_FACETS = [name for name in FACETS if name != "bookable"]


@dataclass(frozen=True)
class FacetOption:
    label: str
    count: int
    selected: bool
    query_string: str  # the page's state with this value toggled


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    options: list[FacetOption]


def facet_titles() -> dict[str, str]:
    return {
        "category": _("Category"),
        "field": _("Industry field"),
        "provider_level": _("Provider level"),
        "province": _("Province"),
        "city": _("City"),
        "pricing_mode": _("Pricing"),
        "max_turnaround": _("Turnaround"),
        "bookable": _("Equipment"),
    }


def _ids(values: list[str]) -> list[int]:
    """The values that are ids; anything else has no label (and must never reach an integer column)."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and int(v) <= MAX_ID]


def _catalog_labels(name: str) -> dict[str, str]:
    """Every category's ("Parent › Child") or field's name in the active language, cached per catalog content
    version (any category or field write makes a new key): the search page runs no query for its labels."""

    def read() -> dict[str, str]:
        if name == "category":
            categories = ServiceCategory.objects.select_related("parent")
            return {str(c.pk): f"{c.parent.name} › {c.name}" if c.parent else c.name for c in categories}
        return {str(f.pk): f.name for f in IndustryField.objects.all()}

    return public_cached("search:labels", get_language(), name, compute=read)


def _labels(name: str, values: list[str]) -> dict[str, str]:
    if name in ("category", "field"):
        return _catalog_labels(name)
    if name == "provider_level":
        return {str(k): str(v) for k, v in Provider.Level.choices}
    if name == "pricing_mode":
        return {str(k): str(v) for k, v in Service.PricingMode.choices}
    if name == "max_turnaround":
        return {
            str(days): ngettext("Within %(days)s working day", "Within %(days)s working days", days) % {"days": days}
            for days in _ids(values)
        }
    if name == "bookable":
        return {"true": _("Bookable by the hour")}
    return {v: display_name(v) for v in values}  # province, city


def toggled(params: QueryDict, name: str, value: str) -> str:
    """The query string with `name=value` set, or removed if it was set; always back to page 1."""
    new = params.copy()
    new.pop("page", None)
    if new.get(name) == value:
        new.pop(name)
    else:
        new[name] = value
    return new.urlencode()


def _turnaround_order(value: str) -> int:
    return int(value) if value.isascii() and value.isdigit() else 0


def facet_groups(result: SearchResult, params: QueryDict) -> list[FacetGroup]:
    """Facets with counts, most frequent first; a selected value always shows (to unselect it).

    `params` is the page's validated state (`SearchForm.state()`), never the raw request: a selected
    value is one the query understood, in the form the facet counts use.
    """
    titles = facet_titles()
    groups = []
    for name in FACETS:
        counts = dict(result.facets.get(name, {}))
        selected = params.get(name)
        if selected and selected not in counts:
            counts[selected] = 0
        if not counts:
            continue
        labels = _labels(name, list(counts))
        ordered = sorted(counts, key=lambda v: (_turnaround_order(v) if name == "max_turnaround" else -counts[v], v))
        options = [
            FacetOption(
                label=labels.get(value, value),
                count=counts[value],
                selected=value == selected,
                query_string=toggled(params, name, value),
            )
            for value in ordered
        ]
        groups.append(FacetGroup(name=name, title=titles[name], options=options))
    return groups


def active_filters(groups: list[FacetGroup]) -> list[tuple[FacetGroup, FacetOption]]:
    """The selected facet values, shown as removable chips above the results (the panel may be folded away)."""
    return [(group, option) for group in groups for option in group.options if option.selected]


def hit_url(hit: SearchHit) -> str:
    return reverse("catalog:service-detail", kwargs={"provider": hit.provider_slug, "slug": hit.service_slug})


COMPARED_SCHEMES = ("CNAS", "CMA", "CNAS-IB")


@dataclass(frozen=True)
class OfferRow:
    """One line of a standard's comparison table: the offer and what the index does not hold."""

    hit: SearchHit
    url: str
    provider_url: str
    level: str
    accreditations: list[str]  # valid CNAS/CMA schemes of the provider
    rating: float | None
    rating_count: int


def offer_rows(hits: list[SearchHit]) -> list[OfferRow]:
    """Comparison rows; accreditations and ratings of every offer in one query plus one prefetch."""
    today = timezone.localdate()
    valid = Accreditation.objects.filter(scheme__in=COMPARED_SCHEMES).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    services = {
        s.pk: s
        for s in Service.objects.filter(pk__in=[h.service_id for h in hits])
        .select_related("provider")
        .prefetch_related(Prefetch("provider__accreditations", queryset=valid.order_by("scheme")))
    }
    rows = []
    for hit in hits:
        service = services.get(hit.service_id)
        if service is None:  # unpublished since it was indexed
            continue
        rows.append(
            OfferRow(
                hit=hit,
                url=hit_url(hit),
                provider_url=reverse("catalog:provider-detail", kwargs={"slug": hit.provider_slug}),
                level=str(service.provider.get_level_display()),
                accreditations=list(dict.fromkeys(a.scheme for a in service.provider.accreditations.all())),
                rating=service.rating_average,
                rating_count=service.rating_count,
            )
        )
    return rows
