"""Django admin for platform staff: every catalog model, with filters, search and a verify action."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.audit.admin import AuditHistoryInline

from .models import Accreditation, Equipment, IndustryField, Provider, Service, ServiceCategory, ServiceImport
from .services import TransitionNotAllowed, provider_verify


@admin.register(IndustryField)
class IndustryFieldAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_zh", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class SubCategoryInline(admin.TabularInline):
    model = ServiceCategory
    fields = ["slug", "name_zh", "name_en", "position"]
    extra = 0


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "slug", "parent", "position"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_zh", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [SubCategoryInline]


class AccreditationInline(admin.TabularInline):
    model = Accreditation
    extra = 0


class EquipmentInline(admin.TabularInline):
    model = Equipment
    fields = ["name_zh", "model", "bookable", "min_notice_hours", "max_slot_hours"]
    extra = 0
    show_change_link = True


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "level", "province", "city", "verification", "verified_at"]
    list_filter = ["verification", "level", "province", "fields"]
    search_fields = ["name_zh", "name_en", "slug", "organization__name", "organization__uscc"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["fields"]
    # Verification changes only through the services (console, action), so each one is audited.
    readonly_fields = ["verification", "verified_at", "rating_count", "rating_sum", "created_at", "updated_at"]
    inlines = [AccreditationInline, EquipmentInline, AuditHistoryInline]
    actions = ["verify"]

    @admin.action(description=_("Verify selected providers"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Provider]) -> None:
        done = 0
        for provider in queryset:
            try:
                provider_verify(actor=request.user, provider=provider)  # type: ignore[arg-type]
            except TransitionNotAllowed:
                continue
            done += 1
        self.message_user(
            request,
            ngettext("%(n)d provider verified.", "%(n)d providers verified.", done) % {"n": done},
            messages.SUCCESS,
        )


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["provider", "scheme", "number", "valid_until", "expiry_reminder_sent_at"]
    list_filter = ["scheme", "valid_until"]
    readonly_fields = ["expiry_reminder_sent_at"]
    search_fields = ["number", "provider__name_zh"]


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "model", "provider", "bookable", "min_notice_hours", "max_slot_hours"]
    list_filter = ["bookable", ("provider", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_zh", "name_en", "model", "manufacturer", "provider__name_zh"]
    list_select_related = ["provider"]
    inlines = [AuditHistoryInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["title_zh", "provider", "category", "pricing_mode", "price", "turnaround_days", "status"]
    list_filter = ["status", "pricing_mode", "category__parent", ("provider", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title_zh", "title_en", "slug", "provider__name_zh"]
    list_select_related = ["provider", "category"]
    autocomplete_fields = ["provider", "category", "field"]
    filter_horizontal = ["equipment"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    date_hierarchy = "updated_at"
    inlines = [AuditHistoryInline]


@admin.register(ServiceImport)
class ServiceImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "provider", "status", "total_rows", "to_create", "to_update", "created_at"]
    list_filter = ["status", "format"]
    search_fields = ["original_name", "provider__name_zh"]
    # The file is private: no admin link to it (its storage has no public URL).
    exclude = ["file"]
    readonly_fields = [f.name for f in ServiceImport._meta.fields if f.name != "file"]
    list_select_related = ["provider"]
    inlines = [AuditHistoryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
