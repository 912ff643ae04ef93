"""The search page (full page, or the results partial for htmx) and the JSON endpoints."""

from dataclasses import asdict
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from marketplace.page_cache import public_cached
from marketplace.statistics.services import record_search

from . import api
from .backends.base import SearchQuery, SearchResult, Sort
from .forms import SearchForm, SuggestForm
from .presentation import LINK_FACETS, active_filters, facet_groups, hit_url, offer_rows


def _extra_sections(request: HttpRequest, text: str) -> list[str]:
    """HTML contributed by other apps (settings.SEARCH_RESULT_SECTIONS); plain strings get escaped by the template."""
    sections = (import_string(path)(request, text) for path in settings.SEARCH_RESULT_SECTIONS)
    return [html for html in sections if html]


def _wants_partial(request: HttpRequest) -> bool:
    """htmx swaps only the results; a history restore (back button after a cache miss) needs the full page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()  # invalid fields are shown and left out of the query
    query = form.to_query()
    total, results_html = _results(request, form, query)
    if query.page == 1:  # anonymous daily counts for the operators' statistics (one indexed write)
        record_search(query.text, total)
    if _wants_partial(request):
        response = HttpResponse(results_html)
    else:
        response = render(request, "search/search.html", {"form": form, "query": query, "results": results_html})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _results(request: HttpRequest, form: SearchForm, query: SearchQuery) -> tuple[int, SafeString]:
    """The total and the rendered results (facets, hits, pages, sections) of the request's parameters.

    Cached for the public content version, which every catalog write and index write bumps, like whole public
    pages (`marketplace.page_cache`): the search page itself cannot be cached whole, as it counts searches, but
    what it shows is the same for everyone asking the same thing in the same language. `PAGE_CACHE_SECONDS`
    bounds what no write reports (the standard box's bookable equipment); 0 turns it off."""

    def render_results() -> tuple[int, SafeString]:
        result = api.search_services(query)
        state = form.state()  # links and hidden inputs carry only what the query understood, never raw input
        facets = facet_groups(result, state)
        context = {
            "form": form,
            "query": query,
            "result": result,
            "hits": [(hit, hit_url(hit)) for hit in result.hits],
            "facets": facets,
            "active_filters": active_filters(facets),
            "state": state.urlencode(),
            "hidden": [(name, state[name]) for name in LINK_FACETS if state.get(name)],
            "sections": _extra_sections(request, query.text),
            "standard": _standard_box(query, result),
        }
        return result.total, render_to_string("search/_results.html", context, request)

    if not settings.PAGE_CACHE_SECONDS:
        return render_results()
    parameters = sorted((name, values) for name, values in request.GET.lists())
    return public_cached(
        "search:results", get_language(), parameters, compute=render_results, timeout=settings.PAGE_CACHE_SECONDS
    )


STANDARD_SORTS = {"price": Sort.PRICE_ASC, "turnaround": Sort.TURNAROUND}


def _standard_box(query: SearchQuery, result: SearchResult) -> api.StandardOffers | None:
    """A query naming a standard: its offers, for the "offered by N centers" box on the first results page."""
    match = api.standard_code(query.text)
    if query.page != 1 or not result.total or match is None:
        return None
    offers = public_cached(
        "search:standard-box",
        match.base,
        compute=lambda: api.standard_offers(query.text),
        timeout=settings.PAGE_CACHE_SECONDS or 60,  # like the standard page: calendars change without a write
    )
    return offers if offers is not None and offers.result.total else None


@require_GET
def standard_page(request: HttpRequest, code: str) -> HttpResponse:
    """/standards/<code>/: every center offering a standard, side by side (price, turnaround, accreditation...)."""
    sort_key = request.GET.get("sort", "price")
    offers = api.standard_offers(code[:100], STANDARD_SORTS.get(sort_key, Sort.PRICE_ASC))
    if offers is None:
        raise Http404("not a standard code")
    canonical = reverse("standard", kwargs={"code": offers.code})
    if offers.result.total and request.path != unquote(canonical):
        suffix = "?sort=turnaround" if sort_key == "turnaround" else ""
        return redirect(canonical + suffix, permanent=True)
    context = {
        "offers": offers,
        "rows": offer_rows(offers.result.hits),
        "sort": "turnaround" if sort_key == "turnaround" else "price",
    }
    return render(request, "search/standard.html", context)


@require_GET
def suggest_options(request: HttpRequest) -> HttpResponse:
    """<option>s for the search box's datalist."""
    form = SuggestForm(request.GET)
    suggestions = api.suggest(form.cleaned_data["q"] or "") if form.is_valid() else []
    return render(request, "search/_suggestions.html", {"suggestions": suggestions})


def _errors(form: SearchForm | SuggestForm) -> JsonResponse:
    return JsonResponse({"errors": form.errors.get_json_data()}, status=400)


def result_json(result: SearchResult) -> dict[str, Any]:
    hits = []
    for hit in result.hits:
        data = asdict(hit)
        data["price"] = None if hit.price is None else str(hit.price)
        data["url"] = hit_url(hit)
        hits.append(data)
    return {
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "num_pages": result.num_pages,
        "results": hits,
        "facets": result.facets,
        "suggestions": result.suggestions,
        "total_without_filters": result.total_without_filters,
        "groups": result.groups,
        "corrections": [{"typed": typed, "meant": meant} for typed, meant in result.corrections],
    }


@require_GET
def services_api(request: HttpRequest) -> JsonResponse:
    """GET /search/api/services?q=&category=&...: the page's search as JSON; 400 with field errors if invalid."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _errors(form)
    return JsonResponse(result_json(api.search_services(form.to_query())), json_dumps_params={"ensure_ascii": False})


@require_GET
def suggest_api(request: HttpRequest) -> JsonResponse:
    """GET /search/api/suggest?q=<prefix>[&limit=n]: titles and standard codes."""
    form = SuggestForm(request.GET)
    if not form.is_valid():
        return _errors(form)
    suggestions = api.suggest(form.cleaned_data["q"] or "", form.cleaned_data["limit"] or 8)
    return JsonResponse({"suggestions": [asdict(s) for s in suggestions]}, json_dumps_params={"ensure_ascii": False})
