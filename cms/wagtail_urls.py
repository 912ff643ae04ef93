"""Wagtail's front-end URLs, with a catch-all that never claims another language's URL prefix.

Wagtail serves every path at the site root. Inside `i18n_patterns` with an unprefixed default
language, its catch-all would also match "en/bulletins/x/" while Chinese is active, so
`translate_url` (used by the language switcher) would turn /en/bulletins/x/ into
/en/en/bulletins/x/. Excluding the prefixes of the other languages keeps those URLs unresolvable
in Chinese, exactly like every non-Wagtail URL of the site.
"""

from django.conf import settings
from django.urls import URLPattern, URLResolver, re_path
from wagtail import urls as wagtail_urls
from wagtail import views


def _other_language_prefixes() -> str:
    return "|".join(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)


urlpatterns: list[URLPattern | URLResolver] = [
    *(pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", "") != "wagtail_serve"),
    re_path(rf"^(?!(?:{_other_language_prefixes()})/)((?:[\w\-]+/)*)$", views.serve, name="wagtail_serve"),
]
