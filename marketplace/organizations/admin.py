from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketplace.audit.admin import AuditHistoryInline

from .models import Membership, Organization
from .services import organization_verify


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "uscc", "province", "city", "verified_at")
    list_filter = ("kind", "province", ("verified_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "uscc", "city")
    readonly_fields = ("invite_code", "created_at")
    inlines = [MembershipInline, AuditHistoryInline]
    actions = ["mark_verified"]

    @admin.action(description=_("Mark selected organizations as verified"))
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        # Through the service, one organization at a time, so that each verification is audited.
        pks = list(queryset.filter(verified_at__isnull=True).values_list("pk", flat=True))
        for pk in pks:
            organization_verify(actor=request.user, organization_id=pk)  # type: ignore[arg-type]
        self.message_user(request, _("%(count)d organization(s) verified.") % {"count": len(pks)})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", "organization__kind")
    search_fields = ("user__email", "organization__name")
    autocomplete_fields = ["user", "organization"]
