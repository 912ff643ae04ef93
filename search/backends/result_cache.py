"""Totals, facet counts and result pages of the database backend, cached per query and index version.

Every write to the index bumps the version (`bump_index_version`, a `marketplace.cache_versions.CacheVersion`:
now and again after the commit), so a cached count never outlives the index state it was computed from:
results stay exact, and the old entries simply expire.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from marketplace.cache_versions import CacheVersion

VERSION_KEY = "search:index-version"
TIMEOUT = 60 * 60  # seconds; entries of older versions are never read again, this only frees memory


INDEX = CacheVersion(VERSION_KEY)


def index_version() -> int:
    return INDEX.current()


def bump_index_version() -> None:
    """Invalidate every cached count and page: call on any write to the index."""
    INDEX.bump()


@dataclass(frozen=True)
class Entry:
    """One cached value under the index version read when the entry was made (before computing it)."""

    key: str

    def get(self) -> Any:
        return cache.get(self.key)

    def set(self, value: object) -> None:
        cache.set(self.key, value, TIMEOUT)


def entry(parts: object) -> Entry:
    """The cache entry of `repr(parts)` for the current index version."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return Entry(f"search:results:{index_version()}:{digest}")
