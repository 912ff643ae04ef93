from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import providers_managed_by


def provider_dashboard(request: HttpRequest) -> dict[str, Any]:
    """Whether the signed-in user belongs to a provider, so the header can link to the provider dashboard."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"manages_provider": False}
    # Lazy: evaluated only by templates that show the header, not by htmx partials.
    return {"manages_provider": SimpleLazyObject(lambda: providers_managed_by(user).exists())}
