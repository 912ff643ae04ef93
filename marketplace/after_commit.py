"""Collect ids during a transaction and hand them over once, after it commits.

Signal handlers fire once per row; a transaction that saves 500 services should start one task with 500
ids, not 500 tasks. `collect(key, ids, flush)` adds the ids to the transaction's pending set for `key` and
registers an on-commit callback for it; the first of those callbacks to run hands every pending id to
`flush`, the others find nothing left. Outside a transaction (autocommit) the callback runs at once, as
`on_commit` does.

A rolled-back transaction discards its callbacks: the next `collect` sees that none of its key's callbacks
is registered any more and starts a new set, so the rolled-back ids are never handed over.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

Flush = Callable[[list[int]], object]  # the return value (a task's AsyncResult) is ignored


@dataclass(eq=False)
class _Pending:
    flush: Flush
    ids: set[int] = field(default_factory=set)

    def hand_over(self) -> None:
        ids, self.ids = self.ids, set()
        if ids:
            self.flush(sorted(ids))


@dataclass(eq=False)
class _Callback:
    """One on-commit registration; every one of a transaction's registrations shares the pending set."""

    pending: _Pending

    @property
    def flush(self) -> Flush:
        return self.pending.flush

    def __call__(self) -> None:
        self.pending.hand_over()


def _registered(connection: BaseDatabaseWrapper, pending: _Pending) -> bool:
    # Entries are (savepoint ids, callback, robust) since Django 4.2; the stubs still say two items.
    callbacks = (entry[1] for entry in connection.run_on_commit)
    return any(isinstance(func, _Callback) and func.pending is pending for func in callbacks)


def collect(key: str, ids: Iterable[int], flush: Flush) -> None:
    """Add `ids` to what `flush` receives once the current transaction commits."""
    new = {pk for pk in ids if pk is not None}
    if not new:
        return
    connection = transaction.get_connection()
    by_key: dict[str, _Pending] = connection.__dict__.setdefault("_after_commit_pending", {})
    pending = by_key.get(key)
    if pending is None or not (pending.ids and _registered(connection, pending)):
        pending = by_key[key] = _Pending(flush)
    pending.ids.update(new)
    transaction.on_commit(_Callback(pending))
