"""Facet counts and totals of the database backend, cached per (query terms, filters) and index version.

Every write to the index bumps the version (`bump_index_version`), so a cached count never outlives
the index state it was computed from: results stay exact, and the old entries simply expire.
The version is bumped at once (for searches later in the same transaction) and again when the
transaction commits, so a search that read the old rows concurrently cannot have cached them under
the new version. A lost version key restarts at the current time in nanoseconds, above any version
handed out before.
"""

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction

VERSION_KEY = "search:index-version"
TIMEOUT = 60 * 60  # seconds; entries of older versions are never read again, this only frees memory
T = TypeVar("T")


def index_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted)
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def bump_index_version() -> None:
    """Invalidate every cached count: call on any write to the index."""
    _bump()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)


def cached(parts: object, compute: Callable[[], T]) -> T:
    """`compute()`, cached under `repr(parts)` for the current index version."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"search:facets:{index_version()}:{digest}"  # the version is read before computing
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
