"""Pages of the order side. Thin: a form parses the input, one service or selector does the work.

Every object is fetched through a permission-scoped selector, so another organization's quote request,
order, report or attachment is a 404 whoever asks.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from catalog.models import Provider, Service
from marketplace.exceptions import TransitionNotAllowed
from marketplace.notifications.models import EmailOptOut
from marketplace.notifications.services import email_preferences_set
from marketplace.organizations.models import Organization

from . import selectors, services
from .forms import (
    BankTransferForm,
    DirectOrderForm,
    FapiaoForm,
    FapiaoIssueForm,
    MessageForm,
    OrderListFilterForm,
    QuoteForm,
    QuoteLineFormSet,
    QuoteRequestFilterForm,
    QuoteRequestForm,
    ReasonForm,
    ReceiveSampleForm,
    RefundForm,
    ReplyForm,
    ReportForm,
    ReviewForm,
    ShippingForm,
    line_inputs,
)
from .models import BankAccount, FapiaoRequest, Order, Quote, QuoteLine, QuoteRequest, Review
from .money import default_vat_rate
from .notifications import EVENT_LABELS, event_label
from .payments.services import card_payments_enabled
from .payments.stripe_client import PaymentGatewayError
from .pdf import render_quote_pdf
from .permissions import Role, member_org_ids, order_roles, roles_of
from .qr import qr_svg

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
REVIEWS_PAGE_SIZE = 10


def _apply_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form's fields (or on the form when the field is unknown)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _buyers(user: Any) -> list[Organization]:
    return list(
        Organization.objects.filter(pk__in=member_org_ids(user), kind=Organization.Kind.ENTERPRISE).order_by("name")
    )


def _public_service(pk: int) -> Service:
    return get_object_or_404(Service.objects.public().select_related("provider", "category"), pk=pk)


def _page(request: HttpRequest, qs: QuerySet[Any], size: int = PAGE_SIZE) -> Any:
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _query_string(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- asking and ordering ------------------------------------------------------------------------------


def _needs_enterprise(request: HttpRequest, service: Service) -> HttpResponse:
    return render(request, "orders/needs_enterprise.html", {"service": service}, status=403)


@login_required
def quote_request_create(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _public_service(service_id)
    buyers = _buyers(request.user)
    if not buyers:
        return _needs_enterprise(request, service)
    form = QuoteRequestForm(request.POST or None, request.FILES or None, buyers=buyers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            quote_request = services.quote_request_create(
                actor=request.user,  # type: ignore[arg-type]
                buyer=data["buyer"],
                service=service,
                quantity=data["quantity"],
                sample_description=data["sample_description"],
                standards=data["standards"],
                desired_date=data["desired_date"],
                attachments=data["attachments"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect(service)
        else:
            messages.success(request, _("Your request was sent to %(provider)s.") % {"provider": service.provider.name})
            return redirect(quote_request)
    return render(request, "orders/quote_request_form.html", {"form": form, "service": service})


@login_required
def order_create(request: HttpRequest, service_id: int) -> HttpResponse:
    service = _public_service(service_id)
    buyers = _buyers(request.user)
    if not buyers:
        return _needs_enterprise(request, service)
    if service.pricing_mode not in services.DIRECT_PRICING:
        return redirect("orders:quote-request-create", service_id=service.pk)
    form = DirectOrderForm(request.POST or None, buyers=buyers)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create_direct(
                actor=request.user,  # type: ignore[arg-type]
                buyer=form.cleaned_data["buyer"],
                service=service,
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect(service)
        else:
            messages.success(request, _("Order %(number)s placed.") % {"number": order.number})
            return redirect(order)
    return render(request, "orders/order_form.html", {"form": form, "service": service, "vat_percent": _vat_percent()})


def _vat_percent() -> Decimal:
    return (default_vat_rate() * 100).normalize()


# --- lists --------------------------------------------------------------------------------------------


def _order_list(request: HttpRequest, orders: QuerySet[Order], side: str) -> HttpResponse:
    form = OrderListFilterForm(request.GET)
    filters = form.filters()
    counts = selectors.status_counts(orders)
    shown = orders
    if filters["status"]:
        shown = shown.filter(status=filters["status"])
    if filters["q"]:
        shown = shown.filter(number__contains=filters["q"])
    page = _page(request, shown)
    return render(
        request,
        "orders/order_list.html",
        {
            "side": side,
            "form": form,
            "page": page,
            "unread": selectors.unread_thread_ids(request.user, [o.thread_id for o in page]),
            "query_string": _query_string(request),
            "status_tabs": [(value, label, counts.get(value, 0)) for value, label in Order.Status.choices],
            "total_count": sum(counts.values()),
            "active_status": filters["status"],
            "searched": filters["q"],
        },
    )


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """My orders: what the user's companies bought."""
    return _order_list(request, selectors.orders_bought_by(request.user), "buyer")


