"""Staff read the audit log: a list of all entries and a history inline on every audited model's page."""

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


class AuditHistoryInline(GenericTabularInline):
    """Read-only history of the object being edited; add to any ModelAdmin whose model is audited."""

    model = AuditEntry
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("created_at", "actor", "action", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-pk"]
    verbose_name_plural = _("history")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        # Every row shows its actor and its title (str() reads the content type): join both, not one query per row.
        return super().get_queryset(request).select_related("actor", "content_type")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "content_type", "object_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "actor__email", "=object_id"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "actor", "action", "content_type", "object_id", "data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
