"""Applications in the Django admin, to look at only: decisions go through the console (services, audit, e-mail)."""

from django.contrib import admin

from marketplace.audit.admin import AuditHistoryInline
from orders.admin import ViewOnlyAdmin, ViewOnlyMixin

from .models import ApplicationDocument, ProviderApplication


class DocumentInline(ViewOnlyMixin, admin.TabularInline):
    model = ApplicationDocument
    fields = readonly_fields = ("kind", "scheme", "number", "valid_until", "original_name", "size", "uploaded_at")
    extra = 0


@admin.register(ProviderApplication)
class ProviderApplicationAdmin(ViewOnlyAdmin):
    list_display = ["organization", "level", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "level"]
    search_fields = ["organization__name", "approval_number", "lead_organization"]
    readonly_fields = [f.name for f in ProviderApplication._meta.fields]
    inlines = [DocumentInline, AuditHistoryInline]
