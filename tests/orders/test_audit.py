"""The audit log: written in the transaction of the change or not at all, and read back as an order's timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.audit.models import AuditEntry
from marketplace.audit.services import log_action
from marketplace.organizations.models import Organization
from orders import selectors, services
from orders.models import Order, QuoteRequest
from orders.money import LineInput
from tests.factories import OrganizationFactory
from tests.orders.conftest import Deal, order_in_state, pdf_upload, place_order, request_quote, send_quote

S = Order.Status


@pytest.mark.django_db(transaction=True)
def test_log_action_outside_a_transaction_raises_and_writes_nothing():
    org = OrganizationFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        log_action(actor=None, obj=org, action="organization.renamed")
    assert not AuditEntry.objects.exists()

    with transaction.atomic():
        entry = log_action(actor=None, obj=org, action="organization.renamed", data={"name": org.name})
    assert AuditEntry.objects.get() == entry
    assert (entry.obj, entry.actor, entry.data) == (org, None, {"name": org.name})


def test_log_action_needs_a_saved_object(db):
    with pytest.raises(ValueError, match="saved"):
        log_action(actor=None, obj=Organization(name="unsaved"), action="organization.created")
    assert not AuditEntry.objects.exists()


# Each prepares its objects through the services (which log as usual) and returns the call that must fail.
Call = Callable[[], Any]


def _bad_quote_request(deal: Deal) -> Call:
    return lambda: request_quote(deal, quantity=0)


def _bad_quote(deal: Deal) -> Call:
    request = request_quote(deal)
    terms = services.QuoteTerms(
        lines=[LineInput(description="x", quantity=Decimal("1"), unit_price=Decimal("10.00"))],
        valid_until=timezone.localdate() - timedelta(days=1),
        turnaround_days=5,
        vat_rate=Decimal("0.06"),
    )
    return lambda: services.quote_send(actor=deal.provider_user, request_id=request.pk, terms=terms)


def _bad_refund(deal: Deal) -> Call:
    order = order_in_state(deal, S.PAID)
    return lambda: services.order_refund(order_id=order.pk, actor=deal.provider_user, amount=order.total + 1)


def _bad_report_file(deal: Deal) -> Call:
    order = order_in_state(deal, S.IN_PROGRESS)
    upload = pdf_upload("report.pdf", b"<html>not a pdf</html>")
    return lambda: services.order_issue_report(
        order_id=order.pk, actor=deal.provider_user, upload=upload, report_number="R1"
    )


def _bad_report_number(deal: Deal) -> Call:
    order = order_in_state(deal, S.IN_PROGRESS)
    return lambda: services.order_issue_report(
        order_id=order.pk, actor=deal.provider_user, upload=pdf_upload(), report_number=" "
    )


def _bad_shipping(deal: Deal) -> Call:
    order = place_order(deal)
    return lambda: services.order_update_shipping(order_id=order.pk, actor=deal.buyer_user, shipping_method="teleport")


def _bad_direct_order(deal: Deal) -> Call:
    return lambda: services.order_create_direct(
        actor=deal.buyer_user, buyer=deal.buyer_org, service=deal.service, quantity=0
    )


def _bad_message(deal: Deal) -> Call:
    thread = request_quote(deal).thread
    return lambda: services.message_send(actor=deal.buyer_user, thread_id=thread.pk, body="  ")


def _bad_review(deal: Deal) -> Call:
    order = order_in_state(deal, S.COMPLETED)
    return lambda: services.review_create(actor=deal.buyer_user, order_id=order.pk, rating=9)


FAILING_CALLS: dict[str, Callable[[Deal], Call]] = {
    "quote_request_create": _bad_quote_request,
    "quote_send": _bad_quote,
    "order_refund": _bad_refund,
    "order_issue_report-file": _bad_report_file,
    "order_issue_report-number": _bad_report_number,
    "order_update_shipping": _bad_shipping,
    "order_create_direct": _bad_direct_order,
    "message_send": _bad_message,
    "review_create": _bad_review,
}


@pytest.mark.parametrize("name", FAILING_CALLS)
def test_service_that_fails_validation_leaves_no_audit_entry(deal, django_capture_on_commit_callbacks, name):
    call = FAILING_CALLS[name](deal)
    before = list(AuditEntry.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        call()
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == before
    assert callbacks == []  # and no notification is on its way


@pytest.mark.django_db(transaction=True)
def test_failure_after_the_entry_is_written_rolls_back_the_change_and_the_entry(deal, monkeypatch):
    order = order_in_state(deal, S.SAMPLE_RECEIVED)
    entries_before = AuditEntry.objects.count()

    def broken_notify(entry: AuditEntry) -> None:
        assert AuditEntry.objects.filter(pk=entry.pk).exists()  # written, inside the transaction
        raise ConnectionError("broker down")

    monkeypatch.setattr(services, "notify_after_commit", broken_notify)
    with pytest.raises(ConnectionError):
        services.order_start_work(order_id=order.pk, actor=deal.provider_user)

    order.refresh_from_db()
    assert order.status == S.SAMPLE_RECEIVED
    assert AuditEntry.objects.count() == entries_before


# --- the order timeline ------------------------------------------------------------------------------


def test_timeline_of_an_order_from_a_quote_starts_with_the_request(deal):
    request = request_quote(deal)
    send_quote(deal, request, price="1000.00")
    revised = send_quote(deal, request, price="950.00")
    services.message_send(actor=deal.buyer_user, thread_id=request.thread_id, body="OK for us.")  # not a deal event
    order = services.quote_accept(actor=deal.buyer_user, quote_id=revised.pk)
    services.order_mark_paid(order_id=order.pk, actor=None, reference="pi_1")
    services.order_receive_sample(order_id=order.pk, actor=deal.provider_user)

    # Another deal of the same parties must not leak into this one.
    other = request_quote(deal)
    services.quote_accept(actor=deal.buyer_user, quote_id=send_quote(deal, other).pk)

    timeline = list(selectors.order_timeline(order))
    assert [(e.action, e.actor) for e in timeline] == [
        ("quote_request.submitted", deal.buyer_user),
        ("quote.sent", deal.provider_user),
        ("quote.revised", deal.provider_user),
        ("quote.accepted", deal.buyer_user),
        ("order.created", deal.buyer_user),
        ("order.paid", None),
        ("order.sample_received", deal.provider_user),
    ]
    assert [e.obj for e in timeline] == [request] * 4 + [order] * 3
    assert [(e.created_at, e.pk) for e in timeline] == sorted((e.created_at, e.pk) for e in timeline)


def test_timeline_of_a_direct_order_holds_only_its_own_entries(deal):
    order = order_in_state(deal, S.PAID)
    # An entry about a quote request that happens to share the order's id belongs to that request.
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(QuoteRequest), object_id=order.pk, action="quote.sent"
    )
    assert [e.action for e in selectors.order_timeline(order)] == ["order.created", "order.paid"]
