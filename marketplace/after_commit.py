"""Collect ids during a transaction and hand them over once, after it commits.

Signal handlers fire once per row; a transaction that saves 500 services should start one task with 500
ids, not 500 tasks. `collect(key, ids, flush)` remembers the ids under `key` and registers an on-commit
callback; the first callback to run takes every id collected so far and calls `flush` once, the others
find nothing left. Outside a transaction (autocommit) the callback runs at once, as `on_commit` does.

The receiving tasks read the current state of the rows, so an id left over from a rolled-back transaction
costs one harmless refresh at the next commit, never a wrong result.
"""

import threading
from collections.abc import Callable, Iterable

from django.db import transaction

Flush = Callable[[list[int]], None]

_local = threading.local()


def _pending() -> dict[str, tuple[set[int], Flush]]:
    if not hasattr(_local, "pending"):
        _local.pending = {}
    return _local.pending  # type: ignore[no-any-return]


def collect(key: str, ids: Iterable[int], flush: Flush) -> None:
    """Add `ids` to what `flush` receives once the current transaction commits."""
    new = {pk for pk in ids if pk is not None}
    if not new:
        return
    pending = _pending()
    if key in pending:
        pending[key][0].update(new)
    else:
        pending[key] = (new, flush)
    transaction.on_commit(lambda: _run(key))


def _run(key: str) -> None:
    entry = _pending().pop(key, None)
    if entry is not None:
        ids, flush = entry
        flush(sorted(ids))
