"""`log_action`: the one way every service records a change (modelled on pretix's `LoggedModel.log_action`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .models import AuditEntry


def log_action(*, actor: Any, obj: models.Model, action: str, data: Mapping[str, Any] | None = None) -> AuditEntry:
    """Record that `actor` did `action` to `obj`. Must run inside the transaction of the change it describes,
    so that the change and its record are written together or not at all."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("log_action must run inside the transaction of the change it records")
    if obj.pk is None:
        raise ValueError("log_action needs a saved object")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        data=dict(data or {}),
    )
