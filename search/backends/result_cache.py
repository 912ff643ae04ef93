"""Totals, facet counts and result pages of the database backend, cached per query and index version.

Every write to the index bumps the version (`bump_index_version`, a `marketplace.cache_versions.CacheVersion`:
now and again after the commit), so a cached count never outlives the index state it was computed from:
results stay exact, and the old entries simply expire.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from marketplace.cache_versions import CacheVersion

VERSION_KEY = "search:index-version"
TIMEOUT = 60 * 60  # seconds; entries of older versions are never read again, this only frees memory
T = TypeVar("T")


INDEX = CacheVersion(VERSION_KEY)


def index_version() -> int:
    return INDEX.current()


def bump_index_version() -> None:
    """Invalidate every cached count and page: call on any write to the index."""
    INDEX.bump()


def cached(parts: object, compute: Callable[[], T]) -> T:
    """`compute()`, cached under `repr(parts)` for the current index version."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"search:results:{index_version()}:{digest}"  # the version is read before computing
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
