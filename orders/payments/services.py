"""Every write about money: card payments, webhook events, bank transfers, refunds, fapiao.

Lock order everywhere: the order row first, then the payment row, so a webhook and a refund or two
webhooks for one order never deadlock and always see each other's committed writes.
Card payments are marked paid only by Stripe's word (webhook or reconciliation), never by the
page the buyer returns to.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.audit.services import log_action
from marketplace.exceptions import TransitionNotAllowed
from marketplace.money import format_yuan
from orders import services as order_services
from orders.files import check_upload, safe_name
from orders.models import BankAccount, FapiaoRequest, Order, Payment, Refund, StripeEvent
from orders.money import to_fen
from orders.permissions import Role, member_org_ids, order_roles

from . import stripe_client
from .stripe_client import CardDeclined, WebhookEvent

if TYPE_CHECKING:
    from catalog.models import Provider
    from marketplace.accounts.models import User

logger = logging.getLogger(__name__)
P = Payment.Status
# Stripe's intent statuses mapped onto ours; anything else (requires_confirmation, ...) counts as processing.
INTENT_STATUS = {
    "succeeded": P.PROCESSING,  # the webhook (or reconciliation) turns it into SUCCEEDED and the order paid
    "processing": P.PROCESSING,
    "requires_action": P.REQUIRES_ACTION,
    "requires_payment_method": P.FAILED,
    "canceled": P.CANCELED,
}
FINAL = frozenset({P.SUCCEEDED})


def card_payments_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def new_attempt_key() -> str:
    """A token the checkout page sends with its submit; the same token never pays twice."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class CheckoutResult:
    payment: Payment
    status: str  # ours: processing, requires_action, failed, ...
    client_secret: str = ""
    message: str = ""


def _log(actor: Any, order: Order, action: str, data: dict[str, Any]) -> None:
    entry = log_action(actor=actor, obj=order, action=action, data=data)
    order_services.notify_after_commit(entry)


def _lock(order_id: int) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("provider").get(pk=order_id)


# --- card payments ------------------------------------------------------------------------------------


def payment_start_card(*, actor: User, order_id: int, payment_method_id: str, attempt_key: str) -> CheckoutResult:
    """Pay an order by card: one Payment per checkout attempt, one PaymentIntent per Payment.

    Phase 1 records the attempt under the order lock; phase 2 creates the intent under the payment's
    own lock, so a double click waits for the first request and then reuses its intent.
    """
    with transaction.atomic():
        order = _lock(order_id)
        if Role.BUYER not in order_roles(actor, order):
            raise PermissionDenied
        if order.status != Order.Status.PENDING_PAYMENT:
            raise TransitionNotAllowed(
                _("Order %(number)s is “%(status)s”: there is nothing to pay.")
                % {"number": order.number, "status": order.get_status_display()}
            )
        if not card_payments_enabled():
            raise TransitionNotAllowed(_("Card payments are not available; please pay by bank transfer."))
        payment, _created = Payment.objects.get_or_create(
            order=order,
            attempt_key=attempt_key[:64],
            defaults={"method": Payment.Method.CARD, "amount": order.total, "created_by": actor},
        )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.stripe_payment_intent_id:
            state = stripe_client.retrieve_intent(payment.stripe_payment_intent_id)
            return CheckoutResult(payment, payment.status, state.client_secret, payment.failure_message)
        if payment.status == P.FAILED:
            return CheckoutResult(payment, payment.status, message=payment.failure_message)
        outcome = stripe_client.create_card_intent(
            amount=payment.amount,
            payment_method_id=payment_method_id,
            idempotency_key=f"payment-{payment.pk}",
            metadata={"order": order.number or "", "payment": str(payment.pk)},
        )
        if isinstance(outcome, CardDeclined):
            payment.status, payment.failure_message = P.FAILED, outcome.message[:300]
            payment.save(update_fields=["status", "failure_message", "updated_at"])
            log_action(actor=actor, obj=order, action="payment.declined", data={"message": payment.failure_message})
            return CheckoutResult(payment, payment.status, message=payment.failure_message)
        payment.stripe_payment_intent_id = outcome.id
        payment.status = INTENT_STATUS.get(outcome.status, P.PROCESSING)
        payment.failure_message = outcome.failure_message[:300]
        payment.save(update_fields=["stripe_payment_intent_id", "status", "failure_message", "updated_at"])
        log_action(actor=actor, obj=order, action="payment.card_started", data={"payment": payment.pk})
        return CheckoutResult(payment, payment.status, outcome.client_secret, payment.failure_message)


