"""Backend selection: `settings.SEARCH_BACKEND` is "database" or "elasticsearch"."""

from functools import cache
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import SearchBackend

BACKENDS = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


@cache
def load_backend(name: str) -> SearchBackend:
    """An instance of the named backend (cached: backends hold connections)."""
    try:
        module_path, class_name = BACKENDS[name].rsplit(".", 1)
    except KeyError:
        raise ImproperlyConfigured(f"SEARCH_BACKEND must be one of {sorted(BACKENDS)}, not {name!r}") from None
    backend: SearchBackend = getattr(import_module(module_path), class_name)()
    return backend


def get_backend() -> SearchBackend:
    return load_backend(settings.SEARCH_BACKEND)
