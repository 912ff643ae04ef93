"""Reads of the audit log."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from .models import AuditEntry


def audit_entries_for(*objs: models.Model) -> QuerySet[AuditEntry]:
    """The history of the given objects, oldest first, with the actor joined."""
    condition = Q(pk__in=[])
    for obj in objs:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        condition |= Q(content_type=ct, object_id=obj.pk)
    return AuditEntry.objects.filter(condition).select_related("actor").order_by("created_at", "pk")