def _auto_refund(payment: Payment, reason: str) -> None:
    """Give back a card payment that arrived for an order that no longer takes it (cancelled, or paid already)."""
    refund = Refund.objects.create(order=payment.order, payment=payment, amount=payment.amount, reason=reason)
    refund.stripe_refund_id = stripe_client.create_refund(
        intent_id=payment.stripe_payment_intent_id or "", amount=payment.amount, idempotency_key=f"refund-{refund.pk}"
    )
    refund.save(update_fields=["stripe_refund_id"])
    _log(None, payment.order, "payment.refunded_automatically", {"amount": str(payment.amount), "reason": reason})


def _record_success(order: Order, payment: Payment) -> None:
    if payment.status == P.SUCCEEDED:
        return  # said twice (webhook and reconciliation): once is enough
    payment.status, payment.succeeded_at, payment.failure_message = P.SUCCEEDED, timezone.now(), ""
    payment.save(update_fields=["status", "succeeded_at", "failure_message", "updated_at"])
    if order.status == Order.Status.PENDING_PAYMENT:
        order_services.order_mark_paid(order_id=order.pk, actor=None, reference=payment.stripe_payment_intent_id or "")
    elif order.status == Order.Status.CANCELLED:
        _auto_refund(payment, "order cancelled before the payment succeeded")
    else:  # another payment paid the order first
        _auto_refund(payment, "order already paid")


def _record_failure(payment: Payment, status: str, message: str) -> None:
    if payment.status in FINAL or payment.status == status:
        return  # a late "failed" never undoes a success: states only move forward
    payment.status, payment.failure_message = status, message[:300]
    payment.save(update_fields=["status", "failure_message", "updated_at"])


def _apply_intent_state(order: Order, payment: Payment, status: str, message: str = "") -> None:
    if status == "succeeded":
        _record_success(order, payment)
    elif status == "requires_payment_method":
        _record_failure(payment, P.FAILED, message or _("The payment failed."))
    elif status == "canceled":
        _record_failure(payment, P.CANCELED, message)


class UnknownIntent(Exception):
    """An event for an intent we have not recorded (yet): Stripe must retry later."""


def _sync_refunds(order: Order, payment: Payment, refunded_fen: int) -> None:
    """Record refunds made outside the platform (e.g. in Stripe's dashboard) that `charge.refunded` reports."""
    known = sum((r.amount for r in payment.refunds.all()), Decimal("0.00"))
    missing = Decimal(refunded_fen - to_fen(known)) / 100
    if missing <= 0:
        return
    Refund.objects.create(order=order, payment=payment, amount=missing, reason="refunded at the payment provider")
    if order.paid_at is not None and order.amount_refunded + missing <= order.total:
        order_services.order_refund(order_id=order.pk, actor=None, amount=missing, reason="refunded at Stripe")


