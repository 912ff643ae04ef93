"""Totals, facet counts and result pages of the database backend, cached per query and index version.

Every write to the index bumps the version (`bump_index_version`, a `marketplace.cache_versions.CacheVersion`:
now and again after the commit), so a cached count never outlives the index state it was computed from:
results stay exact, and the old entries simply expire.
"""

from marketplace.cache_versions import CacheVersion, Entry

VERSION_KEY = "search:index-version"


INDEX = CacheVersion(VERSION_KEY)


def index_version() -> int:
    return INDEX.current()


def bump_index_version() -> None:
    """Invalidate every cached count and page: call on any write to the index."""
    INDEX.bump()


def entry(*parts: object) -> Entry:
    """The cache entry of a count or page for the current index version."""
    return INDEX.entry("results", *parts)
