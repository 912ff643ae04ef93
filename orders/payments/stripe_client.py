"""The only module that talks to Stripe (and, in development and tests, to localstripe, its fake).

Everything else in the code base deals in `Decimal` yuan; amounts become integer fen here and nowhere else
(`orders.money.to_fen`). The API base is the `STRIPE_API_BASE` setting: empty for Stripe itself,
`http://127.0.0.1:<port>` for localstripe.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import stripe
from django.conf import settings

from orders.money import to_fen

WEBHOOK_TOLERANCE_SECONDS = 300
WEBHOOK_EVENTS = (
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "charge.refunded",
)


class PaymentGatewayError(Exception):
    """Stripe could not be reached or refused the request for a reason that is not the card's."""


class InvalidWebhook(Exception):
    """A webhook whose signature or timestamp does not check out."""


@dataclass(frozen=True)
class IntentState:
    id: str
    status: str  # Stripe's: succeeded, requires_action, processing, requires_payment_method, canceled, ...
    client_secret: str
    failure_message: str = ""


@dataclass(frozen=True)
class CardDeclined:
    """A card refusal: the card's own message, to show to the buyer."""

    message: str
    code: str


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    object: dict[str, Any]


@lru_cache(maxsize=4)
def _client(api_key: str, api_base: str) -> stripe.StripeClient:
    base = {"api": api_base} if api_base else None
    return stripe.StripeClient(api_key, base_addresses=base, max_network_retries=2)  # type: ignore[arg-type]


def client() -> stripe.StripeClient:
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


def _state(intent: Any) -> IntentState:
    error = getattr(intent, "last_payment_error", None)
    message = (getattr(error, "message", "") or "") if error else ""
    return IntentState(
        id=intent.id, status=intent.status, client_secret=intent.client_secret or "", failure_message=message
    )


def create_card_intent(
    *, amount: Decimal, payment_method_id: str, idempotency_key: str, metadata: dict[str, str]
) -> IntentState | CardDeclined:
    """Create and confirm a PaymentIntent on the server ("finalize on the server")."""
    params: dict[str, Any] = {
        "amount": to_fen(amount),
        "currency": "cny",
        "payment_method": payment_method_id,
        "payment_method_types": ["card"],
        "confirm": True,
        "metadata": metadata,
    }
    try:
        intent = client().v1.payment_intents.create(params=params, options={"idempotency_key": idempotency_key})  # type: ignore[arg-type]
    except stripe.CardError as exc:
        return CardDeclined(message=exc.user_message or str(exc), code=exc.code or "card_declined")
    except stripe.StripeError as exc:
        raise PaymentGatewayError(str(exc)) from exc
    return _state(intent)


def retrieve_intent(intent_id: str) -> IntentState:
    try:
        return _state(client().v1.payment_intents.retrieve(intent_id))
    except stripe.StripeError as exc:
        raise PaymentGatewayError(str(exc)) from exc


def create_refund(*, intent_id: str, amount: Decimal, idempotency_key: str) -> str:
    """Refund part or all of a card payment; returns the refund id."""
    try:
        refund = client().v1.refunds.create(
            params={"payment_intent": intent_id, "amount": to_fen(amount)},
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise PaymentGatewayError(str(exc)) from exc
    return str(refund.id)


def parse_webhook(payload: bytes, signature: str) -> WebhookEvent:
    """Verify the Stripe-Signature header (secret, 300 s tolerance) and return the event."""
    try:
        event = client().construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    data = json.loads(payload)
    return WebhookEvent(id=event.id, type=event.type, object=data.get("data", {}).get("object", {}))


def register_local_webhook(url: str) -> None:
    """Ask localstripe (development and tests only) to deliver our events to `url`, signed with our secret."""
    api_base = settings.STRIPE_API_BASE
    if not api_base:
        raise PaymentGatewayError("STRIPE_API_BASE is not set: webhooks of real Stripe are configured in its dashboard")
    body = json.dumps({"url": url, "secret": settings.STRIPE_WEBHOOK_SECRET, "events": list(WEBHOOK_EVENTS)}).encode()
    request = urllib.request.Request(  # noqa: S310 - a loopback URL from our own settings
        f"{api_base}/_config/webhooks/marketplace", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass


def stripe_js_url() -> str:
    """Stripe.js must come from Stripe (PCI); localstripe serves its fake under the same path."""
    base = settings.STRIPE_API_BASE
    return f"{base}/js.stripe.com/v3/" if base else "https://js.stripe.com/v3/"


def is_fake() -> bool:
    """True when the API base points at localstripe (development, tests, the demo)."""
    return bool(settings.STRIPE_API_BASE)


def create_test_payment_method(card: dict[str, str]) -> str:
    """localstripe only: create a card PaymentMethod from test card details.

    localstripe's fake Stripe.js leaves `createPaymentMethod` unimplemented and its API accepts only secret
    keys for payment methods, so in development the checkout page's shim asks our server to do this step.
    Real Stripe.js sends card details to Stripe directly; this function refuses to run against real Stripe.
    """
    if not is_fake():
        raise PaymentGatewayError("test payment methods exist only against localstripe")
    params = {"type": "card", "card": {k: card.get(k, "") for k in ("number", "exp_month", "exp_year", "cvc")}}
    try:
        method = client().v1.payment_methods.create(params=params)  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        raise PaymentGatewayError(exc.user_message or str(exc)) from exc
    return str(method.id)