@login_required
def incoming_list(request: HttpRequest) -> HttpResponse:
    """Incoming: orders addressed to the user's centers."""
    return _order_list(request, selectors.orders_incoming_for(request.user), "provider")


def _quote_request_list(request: HttpRequest, requests: QuerySet[QuoteRequest], side: str) -> HttpResponse:
    form = QuoteRequestFilterForm(request.GET)
    status = form.status_value()
    if status:
        requests = requests.filter(status=status)
    page = _page(request, requests)
    return render(
        request,
        "orders/quote_request_list.html",
        {
            "side": side,
            "form": form,
            "page": page,
            "unread": selectors.unread_thread_ids(request.user, [r.thread_id for r in page]),
            "query_string": _query_string(request),
            "statuses": QuoteRequest.Status.choices,
            "active_status": status,
        },
    )


@login_required
def quote_request_list(request: HttpRequest) -> HttpResponse:
    return _quote_request_list(request, selectors.quote_requests_sent_by(request.user), "buyer")


@login_required
def quote_request_incoming(request: HttpRequest) -> HttpResponse:
    return _quote_request_list(request, selectors.quote_requests_incoming_for(request.user), "provider")


# --- quote requests and quotes ------------------------------------------------------------------------


def _quote_request(request: HttpRequest, number: str) -> QuoteRequest:
    return get_object_or_404(selectors.quote_requests_for(request.user), number=number)


def _thread_context(request: HttpRequest, thread: Any, roles: frozenset[Role]) -> dict[str, Any]:
    """The conversation for the two parties; operators see the deal but not the private conversation."""
    if not roles & {Role.BUYER, Role.PROVIDER}:
        return {"thread": None}
    services.thread_mark_read(actor=request.user, thread=thread)  # type: ignore[arg-type]
    return {
        "thread": thread,
        "thread_messages": selectors.thread_messages(thread),
        "message_form": MessageForm(),
    }


@login_required
def quote_request_detail(request: HttpRequest, number: str) -> HttpResponse:
    quote_request = _quote_request(request, number)
    roles = roles_of(
        request.user, buyer_id=quote_request.buyer_id, provider_org_id=quote_request.provider.organization_id
    )
    quotes = quote_request.quotes.prefetch_related(Prefetch("lines", queryset=QuoteLine.objects.order_by("position")))
    order = Order.objects.filter(quote__request=quote_request).first()
    context = {
        "quote_request": quote_request,
        "roles": roles,
        "is_buyer": Role.BUYER in roles,
        "is_provider": Role.PROVIDER in roles,
        "quotes": quotes,
        "order": order,
        "request_attachments": quote_request.thread.attachments.filter(message__isnull=True),
        "timeline": _timeline(selectors.quote_request_timeline(quote_request)),
        "reason_form": ReasonForm(),
        **_thread_context(request, quote_request.thread, roles),
    }
    return render(request, "orders/quote_request_detail.html", context)


