"""Checkout, the Stripe webhook, bank transfers, refunds and fapiao. Thin: one service per action."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from catalog.selectors import providers_managed_by
from marketplace.exceptions import TransitionNotAllowed
from marketplace.money import format_yuan
from orders import selectors
from orders.forms import (
    BankAccountForm,
    BankTransferForm,
    CardPaymentForm,
    FapiaoForm,
    FapiaoIssueForm,
    RefundForm,
    TestCardForm,
)
from orders.models import BankAccount, FapiaoRequest, Order
from orders.permissions import Role, order_roles
from orders.views import run_service

from . import services, stripe_client

logger = logging.getLogger(__name__)


def _order(request: HttpRequest, number: str) -> Order:
    return get_object_or_404(selectors.orders_for(request.user), number=number)


@login_required
def checkout(request: HttpRequest, number: str) -> HttpResponse:
    """The card form: Stripe.js's Card Element creates a PaymentMethod, our server creates and confirms the intent."""
    order = _order(request, number)
    if Role.BUYER not in order_roles(request.user, order):
        raise Http404
    if order.status != Order.Status.PENDING_PAYMENT:
        return redirect(order)
    context = {
        "order": order,
        "card_enabled": services.card_payments_enabled(),
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "stripe_js_url": stripe_client.stripe_js_url(),
        "stripe_is_fake": stripe_client.is_fake(),
        "attempt": services.new_attempt_key(),
        "bank_account": BankAccount.objects.filter(provider=order.provider).first(),
    }
    return render(request, "orders/checkout.html", context)


@login_required
@require_POST
def card_submit(request: HttpRequest, number: str) -> JsonResponse:
    """JSON for the checkout script: `requires_action` with the client secret, `failed` with the card's message,
    or `processing` with the page to wait on; always a fresh attempt token for a retry."""
    order = _order(request, number)
    form = CardPaymentForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"status": "invalid", "message": _("The card details could not be read.")}, status=400)
    try:
        result = services.payment_start_card(
            actor=request.user,  # type: ignore[arg-type]
            order_id=order.pk,
            payment_method_id=form.cleaned_data["payment_method"],
            attempt_key=form.cleaned_data["attempt"],
        )
    except PermissionDenied:
        raise Http404 from None
    except TransitionNotAllowed as exc:
        return JsonResponse({"status": "refused", "message": str(exc), "next": order.get_absolute_url()}, status=409)
    except stripe_client.PaymentGatewayError:
        logger.exception("card payment for %s: gateway error", order.number)
        message = _("The payment service did not answer. Nothing was charged; please try again in a minute.")
        return JsonResponse({"status": "error", "message": message}, status=502)
    body: dict[str, Any] = {"status": result.status, "message": result.message}
    if result.status == "requires_action":
        body["client_secret"] = result.client_secret
    body["attempt"] = services.new_attempt_key()  # should the buyer retry, that is a new attempt
    body["next"] = reverse("orders:payment-return", args=[order.number])
    return JsonResponse(body)


@login_required
def payment_return(request: HttpRequest, number: str) -> HttpResponse:
    """Where the buyer waits: "processing" until Stripe's webhook marks the order paid. Polls with htmx."""
    order = _order(request, number)
    template = "orders/_payment_status.html" if request.headers.get("HX-Request") else "orders/payment_return.html"
    return render(request, template, {"order": order, "payments": order.payments.all()[:5]})


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events. Bad or stale signature: 400, nothing changes. Unknown intent: 404, so Stripe retries."""
    try:
        event = stripe_client.parse_webhook(request.body, request.headers.get("Stripe-Signature", ""))
    except stripe_client.InvalidWebhook:
        return HttpResponse("invalid signature", status=400)
    try:
        services.webhook_handle(event)
    except services.UnknownIntent:
        return HttpResponse("unknown payment intent", status=404)
    return HttpResponse("ok")


@require_POST
def local_payment_method(request: HttpRequest) -> JsonResponse:
    """localstripe only (404 otherwise): the dev shim's stand-in for Stripe.js's createPaymentMethod."""
    if not stripe_client.is_fake() or not request.user.is_authenticated:
        raise Http404
    form = TestCardForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": {"message": _("Check the card number, expiry and CVC.")}}, status=400)
    try:
        pm = stripe_client.create_test_payment_method({k: str(v) for k, v in form.cleaned_data.items()})
    except stripe_client.PaymentGatewayError as exc:
        return JsonResponse({"error": {"message": str(exc)}}, status=400)
    return JsonResponse({"paymentMethod": {"id": pm}})


@login_required
@require_POST
def confirm_transfer(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = BankTransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the amount, the date and the bank reference of the transfer."))
        return redirect(order)
    data = form.cleaned_data
    return run_service(
        request,
        order,
        lambda: services.payment_confirm_bank_transfer(
            actor=request.user,  # type: ignore[arg-type]
            order_id=order.pk,
            amount=data["amount"],
            received_on=data["received_on"],
            reference=data["reference"],
        ),
        _("Payment confirmed: order %(number)s is paid.") % {"number": order.number},
    )


@login_required
@require_POST
def refund(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the amount to refund."))
        return redirect(order)
    return run_service(
        request,
        order,
        lambda: services.refund_issue(
            actor=request.user,  # type: ignore[arg-type]
            order_id=order.pk,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
        ),
        _("Refund of %(amount)s recorded.") % {"amount": format_yuan(form.cleaned_data["amount"])},
    )


@login_required
@require_POST
def fapiao_request(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = FapiaoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(order)
    return run_service(
        request,
        order,
        lambda: services.fapiao_request(actor=request.user, order_id=order.pk, data=form.cleaned_data),  # type: ignore[arg-type]
        _("Invoice details saved; the provider will issue the fapiao."),
    )


@login_required
@require_POST
def fapiao_issue(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = FapiaoIssueForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the invoice PDF."))
        return redirect(order)
    return run_service(
        request,
        order,
        lambda: services.fapiao_issue(actor=request.user, order_id=order.pk, upload=form.cleaned_data["file"]),  # type: ignore[arg-type]
        _("Invoice issued."),
    )


@login_required
def fapiao_download(request: HttpRequest, number: str) -> FileResponse:
    order = _order(request, number)
    fapiao = get_object_or_404(FapiaoRequest.objects.exclude(file=""), order=order)
    return FileResponse(fapiao.file.open("rb"), as_attachment=True, filename=f"fapiao-{order.number}.pdf")


@login_required
def bank_account_edit(request: HttpRequest) -> HttpResponse:
    """Members of a provider set the account buyers transfer to (the first provider they belong to)."""
    provider = providers_managed_by(request.user).first()
    if provider is None:
        raise Http404
    account = BankAccount.objects.filter(provider=provider).first()
    initial = {f: getattr(account, f) for f in ("account_name", "bank_name", "account_number")} if account else None
    form = BankAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_account_save(actor=request.user, provider=provider, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(request, _("Bank account saved."))
            return redirect("orders:bank-account")
    return render(request, "orders/bank_account_form.html", {"form": form, "provider": provider})
