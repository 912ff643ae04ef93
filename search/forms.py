"""Parsing search parameters (the page's URL and the JSON API share them)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from catalog.models import Provider, Service

from .backends.base import MAX_PAGE_SIZE, SearchFilters, SearchQuery, Sort

DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are refused: narrow the search instead
# Category and field ids fit a 32-bit integer (Elasticsearch maps them as `integer`): a larger id is an error
# of the form, not a database or cluster error.
MAX_ID = 2**31 - 1


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.IntegerField(label=_("Category"), required=False, min_value=1, max_value=MAX_ID)
    field = forms.IntegerField(label=_("Industry field"), required=False, min_value=1, max_value=MAX_ID)
    provider_level = forms.ChoiceField(label=_("Provider level"), required=False, choices=Provider.Level.choices)
    province = forms.CharField(label=_("Province"), required=False, max_length=50)
    city = forms.CharField(label=_("City"), required=False, max_length=50)
    pricing_mode = forms.ChoiceField(label=_("Pricing"), required=False, choices=Service.PricingMode.choices)
    price_min = forms.DecimalField(
        label=_("Minimum price"), required=False, min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    price_max = forms.DecimalField(
        label=_("Maximum price"), required=False, min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    max_turnaround = forms.IntegerField(label=_("Maximum turnaround"), required=False, min_value=1, max_value=365)
    bookable = forms.BooleanField(label=_("With bookable equipment"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (Sort.RELEVANCE.value, _("Relevance")),
            (Sort.PRICE_ASC.value, _("Price: low to high")),
            (Sort.PRICE_DESC.value, _("Price: high to low")),
            (Sort.TURNAROUND.value, _("Fastest turnaround")),
            (Sort.NEWEST.value, _("Newest")),
        ],
    )
    page = forms.IntegerField(required=False, validators=[MinValueValidator(1), MaxValueValidator(MAX_PAGE)])
    page_size = forms.IntegerField(required=False, validators=[MinValueValidator(1), MaxValueValidator(MAX_PAGE_SIZE)])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The maximum price must not be below the minimum price."))
        return data

    def to_query(self) -> SearchQuery:
        """The query of the valid fields (invalid ones are left out, so a page can still show results)."""
        data = getattr(self, "cleaned_data", {})
        filters = SearchFilters(
            category=data.get("category"),
            field=data.get("field"),
            provider_level=data.get("provider_level") or None,
            province=(data.get("province") or "").strip() or None,
            city=(data.get("city") or "").strip() or None,
            pricing_mode=data.get("pricing_mode") or None,
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            max_turnaround=data.get("max_turnaround"),
            bookable=bool(data.get("bookable")),
        )
        return SearchQuery(
            text=(data.get("q") or "").strip(),
            filters=filters,
            sort=Sort(data.get("sort") or Sort.RELEVANCE),
            page=data.get("page") or 1,
            page_size=data.get("page_size") or DEFAULT_PAGE_SIZE,
        )

    def state(self) -> QueryDict:
        """The page's state for its links: the valid parameters only, one value each, as the query reads them.

        Links never carry an invalid or unknown parameter along (a scanner's junk is not echoed into
        every facet link), and a facet value is always the canonical string the facet counts use
        ("7", not "7.0" or " 7").
        """
        data = getattr(self, "cleaned_data", {})
        state = QueryDict(mutable=True)
        for name in self.fields:
            value = data.get(name)
            if name == "page" or value is None or value in ("", False):
                continue
            if isinstance(value, bool):
                state[name] = "true"
            elif isinstance(value, Decimal):
                state[name] = format(value, "f")
            else:
                state[name] = str(value).strip()
        return state


class SuggestForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    limit = forms.IntegerField(required=False, min_value=1, max_value=20)