@login_required
def quote_create(request: HttpRequest, number: str) -> HttpResponse:
    """The provider writes (or revises) the quote: line items, VAT, validity and terms."""
    quote_request = _quote_request(request, number)
    roles = roles_of(
        request.user, buyer_id=quote_request.buyer_id, provider_org_id=quote_request.provider.organization_id
    )
    if Role.PROVIDER not in roles:
        raise PermissionDenied
    previous = quote_request.quotes.filter(status=Quote.Status.SENT).prefetch_related("lines").first()
    if request.method == "POST":
        form = QuoteForm(request.POST)
        formset = QuoteLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            terms = services.QuoteTerms(
                lines=line_inputs(formset),
                valid_until=data["valid_until"],
                turnaround_days=data["turnaround_days"],
                vat_rate=(data["vat_rate_percent"] / 100).quantize(Decimal("0.0001")),
                terms=data["terms"],
            )
            try:
                quote = services.quote_send(actor=request.user, request_id=quote_request.pk, terms=terms)  # type: ignore[arg-type]
            except ValidationError as exc:
                _apply_errors(form, exc)
            except TransitionNotAllowed as exc:
                messages.error(request, str(exc))
                return redirect(quote_request)
            else:
                messages.success(request, _("Quote version %(v)d sent.") % {"v": quote.version})
                return redirect(quote_request)
    else:
        form, formset = _quote_initial(quote_request, previous)
    return render(
        request,
        "orders/quote_form.html",
        {"form": form, "formset": formset, "quote_request": quote_request, "previous": previous},
    )


def _quote_initial(quote_request: QuoteRequest, previous: Quote | None) -> tuple[QuoteForm, Any]:
    service = quote_request.service
    if previous is not None:
        lines = [
            {"description": ln.description, "quantity": ln.quantity, "unit": ln.unit, "unit_price": ln.unit_price}
            for ln in previous.lines.all()
        ]
        initial = {
            "vat_rate_percent": (previous.vat_rate * 100).normalize(),
            "valid_until": services.quote_default_valid_until(),
            "turnaround_days": previous.turnaround_days,
            "terms": previous.terms,
        }
    else:
        lines = [
            {
                "description": service.title_zh,
                "quantity": quote_request.quantity,
                "unit": "",
                "unit_price": service.price or Decimal("0.00"),
            }
        ]
        initial = {"valid_until": services.quote_default_valid_until(), "turnaround_days": service.turnaround_days}
    return QuoteForm(initial=initial), QuoteLineFormSet(initial=lines, prefix="lines")


@login_required
@require_POST
def quote_request_decline(request: HttpRequest, number: str) -> HttpResponse:
    quote_request = _quote_request(request, number)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.quote_request_decline(actor=request.user, request_id=quote_request.pk, reason=reason)  # type: ignore[arg-type]
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Request %(number)s closed.") % {"number": quote_request.number})
    return redirect(quote_request)


def _quote(request: HttpRequest, pk: int) -> Quote:
    return get_object_or_404(
        Quote.objects.select_related("request", "request__provider", "request__buyer", "request__service").filter(
            request__in=selectors.quote_requests_for(request.user).values("pk")
        ),
        pk=pk,
    )


