from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language_info, to_locale

from marketplace.organizations.permissions import is_platform_operator
from marketplace.organizations.selectors import organizations_for


def site(request: HttpRequest) -> dict[str, Any]:
    """Navigation needs: the language switcher targets and whether the user must still join an organization."""
    user = getattr(request, "user", None)
    needs_org = SimpleLazyObject(  # evaluated only by templates that show the notice, not by htmx partials
        lambda: bool(user and user.is_authenticated and not organizations_for(user).exists())  # type: ignore[arg-type]
    )
    is_operator = SimpleLazyObject(lambda: is_platform_operator(user))
    return {"needs_organization": needs_org, "language_switch": language_switch(request), "is_operator": is_operator}


def language_switch(request: HttpRequest) -> list[dict[str, str]]:
    """The current page in every language: `next` for the switcher, `href` and `hreflang` for alternate links.

    Translated here, while the request's own language is active: Django's set_language view would
    try to resolve an /en/ path under the default language and give up, leaving the user on English.
    """
    path = request.get_full_path()
    switch = []
    for code, _name in settings.LANGUAGES:
        target = translate_url(path, code)
        switch.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "next": target,
                "href": request.build_absolute_uri(target),
                "hreflang": to_locale(code).replace("_", "-"),
            }
        )
    return switch
