"""Quote requests, versioned quotes, accepting/declining them, their expiry, and the money rule."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import audit_entries_for
from marketplace.exceptions import TransitionNotAllowed
from orders import services, tasks
from orders.models import Attachment, Order, OrderLine, Quote, QuoteLine, QuoteRequest, Thread
from orders.money import LineInput, round_fen, to_fen, totals_for
from tests.factories import ProviderFactory, ServiceFactory
from tests.orders.conftest import pdf_upload, request_quote, send_quote


@pytest.fixture(autouse=True)
def _english():
    """The refusals below are matched by their English text."""
    with translation.override("en"):
        yield


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (QuoteRequest, Thread, Attachment, Quote, QuoteLine, Order, OrderLine, AuditEntry)
    }


def terms(*lines: tuple[str, str], valid_days: int = 14, vat_rate: str = "0.06", **extra: Any) -> services.QuoteTerms:
    return services.QuoteTerms(
        lines=[
            LineInput(description=f"item {i}", quantity=Decimal(q), unit_price=Decimal(p), unit="件")
            for i, (q, p) in enumerate(lines, start=1)
        ],
        valid_until=timezone.localdate() + timedelta(days=valid_days),
        turnaround_days=extra.pop("turnaround_days", 7),
        vat_rate=Decimal(vat_rate),
        **extra,
    )


# --- quote requests ------------------------------------------------------------------------------------

YESTERDAY = "yesterday"  # resolved when the test runs, not when it is collected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 100001}, "quantity"),
        ({"sample_description": "   \n "}, "sample_description"),
        ({"desired_date": YESTERDAY}, "desired_date"),
    ],
)
def test_invalid_quote_request_is_refused_and_writes_nothing(deal, params, field):
    if params.get("desired_date") == YESTERDAY:
        params = {"desired_date": timezone.localdate() - timedelta(days=1)}
    before = counts()
    with pytest.raises(ValidationError) as exc:
        request_quote(deal, **params)
    assert field in exc.value.message_dict
    assert counts() == before


def test_quote_request_with_a_refused_attachment_writes_nothing(deal):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        request_quote(deal, attachments=[pdf_upload("drawing.exe", b"MZ\x90\x00")])
    assert "attachments" in exc.value.message_dict
    assert counts() == before


def test_quote_request_is_submitted_with_a_number_thread_and_audit_entry(deal):
    request = request_quote(deal, attachments=[pdf_upload("drawing.pdf")], standards="GB/T 228.1-2021")
    assert request.status == QuoteRequest.Status.SUBMITTED
    assert re.fullmatch(rf"QR-{timezone.localdate():%Y%m%d}-\d{{6}}", request.number)
    assert request.provider == deal.provider and request.buyer == deal.buyer_org
    assert request.thread.buyer == deal.buyer_org and request.thread.provider == deal.provider
    assert [a.original_name for a in request.thread.attachments.all()] == ["drawing.pdf"]
    assert [e.action for e in audit_entries_for(request)] == ["quote_request.submitted"]


@pytest.mark.parametrize("who", ["provider_user", "operator_user"])
def test_only_enterprise_members_may_request_a_quote(deal, who):
    """Members of a provider or platform organization cannot buy in its name."""
    user = getattr(deal, who)
    org = user.memberships.get().organization
    before = counts()
    with pytest.raises(ValidationError, match="enterprise"):
        services.quote_request_create(
            actor=user, buyer=org, service=deal.quote_service, quantity=1, sample_description="steel"
        )
    assert counts() == before


def test_nobody_can_request_in_the_name_of_another_enterprise(deal):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.quote_request_create(
            actor=deal.other_sme_user,
            buyer=deal.buyer_org,
            service=deal.quote_service,
            quantity=1,
            sample_description="steel",
        )
    assert counts() == before


@pytest.mark.parametrize("kind", ["draft", "archived", "unverified provider"])
def test_quote_request_for_a_service_that_is_not_public_is_refused(deal, kind):
    if kind == "unverified provider":
        service = ServiceFactory(provider=ProviderFactory(verification="pending", verified_at=None))
    else:
        service = ServiceFactory(provider=deal.provider, status=kind)
    before = counts()
    with pytest.raises(TransitionNotAllowed, match="not available"):
        services.quote_request_create(
            actor=deal.buyer_user, buyer=deal.buyer_org, service=service, quantity=1, sample_description="steel"
        )
    assert counts() == before


def test_request_can_be_withdrawn_before_it_is_quoted_but_not_after(deal):
    withdrawn = services.quote_request_decline(actor=deal.buyer_user, request_id=request_quote(deal).pk)
    assert withdrawn.status == QuoteRequest.Status.DECLINED
    declined = services.quote_request_decline(actor=deal.provider_user, request_id=request_quote(deal).pk)
    assert declined.status == QuoteRequest.Status.DECLINED
    with pytest.raises(PermissionDenied):
        services.quote_request_decline(actor=deal.other_provider_user, request_id=request_quote(deal).pk)

    quoted = request_quote(deal)
    send_quote(deal, quoted)
    with pytest.raises(TransitionNotAllowed):
        services.quote_request_decline(actor=deal.provider_user, request_id=quoted.pk)
    quoted.refresh_from_db()
    assert quoted.status == QuoteRequest.Status.QUOTED


# --- quotes -------------------------------------------------------------------------------------------


def test_provider_quote_is_version_1_and_marks_the_request_quoted(deal):
    request = request_quote(deal)
    quote = send_quote(deal, request)
    request.refresh_from_db()
    assert (quote.version, quote.status, quote.request) == (1, Quote.Status.SENT, request)
    assert request.status == QuoteRequest.Status.QUOTED
    assert (quote.subtotal, quote.vat_amount, quote.total) == (
        Decimal("3000.00"),
        Decimal("180.00"),
        Decimal("3180.00"),
    )
    assert [(line.position, line.quantity, line.amount) for line in quote.lines.all()] == [
        (1, Decimal("3.00"), Decimal("3000.00"))
    ]
    assert [e.action for e in audit_entries_for(request)] == ["quote_request.submitted", "quote.sent"]


@pytest.mark.parametrize(
    ("who", "exc"), [("buyer_user", TransitionNotAllowed), ("other_provider_user", PermissionDenied)]
)
def test_only_the_provider_can_send_a_quote(deal, who, exc):
    request = request_quote(deal)
    before = counts()
    with pytest.raises(exc):
        services.quote_send(actor=getattr(deal, who), request_id=request.pk, terms=terms(("1", "10.00")))
    assert counts() == before


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"lines": ()}, "lines"),
        ({"lines": (("0", "10.00"),)}, "lines"),
        ({"lines": (("1", "-1.00"),)}, "lines"),
        ({"valid_days": -1}, "valid_until"),
        ({"vat_rate": "1.5"}, "vat_rate"),
        ({"turnaround_days": 0}, "turnaround_days"),
        # Stored lines have two decimals and the order is priced from them: a third would change the total.
        ({"lines": (("3", "33.335"),)}, "lines"),
        ({"lines": (("0.333", "10.00"),)}, "lines"),
        ({"vat_rate": "0.06125"}, "vat_rate"),
    ],
)
def test_invalid_quote_is_refused_and_writes_nothing(deal, bad, field):
    request = request_quote(deal)
    lines = bad.pop("lines", (("1", "10.00"),))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.quote_send(actor=deal.provider_user, request_id=request.pk, terms=terms(*lines, **bad))
    assert field in exc.value.message_dict
    assert counts() == before
    request.refresh_from_db()
    assert request.status == QuoteRequest.Status.SUBMITTED


def test_revision_supersedes_the_open_version(deal):
    request = request_quote(deal)
    v1 = send_quote(deal, request, price="1000.00")
    v2 = send_quote(deal, request, price="900.00")
    v1.refresh_from_db()
    assert (v1.version, v1.status) == (1, Quote.Status.SUPERSEDED)
    assert (v2.version, v2.status, v2.total) == (2, Quote.Status.SENT, Decimal("2862.00"))
    assert [e.action for e in audit_entries_for(request)][-2:] == ["quote.sent", "quote.revised"]

    before = counts()
    with pytest.raises(TransitionNotAllowed, match="Superseded"):
        services.quote_accept(actor=deal.buyer_user, quote_id=v1.pk)
    assert counts() == before
    order = services.quote_accept(actor=deal.buyer_user, quote_id=v2.pk)
    assert order.quote == v2 and order.total == Decimal("2862.00")


def test_accepting_a_quote_creates_one_order_with_its_lines_and_totals(deal):
    request = request_quote(deal)
    quote = services.quote_send(
        actor=deal.provider_user,
        request_id=request.pk,
        terms=terms(("3", "33.33"), ("1.5", "10.25"), ("0.25", "100.01")),  # 99.99 + 15.375 + 25.0025
    )
    assert (quote.subtotal, quote.vat_amount, quote.total) == (Decimal("140.37"), Decimal("8.42"), Decimal("148.79"))
    order = services.quote_accept(actor=deal.buyer_user, quote_id=quote.pk, note="  please call first  ")

    assert Order.objects.filter(quote=quote).count() == 1
    assert order.status == Order.Status.PENDING_PAYMENT
    assert re.fullmatch(rf"SO-{timezone.localdate():%Y%m%d}-\d{{6}}", order.number)
    assert order.number.endswith(f"{order.pk:06d}")
    assert (order.buyer, order.provider, order.service, order.thread) == (
        deal.buyer_org,
        deal.provider,
        deal.quote_service,
        request.thread,
    )
    assert order.buyer_note == "please call first"
    for field in ("subtotal", "vat_rate", "vat_amount", "total"):
        assert getattr(order, field) == getattr(quote, field), field
    quote_lines = list(quote.lines.values_list("position", "description", "quantity", "unit", "unit_price", "amount"))
    order_lines = list(order.lines.values_list("position", "description", "quantity", "unit", "unit_price", "amount"))
    assert order_lines == quote_lines and len(order_lines) == 3

    quote.refresh_from_db()
    request.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED
    assert request.status == QuoteRequest.Status.ACCEPTED
    assert [e.action for e in audit_entries_for(request)][-1] == "quote.accepted"
    assert [e.action for e in audit_entries_for(order)] == ["order.created"]

    before = counts()
    with pytest.raises(TransitionNotAllowed):
        services.quote_accept(actor=deal.buyer_user, quote_id=quote.pk)
    assert counts() == before


@pytest.mark.parametrize(
    ("who", "exc"),
    [
        ("provider_user", TransitionNotAllowed),
        ("other_sme_user", PermissionDenied),
        ("operator_user", TransitionNotAllowed),
    ],
)
def test_only_the_buyer_can_accept_or_decline(deal, who, exc):
    quote = send_quote(deal, request_quote(deal))
    before = counts()
    with pytest.raises(exc):
        services.quote_accept(actor=getattr(deal, who), quote_id=quote.pk)
    with pytest.raises(exc):
        services.quote_decline(actor=getattr(deal, who), quote_id=quote.pk)
    assert counts() == before
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


def test_declining_closes_the_quote_and_the_request(deal):
    request = request_quote(deal)
    quote = send_quote(deal, request)
    services.quote_decline(actor=deal.buyer_user, quote_id=quote.pk, reason="too expensive")
    quote.refresh_from_db()
    request.refresh_from_db()
    assert quote.status == Quote.Status.DECLINED
    assert request.status == QuoteRequest.Status.DECLINED
    entry = audit_entries_for(request).last()
    assert entry is not None and entry.action == "quote.declined" and entry.data["reason"] == "too expensive"

    before = counts()
    with pytest.raises(TransitionNotAllowed):
        services.quote_accept(actor=deal.buyer_user, quote_id=quote.pk)
    with pytest.raises(TransitionNotAllowed):
        send_quote(deal, request)  # a declined request cannot be quoted again
    assert counts() == before


# --- expiry -------------------------------------------------------------------------------------------


def _make_past_due(quote: Quote) -> None:
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))


def test_quotes_expire_due_expires_only_quotes_past_their_validity(deal):
    due_request = request_quote(deal)
    due = send_quote(deal, due_request)
    _make_past_due(due)
    fresh = send_quote(deal, request_quote(deal))
    Quote.objects.filter(pk=fresh.pk).update(valid_until=timezone.localdate())  # valid through today

    assert services.quotes_expire_due() == 1
    due.refresh_from_db()
    due_request.refresh_from_db()
    fresh.refresh_from_db()
    assert due.status == Quote.Status.EXPIRED
    assert due_request.status == QuoteRequest.Status.EXPIRED
    assert fresh.status == Quote.Status.SENT
    entry = audit_entries_for(due_request).last()
    assert entry is not None and (entry.action, entry.actor) == ("quote.expired", None)

    assert services.quotes_expire_due() == 0  # nothing left to do: safe to run twice


def test_accepting_an_expired_quote_is_refused_and_the_quote_ends_expired(deal):
    request = request_quote(deal)
    quote = send_quote(deal, request)
    _make_past_due(quote)
    orders_before = Order.objects.count()

    with pytest.raises(TransitionNotAllowed, match="expired"):
        services.quote_accept(actor=deal.buyer_user, quote_id=quote.pk)

    quote.refresh_from_db()
    request.refresh_from_db()
    assert quote.status == Quote.Status.EXPIRED
    assert request.status == QuoteRequest.Status.EXPIRED
    assert Order.objects.count() == orders_before
    with pytest.raises(TransitionNotAllowed):
        services.quote_accept(actor=deal.buyer_user, quote_id=quote.pk)


def test_expire_quotes_task_runs_eagerly(deal):
    quote = send_quote(deal, request_quote(deal))
    _make_past_due(quote)
    assert tasks.expire_quotes.delay().get() == 1
    quote.refresh_from_db()
    assert quote.status == Quote.Status.EXPIRED


# --- money --------------------------------------------------------------------------------------------


def test_line_amounts_round_half_up_to_the_fen():
    line = LineInput(description="x", quantity=Decimal("3"), unit_price=Decimal("33.335"))
    assert line.amount == Decimal("100.01")  # 100.005: half-up, not banker's rounding (100.00)
    assert (Decimal("3") * Decimal("33.335")).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) == Decimal("100.00")
    assert round_fen(Decimal("0.005")) == Decimal("0.01")
    assert round_fen(Decimal("0.0049")) == Decimal("0.00")
    assert round_fen(Decimal("-0.005")) == Decimal("-0.01")


def test_subtotal_is_the_sum_of_rounded_line_amounts():
    lines = [LineInput(description=f"bar {i}", quantity=Decimal("1.5"), unit_price=Decimal("10.25")) for i in range(2)]
    assert [line.amount for line in lines] == [Decimal("15.38"), Decimal("15.38")]  # 15.375 each, half-up
    totals = totals_for(lines, Decimal("0.06"))
    assert totals.subtotal == Decimal("30.76")  # not round(30.75): every line is rounded before summing
    assert totals.vat_amount == Decimal("1.85")  # 30.76 x 0.06 = 1.8456
    assert totals.total == Decimal("32.61")
    assert all(isinstance(v, Decimal) for v in (totals.subtotal, totals.vat_rate, totals.vat_amount, totals.total))


def test_vat_is_computed_on_the_subtotal_not_per_line():
    lines = [LineInput(description=f"sample {i}", quantity=Decimal("1"), unit_price=Decimal("10.25")) for i in range(3)]
    rate = Decimal("0.06")
    per_line_vat = sum((round_fen(line.amount * rate) for line in lines), Decimal("0"))
    assert per_line_vat == Decimal("1.86")  # 3 x round(0.615) = 3 x 0.62: the wrong way
    totals = totals_for(lines, rate)
    assert totals.subtotal == Decimal("30.75")
    assert totals.vat_amount == Decimal("1.85")  # round(30.75 x 0.06 = 1.845) half-up, once
    assert totals.total == Decimal("32.60")
    assert totals.vat_amount != per_line_vat


def test_stored_quote_and_order_follow_the_money_rule(deal):
    request = request_quote(deal)
    quote = services.quote_send(
        actor=deal.provider_user, request_id=request.pk, terms=terms(("1", "10.25"), ("1", "10.25"), ("1", "10.25"))
    )
    assert (quote.subtotal, quote.vat_amount, quote.total) == (Decimal("30.75"), Decimal("1.85"), Decimal("32.60"))
    order = services.quote_accept(actor=deal.buyer_user, quote_id=quote.pk)
    order.refresh_from_db()
    assert (order.subtotal, order.vat_amount, order.total) == (Decimal("30.75"), Decimal("1.85"), Decimal("32.60"))
    assert to_fen(order.total) == 3260


def test_zero_vat_and_to_fen():
    totals = totals_for([LineInput(description="x", quantity=Decimal("2.5"), unit_price=Decimal("0.07"))], Decimal(0))
    assert (totals.subtotal, totals.vat_amount, totals.total) == (Decimal("0.18"), Decimal("0.00"), Decimal("0.18"))
    assert to_fen(Decimal("100.005")) == 10001
    assert to_fen(Decimal("0.01")) == 1
