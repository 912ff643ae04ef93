"""The database backend's index: one row per public service, denormalised, owned by search alone.

On PostgreSQL `search_vector` holds the weighted tsvector (GIN index added by migration 0002 on
PostgreSQL only); on SQLite it stays empty and the FTS5 table `search_servicedocument_fts`
(trigram tokenizer, also created by 0002, on SQLite only) holds the text instead.
"""

import re

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceDocument(models.Model):
    service = models.OneToOneField(
        "catalog.Service", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    service_slug = models.CharField(max_length=120)
    title_zh = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    summary_zh = models.CharField(max_length=500, blank=True)
    summary_en = models.CharField(max_length=500, blank=True)
    description_zh = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    standards = models.JSONField(default=list, blank=True)
    # " gbt2281 gbt22812021 ": normalised codes of the listed standards, space-delimited for exact matching.
    code_tokens = models.CharField(max_length=1000, blank=True)
    provider_id = models.BigIntegerField(db_index=True)
    provider_slug = models.CharField(max_length=50)
    provider_name_zh = models.CharField(max_length=200)
    provider_name_en = models.CharField(max_length=200, blank=True)
    provider_level = models.CharField(max_length=20)
    province = models.CharField(max_length=50)
    city = models.CharField(max_length=50)
    category_id = models.BigIntegerField()
    category_root_id = models.BigIntegerField()
    field_id = models.BigIntegerField(null=True, blank=True)
    pricing_mode = models.CharField(max_length=20)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    price_unit = models.CharField(max_length=50, blank=True)
    turnaround_days = models.PositiveSmallIntegerField()
    has_bookable_equipment = models.BooleanField(default=False)
    published_at = models.DateTimeField()
    search_vector = SearchVectorField(null=True, blank=True)
    fingerprint = models.CharField(max_length=32, blank=True)  # ServiceData.fingerprint() when indexed
    group_key = models.CharField(max_length=200, blank=True)  # text.group_key(title_zh): identical offers

    class Meta:
        indexes = [
            models.Index(fields=["category_root_id", "category_id"], name="searchdoc_category"),
            models.Index(fields=["price"], name="searchdoc_price"),
            models.Index(fields=["turnaround_days"], name="searchdoc_turnaround"),
            models.Index(fields=["-published_at"], name="searchdoc_newest"),
            # Covers every facet column: counting facets over everything is an index-only scan on PostgreSQL.
            models.Index(
                fields=[
                    "category_root_id",
                    "category_id",
                    "field_id",
                    "provider_level",
                    "province",
                    "city",
                    "pricing_mode",
                    "turnaround_days",
                    "has_bookable_equipment",
                    "price",
                ],
                name="searchdoc_facets",
            ),
        ]

    def __str__(self) -> str:
        return self.title_zh


class StandardCode(models.Model):
    """One listed standard of an indexed service, for prefix suggestions of codes."""

    document = models.ForeignKey(ServiceDocument, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=100)
    normalised = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["normalised"], name="searchcode_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.code


SYNONYM_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_members(words: str) -> list[str]:
    """The members of a synonym group as written: separated by commas (, ，、), semicolons or lines."""
    return list(dict.fromkeys(m.strip() for m in SYNONYM_SEPARATORS.split(words) if m.strip()))


class SynonymGroup(models.Model):
    """Words or phrases a search treats as the same ("寿命, 耐久", "salt spray, salt mist, 盐雾").

    Edited by platform operators in the admin; every backend expands a query word to its group (search.synonyms).
    """

    words = models.CharField(
        _("words"),
        max_length=500,
        help_text=_("Two or more words or phrases, separated by commas, that a search should treat as the same."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["words"]

    def __str__(self) -> str:
        return self.words

    @property
    def members(self) -> list[str]:
        return split_members(self.words)

    def clean(self) -> None:
        if len(self.members) < 2:
            raise ValidationError({"words": _("List at least two different words, separated by commas.")})
        if any(len(m) > 50 for m in self.members):
            raise ValidationError({"words": _("Each word or phrase can have at most 50 characters.")})