@login_required
@require_POST
def quote_accept(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(request, pk)
    try:
        order = services.quote_accept(actor=request.user, quote_id=quote.pk)  # type: ignore[arg-type]
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect(quote.request)
    messages.success(request, _("Quote accepted: order %(number)s is waiting for payment.") % {"number": order.number})
    return redirect(order)


@login_required
@require_POST
def quote_decline(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.quote_decline(actor=request.user, quote_id=quote.pk, reason=reason)  # type: ignore[arg-type]
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Quote declined."))
    return redirect(quote.request)


@login_required
def quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(request, pk)
    response = HttpResponse(render_quote_pdf(quote), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{quote.pdf_filename}"'
    return response


# --- orders -------------------------------------------------------------------------------------------


def _order(request: HttpRequest, number: str) -> Order:
    return get_object_or_404(selectors.orders_for(request.user), number=number)


def _timeline(entries: Any) -> list[dict[str, Any]]:
    return [{"entry": e, "label": event_label(e.action)} for e in entries]


def _available_verbs(order: Order, roles: frozenset[Role]) -> set[str]:
    return {
        verb
        for (status, verb), (_target, allowed) in services.ALLOWED_TRANSITIONS.items()
        if status == order.status and roles & allowed
    }


@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    roles = order_roles(request.user, order)
    verbs = _available_verbs(order, roles)
    report = getattr(order, "report", None)
    review = Review.objects.filter(order=order).first()
    fapiao = FapiaoRequest.objects.filter(order=order).first()
    context: dict[str, Any] = {
        "order": order,
        "roles": roles,
        "is_buyer": Role.BUYER in roles,
        "is_provider": Role.PROVIDER in roles,
        "verbs": verbs,
        "lines": order.lines.all(),
        "timeline": _timeline(selectors.order_timeline(order)),
        "report": report,
        "review": review,
        "receive_form": ReceiveSampleForm(),
        "reason_form": ReasonForm(),
        "refund_form": RefundForm(initial={"amount": order.total - order.amount_refunded}),
        "transfer_form": BankTransferForm(initial={"amount": order.total, "received_on": timezone.localdate()}),
        "bookings": order.bookings.select_related("equipment", "equipment__booking_policy"),
        "payments": order.payments.all(),
        "refunds": order.refunds.all(),
        "bank_account": BankAccount.objects.filter(provider=order.provider).first(),
        "card_enabled": card_payments_enabled(),
        "fapiao": fapiao,
        "fapiao_form": FapiaoForm(initial=_fapiao_initial(order, fapiao, request.user))
        if Role.BUYER in roles
        else None,
        "fapiao_issue_form": FapiaoIssueForm() if Role.PROVIDER in roles else None,
        "shipping_form": ShippingForm(
            initial={"shipping_method": order.shipping_method, "tracking_number": order.tracking_number}
        ),
        "report_form": ReportForm(),
        "review_form": ReviewForm() if Role.BUYER in roles and order.status == Order.Status.COMPLETED else None,
        "reply_form": ReplyForm() if review is not None and not review.reply and Role.PROVIDER in roles else None,
        "can_edit_shipping": Role.BUYER in roles and order.status in (Order.Status.PENDING_PAYMENT, Order.Status.PAID),
        **_thread_context(request, order.thread, roles),
    }
    code = report.verification_code if report is not None else order.verification_code
    if code and (report is not None or Role.PROVIDER in roles):
        verify_url = request.build_absolute_uri(reverse("verify:code", kwargs={"code": code}))
        context.update(verify_code=code, verify_url=verify_url, verify_qr=qr_svg(verify_url))
    return render(request, "orders/order_detail.html", context)


def _fapiao_initial(order: Order, fapiao: FapiaoRequest | None, user: Any) -> dict[str, Any]:
    if fapiao is not None:
        return {
            f: getattr(fapiao, f) for f in ("kind", "title", "taxpayer_id", "address_phone", "bank_account", "email")
        }
    return {"title": order.buyer.name, "taxpayer_id": order.buyer.uscc, "email": user.email}


def run_service(request: HttpRequest, order: Order, action: Any, success: str) -> HttpResponse:
    """Run one service call for a POST and go back to the order page, with its refusal or success as a message.

    Every POST about an order (here, in payments/views.py and booking_views.py) ends through this function.
    """
    try:
        action()
    except (TransitionNotAllowed, ValidationError) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    except PermissionDenied:
        messages.error(request, _("You cannot do this for order %(number)s.") % {"number": order.number})
    except PaymentGatewayError:
        logger.exception("order %s: payment gateway error", order.number)
        messages.error(request, _("The payment service did not answer; nothing was changed. Try again later."))
    else:
        messages.success(request, success)
    return redirect(order)


@login_required
@require_POST
def order_transition(request: HttpRequest, number: str, verb: str) -> HttpResponse:
    """One endpoint per verb of the transition table; each calls exactly one `order_<verb>` service."""
    order = _order(request, number)
    user: Any = request.user
    pk = order.pk
    # Payment and refunds have forms of their own (orders/payments/views.py): they move money, not just state.
    calls: dict[str, Any] = {
        "start_work": lambda: services.order_start_work(order_id=pk, actor=user),
        "complete": lambda: services.order_complete(order_id=pk, actor=user),
    }
    if verb == "receive_sample":
        form: Form = ReceiveSampleForm(request.POST)
        condition = form.cleaned_data["condition"] if form.is_valid() else ""
        calls[verb] = lambda: services.order_receive_sample(order_id=pk, actor=user, condition=condition)
    elif verb == "cancel":
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        calls[verb] = lambda: services.order_cancel(order_id=pk, actor=user, reason=reason)
    if verb not in calls:
        raise Http404
    return run_service(request, order, calls[verb], _("Order %(number)s updated.") % {"number": order.number})


@login_required
@require_POST
def order_shipping(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = ShippingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the sample will travel."))
        return redirect(order)
    return run_service(
        request,
        order,
        lambda: services.order_update_shipping(
            order_id=order.pk,
            actor=request.user,  # type: ignore[arg-type]
            shipping_method=form.cleaned_data["shipping_method"],
            tracking_number=form.cleaned_data["tracking_number"],
        ),
        _("Shipping details saved."),
    )


@login_required
@require_POST
def order_issue_report(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Enter the report number and choose the PDF file."))
        return redirect(order)
    return run_service(
        request,
        order,
        lambda: services.order_issue_report(
            order_id=order.pk,
            actor=request.user,  # type: ignore[arg-type]
            upload=form.cleaned_data["file"],
            report_number=form.cleaned_data["report_number"],
        ),
        _("Report issued. The buyer can download it now."),
    )


@login_required
def report_download(request: HttpRequest, number: str) -> FileResponse:
    report = get_object_or_404(selectors.reports_for(request.user), order__number=number)
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.original_name)


@login_required
@require_POST
def review_create(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose between 1 and 5 stars."))
        return redirect(order)
    return run_service(
        request,
        order,
        lambda: services.review_create(
            order_id=order.pk,
            actor=request.user,  # type: ignore[arg-type]
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        ),
        _("Thank you for your review."),
    )


@login_required
@require_POST
def review_reply(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        Review.objects.filter(order__in=selectors.orders_for(request.user).values("pk")).select_related("order"), pk=pk
    )
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reply."))
        return redirect(review.order)
    return run_service(
        request,
        review.order,
        lambda: services.review_reply(actor=request.user, review_id=review.pk, reply=form.cleaned_data["reply"]),  # type: ignore[arg-type]
        _("Reply posted."),
    )


# --- messages and files -------------------------------------------------------------------------------


@login_required
@require_POST
def message_send(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(selectors.threads_for(request.user), pk=pk)
    back = thread.orders.order_by("-pk").first() or QuoteRequest.objects.get(thread=thread)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        services.message_send(
            actor=request.user,  # type: ignore[arg-type]
            thread_id=thread.pk,
            body=form.cleaned_data["body"],
            attachments=form.cleaned_data["attachments"],
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Message sent."))
    return redirect(f"{back.get_absolute_url()}#messages")


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(selectors.attachments_for(request.user), pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# --- public reviews -----------------------------------------------------------------------------------


def service_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.public(), pk=pk)
    page = _page(request, selectors.reviews_of_service(service), REVIEWS_PAGE_SIZE)
    context = {"page": page, "subject": service, "kind": "service", "reviews_url": request.path}
    return render(request, "orders/_reviews.html", context)


def provider_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(Provider.objects.filter(verification=Provider.Verification.VERIFIED), pk=pk)
    page = _page(request, selectors.reviews_of_provider(provider), REVIEWS_PAGE_SIZE)
    context = {"page": page, "subject": provider, "kind": "provider", "reviews_url": request.path}
    return render(request, "orders/_reviews.html", context)


class EmailPreferencesForm(Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of e-mails"), choices=settings.LANGUAGES)
    wanted = forms.MultipleChoiceField(
        label=gettext_lazy("E-mail me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(action, label) for action, label in EVENT_LABELS.items()],
    )


@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    """Which kinds of events a user wants e-mails about (the in-app list always shows them), and in which language."""
    user: Any = request.user
    opted_out = set(EmailOptOut.objects.filter(user=user).values_list("action", flat=True))
    initial = {"language": user.language, "wanted": [a for a in EVENT_LABELS if a not in opted_out]}
    form = EmailPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        email_preferences_set(
            user=user,
            language=form.cleaned_data["language"],
            disabled_actions=set(EVENT_LABELS) - set(form.cleaned_data["wanted"]),
            known_actions=EVENT_LABELS,
        )
        messages.success(request, _("Preferences saved."))
        return redirect("orders:email-preferences")
    return render(request, "orders/email_preferences.html", {"form": form})
