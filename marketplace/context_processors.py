from typing import Any

from django.http import HttpRequest

from marketplace.organizations.selectors import organizations_for


def site(request: HttpRequest) -> dict[str, Any]:
    """Navigation needs: whether the signed-in user still has to create or join an organization."""
    user = getattr(request, "user", None)
    needs_org = bool(user and user.is_authenticated and not organizations_for(user).exists())  # type: ignore[arg-type]
    return {"needs_organization": needs_org}
