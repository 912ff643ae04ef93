from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The header's unread count: one indexed COUNT, evaluated only by templates that show the header."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"unread_notifications": 0}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()  # type: ignore[misc]
        )
    }
