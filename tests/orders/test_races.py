"""Two people pressing the same button at the same moment: real threads against PostgreSQL.

Each service locks the row it changes, so the second caller waits, then sees the first one's result and is
refused. A slowed-down permission check holds the first caller inside its transaction long enough for the
second to arrive: without the lock both would read the old status and both would succeed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

import pytest
from django.db import connection

from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import audit_entries_for
from marketplace.exceptions import TransitionNotAllowed
from orders import services
from orders.models import Order, Quote, QuoteRequest
from tests.orders.conftest import order_in_state, request_quote, send_quote

pytestmark = pytest.mark.django_db(transaction=True)

S = Order.Status


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are only meaningful on PostgreSQL; CI runs these there")


def _slowed(monkeypatch: pytest.MonkeyPatch, name: str, seconds: float = 0.2) -> None:
    """Make `services.<name>` (called after the row is locked) take a while."""
    original = getattr(services, name)

    @wraps(original)
    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, name, slow)


def run_concurrently(*calls: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Start every call at the same moment in its own thread; ("ok", result) or ("error", exception) for each."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, Any]] = [("missing", None)] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", call())
        except Exception as exc:
            results[i] = ("error", exc)
        finally:
            connection.close()  # each thread has its own connection; leave none open for the flush

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


def outcomes(results: list[tuple[str, Any]]) -> tuple[list[Any], list[BaseException]]:
    ok = [value for kind, value in results if kind == "ok"]
    errors = [value for kind, value in results if kind == "error"]
    assert len(ok) + len(errors) == len(results)
    return ok, errors


def test_two_concurrent_accepts_of_one_quote_create_exactly_one_order(deal, monkeypatch):
    request = request_quote(deal)
    quote = send_quote(deal, request)
    _slowed(monkeypatch, "roles_of")

    def accept() -> Order:
        return services.quote_accept(actor=deal.buyer_user, quote_id=quote.pk)

    ok, errors = outcomes(run_concurrently(accept, accept))

    assert len(ok) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionNotAllowed), repr(errors[0])
    assert Order.objects.filter(quote=quote).count() == 1
    assert Order.objects.get(quote=quote).pk == ok[0].pk
    quote.refresh_from_db()
    request.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED
    assert request.status == QuoteRequest.Status.ACCEPTED
    assert [e.action for e in audit_entries_for(request)].count("quote.accepted") == 1


def test_two_concurrent_sample_receipts_succeed_once(deal, monkeypatch):
    order = order_in_state(deal, S.PAID)
    _slowed(monkeypatch, "order_roles")

    def receive() -> Order:
        return services.order_receive_sample(order_id=order.pk, actor=deal.provider_user, condition="intact")

    ok, errors = outcomes(run_concurrently(receive, receive))

    assert len(ok) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionNotAllowed), repr(errors[0])
    assert str(S.SAMPLE_RECEIVED.label) in str(errors[0])  # the refusal names the state the other click produced
    order.refresh_from_db()
    assert order.status == S.SAMPLE_RECEIVED
    assert [e.action for e in audit_entries_for(order)].count("order.sample_received") == 1


def test_buyer_cancelling_while_provider_confirms_payment_one_wins(deal, monkeypatch):
    order = order_in_state(deal, S.PENDING_PAYMENT)
    _slowed(monkeypatch, "order_roles")
    audit_before = AuditEntry.objects.count()

    ok, errors = outcomes(
        run_concurrently(
            lambda: services.order_cancel(order_id=order.pk, actor=deal.buyer_user, reason="changed plans"),
            lambda: services.order_mark_paid(order_id=order.pk, actor=deal.provider_user, reference="transfer"),
        )
    )

    assert len(ok) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionNotAllowed), repr(errors[0])
    order.refresh_from_db()
    if order.status == S.CANCELLED:
        assert order.paid_at is None and order.cancelled_at is not None
    else:
        assert order.status == S.PAID
        assert order.paid_at is not None and order.cancelled_at is None
    assert AuditEntry.objects.count() == audit_before + 1


def test_starting_work_while_cancelling_one_wins(deal, monkeypatch):
    order = order_in_state(deal, S.SAMPLE_RECEIVED)
    _slowed(monkeypatch, "order_roles")

    ok, errors = outcomes(
        run_concurrently(
            lambda: services.order_start_work(order_id=order.pk, actor=deal.provider_user),
            lambda: services.order_cancel(order_id=order.pk, actor=deal.provider_user, reason="instrument down"),
        )
    )

    assert len(ok) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionNotAllowed), repr(errors[0])
    order.refresh_from_db()
    assert order.status in (S.IN_PROGRESS, S.CANCELLED)
    assert (order.cancelled_at is not None) == (order.status == S.CANCELLED)


def test_two_concurrent_full_refunds_pay_back_once(deal, monkeypatch):
    order = order_in_state(deal, S.PAID)
    _slowed(monkeypatch, "order_roles")

    def refund() -> Order:
        return services.order_refund(order_id=order.pk, actor=deal.provider_user, amount=order.total)

    ok, errors = outcomes(run_concurrently(refund, refund))

    assert len(ok) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionNotAllowed), repr(errors[0])
    order.refresh_from_db()
    assert order.status == S.REFUNDED
    assert order.amount_refunded == order.total == Decimal("636.00")
