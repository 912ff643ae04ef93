"""Version counters in the shared cache: a cache keyed by a version is invalidated by bumping the version.

Readers put the current version into their keys; writers bump it at once (for reads later in the same
transaction) and again once the transaction commits, so a value computed concurrently from the old rows is
stored under a version nobody reads any more. A lost counter restarts at the current time in nanoseconds, above
any version handed out before. Old entries are never read again and simply expire.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from .after_commit import collect


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

    def bump(self) -> None:
        """Invalidate now and again when the transaction commits (once per transaction, however many writes)."""
        self._bump()
        if connection.in_atomic_block:
            collect(f"cache-version:{self.key}", [1], lambda _ids: self._bump())
