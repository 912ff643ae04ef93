"""Django admin for platform staff: orders, quotes, reports, reviews and messages, to look at only.

Every change to these goes through `orders/services.py` (transition table, permissions, audit entry,
notifications), so the admin adds, edits and deletes nothing; the history inline shows what the services did.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from marketplace.audit.admin import AuditHistoryInline

from .models import Message, Order, OrderLine, Quote, QuoteLine, QuoteRequest, Report, Review


def _field_names(model: type[Model], *, leave_out: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.fields if f.name not in ("id", *leave_out))


class ViewOnlyMixin:
    """No add, change or delete: staff see the record, the services change it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    # Counting every row of a large table on each changelist page costs more than the number is worth.
    show_full_result_count = False


class OrderLineInline(ViewOnlyMixin, admin.TabularInline):
    model = OrderLine
    fields = ("position", "service", "description", "quantity", "unit", "unit_price", "amount")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderLine]:
        return super().get_queryset(request).select_related("service")


@admin.register(Order)
class OrderAdmin(ViewOnlyAdmin):
    list_display = ["number", "buyer", "provider", "status", "total", "created_at"]
    list_filter = ["status"]
    search_fields = ["number", "buyer__name", "provider__name_zh", "provider__name_en"]
    list_select_related = ["buyer", "provider"]
    fields = _field_names(Order)
    readonly_fields = fields
    inlines = [OrderLineInline, AuditHistoryInline]


class QuoteInline(ViewOnlyMixin, admin.TabularInline):
    model = Quote
    fields = ("version", "status", "subtotal", "vat_amount", "total", "valid_until", "turnaround_days", "created_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Quote]:
        # Each row's title is str(quote), which names the request.
        return super().get_queryset(request).select_related("request")


@admin.register(QuoteRequest)
class QuoteRequestAdmin(ViewOnlyAdmin):
    list_display = ["number", "buyer", "provider", "service", "quantity", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["number", "buyer__name", "provider__name_zh", "provider__name_en"]
    list_select_related = ["buyer", "provider", "service"]
    fields = _field_names(QuoteRequest)
    readonly_fields = fields
    inlines = [QuoteInline, AuditHistoryInline]


class QuoteLineInline(ViewOnlyMixin, admin.TabularInline):
    model = QuoteLine
    fields = ("position", "description", "quantity", "unit", "unit_price", "amount")
    readonly_fields = fields
    extra = 0


@admin.register(Quote)
class QuoteAdmin(ViewOnlyAdmin):
    list_display = ["request", "version", "status", "total", "valid_until", "created_at"]
    list_filter = ["status"]
    search_fields = ["request__number"]
    list_select_related = ["request"]
    fields = _field_names(Quote)
    readonly_fields = fields
    inlines = [QuoteLineInline]


@admin.register(Report)
class ReportAdmin(ViewOnlyAdmin):
    """The PDF stays in private storage: the admin shows its name and fingerprint, never a link to the file."""

    list_display = ["report_number", "order", "provider", "original_name", "issued_at"]
    search_fields = ["report_number", "=verification_code", "=sha256", "order__number"]
    list_select_related = ["order", "provider"]
    fields = _field_names(Report, leave_out=("file",))
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(ViewOnlyAdmin):
    list_display = ["order", "provider", "service", "rating", "created_at"]
    list_filter = ["rating"]
    search_fields = ["order__number", "provider__name_zh", "provider__name_en"]
    list_select_related = ["order", "provider", "service"]
    fields = _field_names(Review)
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "thread", "sender_organization", "sender", "created_at"]
    search_fields = ["sender__email", "sender_organization__name"]
    list_select_related = ["thread", "sender_organization", "sender"]
    fields = _field_names(Message)
    readonly_fields = fields
