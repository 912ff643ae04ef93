"""Card payments through the real `stripe` client against a real localstripe server; webhooks signed for real.

Nothing here patches the stripe library: the fake is the server.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.audit.models import AuditEntry
from marketplace.exceptions import TransitionNotAllowed
from orders import services
from orders.models import Order, Payment, Refund, StripeEvent
from orders.money import to_fen
from orders.payments import services as pay
from orders.payments import stripe_client
from tests.orders.conftest import order_in_state, place_order

CARD_OK = "4242424242424242"
CARD_3DS = "4000002760003184"
CARD_DECLINED = "4000000000000341"


def card(number: str) -> str:
    return stripe_client.create_test_payment_method(
        {"number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"}
    )


def start(deal, order: Order, number: str = CARD_OK, attempt: str | None = None) -> pay.CheckoutResult:
    return pay.payment_start_card(
        actor=deal.buyer_user,
        order_id=order.pk,
        payment_method_id=card(number),
        attempt_key=attempt or uuid.uuid4().hex,
    )


def signed(event_type: str, obj: dict, *, event_id: str | None = None, age: int = 0, secret: str | None = None):
    """A Stripe event body and its Stripe-Signature header (the scheme Stripe documents: HMAC-SHA256 of t.payload)."""
    created = int(time.time()) - age
    body = json.dumps(
        {"id": event_id or f"evt_{uuid.uuid4().hex[:16]}", "object": "event", "type": event_type,
         "created": created, "data": {"object": obj}}
    ).encode()  # fmt: skip
    key = (secret or settings.STRIPE_WEBHOOK_SECRET).encode()
    signature = hmac.new(key, f"{created}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={created},v1={signature}"


def post_event(client, body: bytes, header: str):
    return client.post(
        reverse("payments:stripe-webhook"), data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def succeeded(client, payment: Payment, **kwargs):
    body, header = signed(
        "payment_intent.succeeded", {"id": payment.stripe_payment_intent_id, "object": "payment_intent"}, **kwargs
    )
    return post_event(client, body, header)


@pytest.fixture
def order(deal, stripe_api):
    return place_order(deal)


def test_to_fen_edges():
    assert to_fen(Decimal("0.01")) == 1
    assert to_fen(Decimal("0.005")) == 1  # half-up, not banker's rounding
    assert to_fen(Decimal("0.004")) == 0
    assert to_fen(Decimal("954.00")) == 95400
    assert to_fen(Decimal("999999999999.99")) == 99999999999999


def test_card_payment_waits_for_the_webhook_and_pays_once(client, deal, order, django_capture_on_commit_callbacks):
    result = start(deal, order)
    assert result.status == Payment.Status.PROCESSING
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT  # the page never marks it paid itself
    intent = stripe_client.retrieve_intent(result.payment.stripe_payment_intent_id)
    assert (intent.status, intent.id) == ("succeeded", result.payment.stripe_payment_intent_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert succeeded(client, result.payment, event_id="evt_dup").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert succeeded(client, result.payment, event_id="evt_dup").status_code == 200  # replayed
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert AuditEntry.objects.filter(object_id=order.pk, action="order.paid").count() == 1
    assert StripeEvent.objects.filter(event_id="evt_dup").count() == 1
    recipients = sorted(m.to[0] for m in mail.outbox if order.number in m.body)  # both sides, once each
    assert recipients == sorted([deal.buyer_user.email, deal.provider_user.email])


def test_double_submit_reuses_the_intent(deal, order):
    attempt = uuid.uuid4().hex
    first = start(deal, order, attempt=attempt)
    second = start(deal, order, attempt=attempt)
    assert first.payment.pk == second.payment.pk
    assert Payment.objects.filter(order=order).count() == 1
    assert second.payment.stripe_payment_intent_id == first.payment.stripe_payment_intent_id


def test_declined_card_shows_the_message_and_a_new_attempt_can_pay(deal, order):
    result = start(deal, order, CARD_DECLINED)
    assert result.status == Payment.Status.FAILED
    assert "declined" in result.message.lower()
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert start(deal, order).status == Payment.Status.PROCESSING


def test_3d_secure_card_requires_action_with_a_client_secret(deal, order):
    result = start(deal, order, CARD_3DS)
    assert result.status == Payment.Status.REQUIRES_ACTION
    assert result.client_secret.startswith(result.payment.stripe_payment_intent_id)


def test_only_the_buyer_pays_and_only_unpaid_orders(deal, order):
    with pytest.raises(Exception) as refused:
        pay.payment_start_card(
            actor=deal.provider_user, order_id=order.pk, payment_method_id=card(CARD_OK), attempt_key="x" * 20
        )
    assert refused.type.__name__ == "PermissionDenied"
    paid = order_in_state(deal, Order.Status.PAID)
    with pytest.raises(TransitionNotAllowed):
        start(deal, paid)


@pytest.mark.parametrize("header", ["forged", "stale", "missing"])
def test_bad_signatures_are_400_and_change_nothing(client, deal, order, header):
    result = start(deal, order)
    obj = {"id": result.payment.stripe_payment_intent_id, "object": "payment_intent"}
    if header == "forged":
        body, sig = signed("payment_intent.succeeded", obj, secret="whsec_someone_else")
    elif header == "stale":
        body, sig = signed("payment_intent.succeeded", obj, age=301)
    else:
        body, sig = signed("payment_intent.succeeded", obj)
        sig = ""
    assert post_event(client, body, sig).status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert not StripeEvent.objects.exists()


def test_unknown_intent_asks_stripe_to_retry(client, db, stripe_api):
    body, sig = signed("payment_intent.succeeded", {"id": "pi_notours", "object": "payment_intent"})
    assert post_event(client, body, sig).status_code == 404
    assert not StripeEvent.objects.exists()  # so the retry is acted on


def test_late_failure_never_undoes_a_success(client, deal, order):
    result = start(deal, order)
    assert succeeded(client, result.payment).status_code == 200
    body, sig = signed(
        "payment_intent.payment_failed",
        {"id": result.payment.stripe_payment_intent_id, "object": "payment_intent",
         "last_payment_error": {"message": "Your card was declined."}},
    )  # fmt: skip
    assert post_event(client, body, sig).status_code == 200
    result.payment.refresh_from_db()
    order.refresh_from_db()
    assert (result.payment.status, order.status) == (Payment.Status.SUCCEEDED, Order.Status.PAID)


def test_failure_event_marks_the_attempt_failed(client, deal, order):
    result = start(deal, order, CARD_3DS)
    body, sig = signed(
        "payment_intent.payment_failed",
        {"id": result.payment.stripe_payment_intent_id, "object": "payment_intent",
         "last_payment_error": {"message": "Authentication failed."}},
    )  # fmt: skip
    post_event(client, body, sig)
    result.payment.refresh_from_db()
    assert (result.payment.status, result.payment.failure_message) == (Payment.Status.FAILED, "Authentication failed.")


def _refunded_at_stripe(payment: Payment) -> int:
    charge = stripe_client.client().v1.payment_intents.retrieve(payment.stripe_payment_intent_id or "")
    refunds = stripe_client.client().v1.refunds.list(params={"payment_intent": charge.id})
    return sum(r.amount for r in refunds.data)


def test_partial_then_full_refund_through_stripe_and_never_more(client, deal, order):
    result = start(deal, order)
    succeeded(client, result.payment)
    pay.refund_issue(actor=deal.provider_user, order_id=order.pk, amount=Decimal("100.00"), reason="goodwill")
    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (Order.Status.PAID, Decimal("100.00"))
    with pytest.raises(Exception) as over:
        pay.refund_issue(actor=deal.provider_user, order_id=order.pk, amount=order.total, reason="too much")
    assert over.type.__name__ == "ValidationError"
    pay.refund_issue(actor=deal.operator_user, order_id=order.pk, amount=order.total - Decimal("100.00"))
    order.refresh_from_db()
    assert (order.status, order.amount_refunded) == (Order.Status.REFUNDED, order.total)
    assert _refunded_at_stripe(result.payment) == to_fen(order.total)
    assert Refund.objects.filter(order=order, stripe_refund_id__isnull=False).count() == 2


def test_charge_refunded_event_records_refunds_made_at_stripe_once(client, deal, order):
    result = start(deal, order)
    succeeded(client, result.payment)
    stripe_client.create_refund(
        intent_id=result.payment.stripe_payment_intent_id or "", amount=Decimal("50.00"), idempotency_key="dash-1"
    )
    obj = {
        "id": "ch_x",
        "object": "charge",
        "payment_intent": result.payment.stripe_payment_intent_id,
        "amount_refunded": 5000,
    }
    for _ in range(2):
        body, sig = signed("charge.refunded", obj)
        assert post_event(client, body, sig).status_code == 200
    order.refresh_from_db()
    assert order.amount_refunded == Decimal("50.00")
    assert Refund.objects.filter(order=order).count() == 1


def test_reconciliation_settles_a_payment_whose_webhook_never_came(deal, order):
    result = start(deal, order)
    Payment.objects.filter(pk=result.payment.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert pay.payments_reconcile() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert pay.payments_reconcile() == 0


def test_success_after_cancellation_is_refunded_automatically(client, deal, order):
    result = start(deal, order)
    services.order_cancel(order_id=order.pk, actor=deal.buyer_user, reason="changed my mind")
    assert succeeded(client, result.payment).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    refund = Refund.objects.get(payment=result.payment)
    assert refund.amount == result.payment.amount and refund.stripe_refund_id
    assert _refunded_at_stripe(result.payment) == to_fen(result.payment.amount)
    assert AuditEntry.objects.filter(object_id=order.pk, action="payment.refunded_automatically").exists()


def test_bank_transfer_confirmation(deal, order):
    with pytest.raises(Exception) as wrong:
        pay.payment_confirm_bank_transfer(
            actor=deal.provider_user,
            order_id=order.pk,
            amount=Decimal("1.00"),
            received_on=timezone.localdate(),
            reference="ICBC 1",
        )
    assert wrong.type.__name__ == "ValidationError"
    payment = pay.payment_confirm_bank_transfer(
        actor=deal.provider_user,
        order_id=order.pk,
        amount=order.total,
        received_on=timezone.localdate(),
        reference="ICBC 20261124-01",
    )
    order.refresh_from_db()
    assert (order.status, payment.method, payment.status) == (Order.Status.PAID, "bank_transfer", "succeeded")
    refund = pay.refund_issue(
        actor=deal.provider_user, order_id=order.pk, amount=Decimal("10.00"), reason="sample returned"
    )
    assert refund.stripe_refund_id is None  # recorded by hand for a transfer
