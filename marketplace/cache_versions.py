"""Version counters in the shared cache: a cache keyed by a version is invalidated by bumping the version.

Readers put the current version into their keys; writers bump it at once (for reads later in the same
transaction) and again once the transaction commits, so a value computed concurrently from the old rows is
stored under a version nobody reads any more. A lost counter restarts at the current time in nanoseconds, above
any version handed out before. Old entries are never read again and simply expire.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection

from .after_commit import collect

T = TypeVar("T")
ENTRY_TIMEOUT = 60 * 60  # seconds; entries of older versions are never read again, this only frees memory


@dataclass(frozen=True)
class Entry:
    """One cached value under the version read when the entry was made (before its value is computed)."""

    key: str
    timeout: int = ENTRY_TIMEOUT

    def get(self) -> Any:
        return cache.get(self.key)

    def set(self, value: object) -> None:
        cache.set(self.key, value, self.timeout)


@dataclass(frozen=True)
class CacheVersion:
    key: str

    def current(self) -> int:
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, time.time_ns(), timeout=None)
            version = cache.get(self.key)
        return int(version)

    def _bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # no version yet (or evicted): a new one above every earlier one
            cache.add(self.key, time.time_ns(), timeout=None)

    def entry(self, *parts: object, timeout: int = ENTRY_TIMEOUT) -> Entry:
        """The cache entry of `parts` (their repr, digested) under the current version."""
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()
        return Entry(f"{self.key}:{self.current()}:{digest}", timeout)

    def cached(self, *parts: object, compute: Callable[[], T], timeout: int = ENTRY_TIMEOUT) -> T:
        """`compute()` cached under `parts` for the current version (None is never cached)."""
        entry = self.entry(*parts, timeout=timeout)
        value: T | None = entry.get()
        if value is None:
            value = compute()
            entry.set(value)
        return value

    def bump(self) -> None:
        """Invalidate now and again when the transaction commits (once per transaction, however many writes)."""
        self._bump()
        if connection.in_atomic_block:
            collect(f"cache-version:{self.key}", [1], lambda _ids: self._bump())
