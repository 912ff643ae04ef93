"""Django admin for the search app: the synonym list operators maintain."""

from django.contrib import admin

from .models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["words", "note", "updated_at"]
    search_fields = ["words", "note"]
