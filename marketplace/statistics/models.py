"""Anonymous search counts: one row per day and normalised query, no user, no address, no session."""

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_QUERY_CHARS = 100


class SearchDay(models.Model):
    day = models.DateField(_("day"))
    query = models.CharField(_("query"), max_length=MAX_QUERY_CHARS)
    count = models.PositiveIntegerField(_("searches"), default=0)
    zero_results = models.PositiveIntegerField(_("searches without results"), default=0)

    class Meta:
        verbose_name = _("searches per day")
        verbose_name_plural = _("searches per day")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="searchday_unique")]
        indexes = [models.Index(fields=["day"], name="searchday_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.query} ×{self.count}"