@transaction.atomic
def webhook_handle(event: WebhookEvent) -> None:
    """Act on one verified Stripe event exactly once. Raises UnknownIntent (nothing is recorded) to get a retry."""
    obj = event.object
    intent_id = obj.get("payment_intent") if event.type == "charge.refunded" else obj.get("id")
    order_id = Payment.objects.filter(stripe_payment_intent_id=intent_id).values_list("order_id", flat=True).first()
    if not intent_id or order_id is None:
        raise UnknownIntent(intent_id)
    order = _lock(order_id)
    payment = Payment.objects.select_for_update().get(stripe_payment_intent_id=intent_id)
    try:
        with transaction.atomic():
            StripeEvent.objects.create(event_id=event.id, type=event.type)
    except IntegrityError:
        return  # a replayed or duplicated delivery: already acted on
    if event.type == "payment_intent.succeeded":
        _apply_intent_state(order, payment, "succeeded")
    elif event.type == "payment_intent.payment_failed":
        error = obj.get("last_payment_error") or {}
        _apply_intent_state(order, payment, "requires_payment_method", str(error.get("message") or ""))
    elif event.type == "payment_intent.canceled":
        _apply_intent_state(order, payment, "canceled")
    elif event.type == "charge.refunded":
        _sync_refunds(order, payment, int(obj.get("amount_refunded") or 0))


