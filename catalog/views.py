"""Public catalog pages: directory, provider, service and category pages. Thin: selectors do the reading."""

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from .forms import DirectoryFilterForm
from .models import Service, ServiceCategory
from .selectors import (
    NewestInCategories,
    categories_top_level,
    industry_fields_in_use,
    provider_regions,
    providers_filtered,
    providers_public,
    services_public,
)

PAGE_SIZE = 20
MAX_PAGES = 100  # pages of a list of services: the newest 2,000


class CountedPaginator(Paginator):
    """A paginator told its count (a maintained counter column) instead of counting the rows per request.

    It lists at most `MAX_PAGES` pages: a page costs what its offset costs (the last of 6,500 pages of a category
    of 130,000 services took 0.5 s), nobody reads that far, and scanners would; past them, search narrows it down."""

    def __init__(self, object_list: QuerySet[Service] | NewestInCategories, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self.known_count

    @property
    def num_pages(self) -> int:  # type: ignore[override]
        return min(super().num_pages, MAX_PAGES)

    @property
    def listed(self) -> int:
        """How many services the pages list at most."""
        return MAX_PAGES * self.per_page

    @property
    def capped(self) -> bool:
        """Whether there are more services than the pages list."""
        return self.count > self.listed


def counted_page(services: QuerySet[Service] | NewestInCategories, count: int, number: str | None) -> Page:
    return CountedPaginator(services, PAGE_SIZE, count).get_page(number)


def _search_newest_in(category: ServiceCategory) -> str:
    """The search page listing a category's services, newest first: where a list past its last page goes."""
    return reverse("search:search") + "?" + urlencode({"category": category.pk, "sort": "newest"})


def provider_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None, fields=list(industry_fields_in_use()), regions=provider_regions())
    filters = form.filters() if request.GET else {}
    providers = providers_filtered(**filters)
    page = Paginator(providers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/provider_list.html",
        {"page": page, "form": form, "query_string": query.urlencode(), "filtered": any(filters.values())},
    )


def provider_detail(request: HttpRequest, slug: str) -> HttpResponse:
    provider = get_object_or_404(
        providers_public().prefetch_related("accreditations", "equipment", "fields"), slug=slug
    )
    services = services_public().filter(provider=provider)
    page = counted_page(services, provider.public_service_count, request.GET.get("page"))
    return render(request, "catalog/provider_detail.html", {"provider": provider, "page": page})


def service_detail(request: HttpRequest, provider: str, slug: str) -> HttpResponse:
    service = get_object_or_404(services_public().prefetch_related("equipment"), provider__slug=provider, slug=slug)
    return render(request, "catalog/service_detail.html", {"service": service, "provider": service.provider})


def category_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/category_list.html", {"categories": categories_top_level()})


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(ServiceCategory.objects.select_related("parent"), slug=slug)
    subcategories = list(category.children.all())
    services = NewestInCategories([category.pk, *(c.pk for c in subcategories)], category.public_service_count)
    page = counted_page(services, category.public_service_count, request.GET.get("page"))
    return render(
        request,
        "catalog/category_detail.html",
        {"category": category, "page": page, "subcategories": subcategories, "more_url": _search_newest_in(category)},
    )