def payments_reconcile(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Ask Stripe about card payments stuck in processing or authentication; returns how many changed."""
    cutoff = timezone.now() - older_than
    stuck = Payment.objects.filter(
        method=Payment.Method.CARD,
        status__in=[P.PROCESSING, P.REQUIRES_ACTION],
        stripe_payment_intent_id__isnull=False,
        updated_at__lt=cutoff,
    ).values_list("pk", "order_id", "stripe_payment_intent_id")
    changed = 0
    for payment_id, order_id, intent_id in stuck:
        try:
            state = stripe_client.retrieve_intent(intent_id or "")
        except stripe_client.PaymentGatewayError:
            logger.warning("reconciliation: intent %s could not be fetched", intent_id)
            continue
        with transaction.atomic():
            order = _lock(order_id)
            payment = Payment.objects.select_for_update().get(pk=payment_id)
            before = payment.status
            _apply_intent_state(order, payment, state.status, state.failure_message)
            if payment.status == before:
                payment.save(update_fields=["updated_at"])  # looked at now: next look in `older_than`
            else:
                changed += 1
                log_action(actor=None, obj=order, action="payment.reconciled", data={"status": payment.status})
    return changed


# --- bank transfer, refunds, fapiao -------------------------------------------------------------------


@transaction.atomic
def payment_confirm_bank_transfer(
    *, actor: User, order_id: int, amount: Decimal, received_on: date, reference: str
) -> Payment:
    """The provider confirms the transfer arrived (amount, date, bank reference); the order becomes paid."""
    order = _lock(order_id)
    if Role.PROVIDER not in order_roles(actor, order):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if amount != order.total:
        errors["amount"] = _("The order total is %(total)s; partial transfers cannot be confirmed.") % {
            "total": format_yuan(order.total)
        }
    if received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be in the future.")
    if not reference.strip():
        errors["reference"] = _("Enter the bank's reference for the transfer.")
    if errors:
        raise ValidationError(errors)
    payment = Payment.objects.create(
        order=order,
        method=Payment.Method.BANK_TRANSFER,
        status=P.SUCCEEDED,
        amount=amount,
        bank_reference=reference.strip()[:100],
        received_on=received_on,
        created_by=actor,
        succeeded_at=timezone.now(),
    )
    order_services.order_mark_paid(order_id=order.pk, actor=actor, reference=payment.bank_reference)
    return payment


@transaction.atomic
def refund_issue(*, actor: User | None, order_id: int, amount: Decimal, reason: str = "") -> Refund:
    """Refund (part of) an order: through Stripe for a card payment, recorded by hand for a bank transfer.

    Never more than was paid: `order_refund` checks the amount against what is left, under the order lock.
    """
    order = order_services.order_refund(order_id=order_id, actor=actor, amount=amount, reason=reason)
    paid = Payment.objects.select_for_update().filter(order=order, status=P.SUCCEEDED).order_by("pk").last()
    refund = Refund.objects.create(
        order=order, payment=paid, amount=amount, reason=reason.strip()[:500], created_by=actor
    )
    if paid is not None and paid.method == Payment.Method.CARD:
        refund.stripe_refund_id = stripe_client.create_refund(
            intent_id=paid.stripe_payment_intent_id or "", amount=amount, idempotency_key=f"refund-{refund.pk}"
        )
        refund.save(update_fields=["stripe_refund_id"])
    return refund


@transaction.atomic
def bank_account_save(
    *, actor: User, provider: Provider, account_name: str, bank_name: str, account_number: str
) -> BankAccount:
    """The provider's members set the account buyers transfer to."""
    if provider.organization_id not in member_org_ids(actor):
        raise PermissionDenied
    number = "".join(account_number.split())
    if not number.isdigit() or not 8 <= len(number) <= 30:
        raise ValidationError({"account_number": _("Enter the account number: 8 to 30 digits.")})
    account, _created = BankAccount.objects.update_or_create(
        provider=provider,
        defaults={"account_name": account_name.strip(), "bank_name": bank_name.strip(), "account_number": number},
    )
    log_action(actor=actor, obj=provider, action="provider.bank_account_updated", data={"bank": account.bank_name})
    return account


def _check_taxpayer_id(value: str) -> str:
    value = value.strip().upper()
    if not (15 <= len(value) <= 20 and value.isalnum()):
        raise ValidationError(
            {"taxpayer_id": _("Enter the taxpayer ID (unified social credit code, 15–20 characters).")}
        )
    return value


@transaction.atomic
def fapiao_request(*, actor: User, order_id: int, data: dict[str, Any]) -> FapiaoRequest:
    """The buyer asks for a fapiao with its invoice details; it can be changed until the provider issues it."""
    order = _lock(order_id)
    if Role.BUYER not in order_roles(actor, order):
        raise PermissionDenied
    if order.status in (Order.Status.CANCELLED,):
        raise TransitionNotAllowed(_("A cancelled order gets no invoice."))
    existing = FapiaoRequest.objects.filter(order=order).first()
    if existing is not None and existing.issued_at is not None:
        raise TransitionNotAllowed(_("The invoice has already been issued."))
    fields = {
        "kind": data["kind"],
        "title": data["title"].strip(),
        "taxpayer_id": _check_taxpayer_id(data["taxpayer_id"]),
        "address_phone": data.get("address_phone", "").strip(),
        "bank_account": data.get("bank_account", "").strip(),
        "email": data["email"].strip(),
    }
    if fields["kind"] == FapiaoRequest.Kind.SPECIAL and not (fields["address_phone"] and fields["bank_account"]):
        raise ValidationError({"bank_account": _("A special VAT invoice needs the address, phone, bank and account.")})
    fapiao, _created = FapiaoRequest.objects.update_or_create(order=order, defaults={**fields, "requested_by": actor})
    _log(actor, order, "fapiao.requested", {"kind": fapiao.kind})
    return fapiao


@transaction.atomic
def fapiao_issue(*, actor: User, order_id: int, upload: UploadedFile) -> FapiaoRequest:
    """The provider uploads the issued invoice (PDF); the buyer can download it from the order page."""
    order = _lock(order_id)
    if Role.PROVIDER not in order_roles(actor, order):
        raise PermissionDenied
    fapiao = FapiaoRequest.objects.select_for_update().filter(order=order).first()
    if fapiao is None:
        raise TransitionNotAllowed(_("The buyer has not asked for an invoice yet."))
    if fapiao.issued_at is not None:
        raise TransitionNotAllowed(_("The invoice has already been issued."))
    try:
        check_upload(upload, allowed=frozenset({"pdf"}))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    fapiao.file.save(safe_name(upload.name or "fapiao.pdf"), upload, save=False)
    fapiao.issued_at = timezone.now()
    fapiao.save(update_fields=["file", "issued_at"])
    _log(actor, order, "fapiao.issued", {})
    return fapiao
