"""Every write on the demand side: quote requests, quotes, orders, reports, messages and reviews.

Each order transition is one function `order_<verb>()` that locks the row, checks the actor's side of
the deal and `ALLOWED_TRANSITIONS`, saves with `update_fields`, writes an audit entry in the same
transaction and schedules the notification after commit. A refused change raises
`TransitionNotAllowed` (or `PermissionDenied` for someone outside the deal) and writes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Provider, Service
from catalog.rules import normalize_standards
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import log_action
from marketplace.broker import delay_or_log
from marketplace.exceptions import TransitionNotAllowed
from marketplace.notifications.services import outbox_add
from marketplace.organizations.models import Organization
from marketplace.storage import sha256_of

from . import tasks
from .files import MAX_FILES_PER_UPLOAD, check_upload, safe_name
from .models import (
    Attachment,
    Booking,
    Message,
    Order,
    OrderLine,
    Quote,
    QuoteLine,
    QuoteRequest,
    Report,
    Review,
    Thread,
    ThreadReadMark,
)
from .money import LineInput, default_vat_rate, round_fen, totals_for
from .permissions import Role, member_org_ids, order_roles, roles_of

if TYPE_CHECKING:
    from marketplace.accounts.models import User

S = Order.Status


BUYER = frozenset({Role.BUYER})
PROVIDER = frozenset({Role.PROVIDER})

# (current status, verb) -> (next status, roles that may do it). Everything not listed is refused.
ALLOWED_TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[Role]]] = {
    (S.PENDING_PAYMENT, "mark_paid"): (S.PAID, frozenset({Role.PROVIDER, Role.SYSTEM})),
    (S.PAID, "receive_sample"): (S.SAMPLE_RECEIVED, PROVIDER),
    (S.SAMPLE_RECEIVED, "start_work"): (S.IN_PROGRESS, PROVIDER),
    (S.IN_PROGRESS, "issue_report"): (S.REPORT_ISSUED, PROVIDER),
    (S.REPORT_ISSUED, "complete"): (S.COMPLETED, frozenset({Role.BUYER, Role.SYSTEM})),
    # Before work starts an order can be cancelled: by either side while unpaid, by the provider after that
    # (a paid order that is cancelled is then refunded).
    # The system cancels too: an expired booking hold, a booking cancelled within the provider's policy.
    (S.PENDING_PAYMENT, "cancel"): (S.CANCELLED, frozenset({Role.BUYER, Role.PROVIDER, Role.SYSTEM})),
    (S.PAID, "cancel"): (S.CANCELLED, frozenset({Role.PROVIDER, Role.SYSTEM})),
    (S.SAMPLE_RECEIVED, "cancel"): (S.CANCELLED, PROVIDER),
    (S.PAID, "refund"): (S.REFUNDED, frozenset({Role.PROVIDER, Role.OPERATOR, Role.SYSTEM})),
    (S.SAMPLE_RECEIVED, "refund"): (S.REFUNDED, frozenset({Role.PROVIDER, Role.OPERATOR, Role.SYSTEM})),
    (S.IN_PROGRESS, "refund"): (S.REFUNDED, frozenset({Role.PROVIDER, Role.OPERATOR, Role.SYSTEM})),
    (S.REPORT_ISSUED, "refund"): (S.REFUNDED, frozenset({Role.PROVIDER, Role.OPERATOR, Role.SYSTEM})),
    (S.COMPLETED, "refund"): (S.REFUNDED, frozenset({Role.PROVIDER, Role.OPERATOR, Role.SYSTEM})),
    (S.CANCELLED, "refund"): (S.REFUNDED, frozenset({Role.PROVIDER, Role.OPERATOR, Role.SYSTEM})),
}
VERBS: tuple[str, ...] = tuple(dict.fromkeys(verb for _state, verb in ALLOWED_TRANSITIONS))
VERB_LABELS: dict[str, Any] = {
    "mark_paid": gettext_lazy("marked as paid"),
    "receive_sample": gettext_lazy("marked as sample received"),
    "start_work": gettext_lazy("started"),
    "issue_report": gettext_lazy("given a report"),
    "complete": gettext_lazy("completed"),
    "cancel": gettext_lazy("cancelled"),
    "refund": gettext_lazy("refunded"),
}


# --- roles and numbering ------------------------------------------------------------------------------


def _assign_number(obj: QuoteRequest | Order, prefix: str) -> None:
    """Human-readable, unique numbers such as SO-20261123-000123 (date in China time, then the row id)."""
    obj.number = f"{prefix}-{timezone.localdate():%Y%m%d}-{obj.pk:06d}"
    obj.save(update_fields=["number"])


def notify_after_commit(entry: AuditEntry) -> None:
    """E-mail the other side about an audited event once the transaction that wrote it commits.

    The outbox row is written in that transaction; the nudge after the commit queues the task at once. If
    the broker is down the nudge only logs it (the request still succeeds) and `relay_outbox` queues it later.
    """
    outbox_add(entry=entry)
    entry_id = entry.pk
    transaction.on_commit(lambda: delay_or_log(tasks.notify_event, entry_id))


def _log(actor: Any, obj: models.Model, action: str, data: dict[str, Any] | None = None, notify: bool = True) -> None:
    entry = log_action(actor=actor, obj=obj, action=action, data=data)
    if notify:
        notify_after_commit(entry)


# --- order transitions --------------------------------------------------------------------------------


def _lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("provider").get(pk=order_id)


def _transition(order: Order, verb: str, actor: Any) -> frozenset[Role]:
    """Check the table and the actor's side, then set the next status. Raises without changing anything."""
    roles = order_roles(actor, order)
    if not roles:
        raise PermissionDenied
    rule = ALLOWED_TRANSITIONS.get((order.status, verb))
    if rule is None:
        raise TransitionNotAllowed(
            _("Order %(number)s is “%(status)s”: it cannot be %(action)s now.")
            % {"number": order.number, "status": order.get_status_display(), "action": VERB_LABELS[verb]}
        )
    target, allowed = rule
    if not roles & allowed:
        who = _("the provider") if allowed <= {Role.PROVIDER, Role.OPERATOR, Role.SYSTEM} else _("the buyer")
        raise TransitionNotAllowed(
            _("Only %(who)s can do this: order %(number)s was not %(action)s.")
            % {"who": who, "number": order.number, "action": VERB_LABELS[verb]}
        )
    order.status = target
    return roles


@transaction.atomic
def order_mark_paid(*, order_id: int, actor: User | None, reference: str = "") -> Order:
    """Record payment: the provider confirms a bank transfer arrived, or the payment webhook (actor None)."""
    order = _lock_order(order_id)
    _transition(order, "mark_paid", actor)
    order.paid_at = timezone.now()
    order.save(update_fields=["status", "paid_at", "updated_at"])
    # Held, or kept with a bank-transfer reference: paid time is confirmed and never expires.
    Booking.objects.filter(order=order, status__in=[Booking.Status.HELD, Booking.Status.CONFIRMED]).update(
        status=Booking.Status.CONFIRMED, hold_expires_at=None, updated_at=order.paid_at
    )
    _log(actor, order, "order.paid", {"reference": reference[:100]})
    return order


@transaction.atomic
def order_receive_sample(*, order_id: int, actor: User, condition: str = "") -> Order:
    """The provider confirms the sample arrived and notes its condition on arrival."""
    order = _lock_order(order_id)
    _transition(order, "receive_sample", actor)
    order.sample_received_at = timezone.now()
    order.sample_condition = condition.strip()[:500]
    order.save(update_fields=["status", "sample_received_at", "sample_condition", "updated_at"])
    _log(actor, order, "order.sample_received", {"condition": order.sample_condition})
    return order


@transaction.atomic
def order_start_work(*, order_id: int, actor: User) -> Order:
    """The provider starts testing; from now on the order can no longer be cancelled, only refunded.

    The report's verification code is reserved now, so it can be printed on the report before it is uploaded.
    """
    order = _lock_order(order_id)
    _transition(order, "start_work", actor)
    order.verification_code = new_verification_code()
    order.save(update_fields=["status", "verification_code", "updated_at"])
    _log(actor, order, "order.started")
    return order


def new_verification_code() -> str:
    """Ten characters without look-alikes (0/O, 1/I/L), easy to read off a printed report."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


@transaction.atomic
def order_issue_report(*, order_id: int, actor: User, upload: UploadedFile, report_number: str) -> Report:
    """Store the signed report (PDF) privately with its fingerprint and move the order to `report_issued`."""
    order = _lock_order(order_id)
    _transition(order, "issue_report", actor)
    report_number = report_number.strip()
    if not report_number:
        raise ValidationError({"report_number": _("Enter the report number printed on the report.")})
    try:
        check_upload(upload, allowed=frozenset({"pdf"}))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if Report.objects.filter(provider=order.provider, report_number=report_number).exists():
        raise ValidationError({"report_number": _("Another report already has this number.")})
    report = Report(
        order=order,
        provider=order.provider,
        report_number=report_number[:60],
        original_name=safe_name(upload.name or "report.pdf"),
        size=upload.size or 0,
        sha256=sha256_of(upload),
        verification_code=order.verification_code or new_verification_code(),
        uploaded_by=actor,
    )
    report.file.save(report.original_name, upload, save=False)
    try:
        report.save()
    except Exception:
        report.file.delete(save=False)  # the transaction rolls back: leave no orphan file behind
        raise
    order.report_issued_at = report.issued_at
    order.save(update_fields=["status", "report_issued_at", "updated_at"])
    _log(actor, order, "order.report_issued", {"report_number": report.report_number, "sha256": report.sha256})
    return report


@transaction.atomic
def order_complete(*, order_id: int, actor: User | None) -> Order:
    """The buyer accepts the report; the order is done and can be reviewed."""
    order = _lock_order(order_id)
    _transition(order, "complete", actor)
    order.completed_at = timezone.now()
    order.save(update_fields=["status", "completed_at", "updated_at"])
    _log(actor, order, "order.completed")
    return order


@transaction.atomic
def order_cancel(*, order_id: int, actor: User | None, reason: str = "") -> Order:
    """Cancel before work starts: either side while unpaid, the provider after payment; frees booked time."""
    order = _lock_order(order_id)
    _transition(order, "cancel", actor)
    order.cancelled_at = timezone.now()
    order.cancel_reason = reason.strip()[:500]
    order.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    Booking.objects.filter(order=order, status__in=Booking.ACTIVE).update(
        status=Booking.Status.CANCELLED, updated_at=order.cancelled_at
    )
    _log(actor, order, "order.cancelled", {"reason": order.cancel_reason})
    return order


@transaction.atomic
def order_refund(*, order_id: int, actor: User | None, amount: Decimal, reason: str = "") -> Order:
    """Record a refund of a paid order (paid back offline, or through the payment provider; actor None).

    A partial refund (goodwill, a cancelled part) is recorded and the order carries on; the refund that
    brings the refunded amount up to the total moves the order to `refunded`.
    """
    order = _lock_order(order_id)
    status = order.status
    _transition(order, "refund", actor)  # first, so that an outsider learns nothing about the order
    if order.paid_at is None:  # e.g. cancelled while awaiting payment
        raise TransitionNotAllowed(_("Nothing was paid for order %(number)s.") % {"number": order.number})
    refundable = order.total - order.amount_refunded
    if amount <= 0 or amount > refundable or round_fen(amount) != amount:
        raise ValidationError({"amount": _("Enter an amount between 0.01 and %(max)s.") % {"max": refundable}})
    order.amount_refunded = order.amount_refunded + amount
    full = order.amount_refunded == order.total
    if not full:
        order.status = status
    order.save(update_fields=["status", "amount_refunded", "updated_at"])
    _log(
        actor,
        order,
        "order.refunded" if full else "order.partially_refunded",
        {"amount": str(amount), "reason": reason.strip()[:500]},
    )
    return order


@transaction.atomic
def order_update_shipping(*, order_id: int, actor: User, shipping_method: str, tracking_number: str = "") -> Order:
    """The buyer tells the provider how the sample travels. Not a status change; allowed until it arrives."""
    order = _lock_order(order_id)
    if Role.BUYER not in order_roles(actor, order):
        raise PermissionDenied
    if order.status not in (S.PENDING_PAYMENT, S.PAID):
        raise TransitionNotAllowed(_("The sample has already arrived; shipping details can no longer change."))
    if shipping_method not in Order.Shipping.values:
        raise ValidationError({"shipping_method": _("Choose how the sample will travel.")})
    order.shipping_method = shipping_method
    order.tracking_number = tracking_number.strip()[:60]
    order.save(update_fields=["shipping_method", "tracking_number", "updated_at"])
    _log(actor, order, "order.shipping_updated", {"method": shipping_method, "tracking": order.tracking_number})
    return order


# --- creating orders ----------------------------------------------------------------------------------


def _buyer_org(actor: Any, buyer: Organization) -> Organization:
    if buyer.pk not in member_org_ids(actor):
        raise PermissionDenied
    if buyer.kind != Organization.Kind.ENTERPRISE:
        raise ValidationError(_("Only enterprise accounts can order services."))
    return buyer


def _orderable(service: Service) -> Service:
    service = Service.objects.select_related("provider").get(pk=service.pk)
    if not service.is_public:
        raise TransitionNotAllowed(_("This service is not available at the moment."))
    return service


def _new_thread(buyer: Organization, provider: Provider) -> Thread:
    return Thread.objects.create(buyer=buyer, provider=provider)


def _create_order(
    *,
    actor: User,
    buyer: Organization,
    service: Service,
    thread: Thread,
    lines: Sequence[LineInput],
    vat_rate: Decimal,
    quote: Quote | None = None,
    note: str = "",
) -> Order:
    totals = totals_for(lines, vat_rate)
    order = Order.objects.create(
        buyer=buyer,
        provider=service.provider,
        service=service,
        quote=quote,
        thread=thread,
        created_by=actor,
        subtotal=totals.subtotal,
        vat_rate=totals.vat_rate,
        vat_amount=totals.vat_amount,
        total=totals.total,
        buyer_note=note.strip()[:2000],
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            position=i,
            service=service if quote is None else None,
            description=line.description[:300],
            quantity=line.quantity,
            unit=line.unit[:30],
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for i, line in enumerate(lines, start=1)
    )
    _assign_number(order, "SO")
    _log(actor, order, "order.created", {"total": str(order.total), "quote": quote.pk if quote else None})
    return order


DIRECT_PRICING = frozenset({Service.PricingMode.FIXED, Service.PricingMode.PER_UNIT})
MAX_DIRECT_QUANTITY = 10000


@transaction.atomic
def order_create_direct(*, actor: User, buyer: Organization, service: Service, quantity: int, note: str = "") -> Order:
    """Order a fixed-price or per-unit service at its list price (quantity × price), without a quote."""
    _buyer_org(actor, buyer)
    service = _orderable(service)
    if service.pricing_mode not in DIRECT_PRICING or service.price is None:
        raise TransitionNotAllowed(_("This service is priced on quotation: request a quote instead."))
    if not 1 <= quantity <= MAX_DIRECT_QUANTITY:
        raise ValidationError({"quantity": _("Enter a quantity between 1 and %(max)d.") % {"max": MAX_DIRECT_QUANTITY}})
    line = LineInput(
        description=service.title_zh if not service.title_en else f"{service.title_zh} / {service.title_en}",
        quantity=Decimal(quantity),
        unit_price=service.price,
        unit=service.price_unit,
    )
    return _create_order(
        actor=actor,
        buyer=buyer,
        service=service,
        thread=_new_thread(buyer, service.provider),
        lines=[line],
        vat_rate=default_vat_rate(),
        note=note,
    )


# --- quote requests and quotes ------------------------------------------------------------------------


def _save_attachments(
    thread: Thread, uploads: Sequence[UploadedFile], actor: User, message: Message | None = None
) -> None:
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise ValidationError({"attachments": _("Attach at most %(n)d files.") % {"n": MAX_FILES_PER_UPLOAD}})
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from exc
    for upload, content_type in checked:
        attachment = Attachment(
            thread=thread,
            message=message,
            original_name=safe_name(upload.name or "file"),
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        attachment.file.save(attachment.original_name, upload, save=False)
        attachment.save()


@transaction.atomic
def quote_request_create(
    *,
    actor: User,
    buyer: Organization,
    service: Service,
    quantity: int,
    sample_description: str,
    standards: Sequence[str] | str | None = None,
    desired_date: date | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> QuoteRequest:
    """An SME asks the provider of one service for a quote; the provider is notified."""
    _buyer_org(actor, buyer)
    service = _orderable(service)
    errors: dict[str, str] = {}
    if not 1 <= quantity <= 100000:
        errors["quantity"] = _("Enter a quantity between 1 and 100000.")
    if not sample_description.strip():
        errors["sample_description"] = _("Describe the samples and what should be tested.")
    if desired_date is not None and desired_date < timezone.localdate():
        errors["desired_date"] = _("The desired date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    thread = _new_thread(buyer, service.provider)
    request = QuoteRequest.objects.create(
        service=service,
        provider=service.provider,
        buyer=buyer,
        created_by=actor,
        thread=thread,
        quantity=quantity,
        sample_description=sample_description.strip()[:5000],
        standards=normalize_standards(standards),
        desired_date=desired_date,
    )
    _save_attachments(thread, attachments, actor)
    _assign_number(request, "QR")
    _log(actor, request, "quote_request.submitted", {"service": service.pk, "quantity": quantity})
    return request


def _lock_request(request_id: int) -> QuoteRequest:
    return QuoteRequest.objects.select_for_update(of=("self",)).select_related("provider", "service").get(pk=request_id)


def _request_roles(actor: Any, request: QuoteRequest) -> frozenset[Role]:
    roles = roles_of(actor, buyer_id=request.buyer_id, provider_org_id=request.provider.organization_id)
    if not roles:
        raise PermissionDenied
    return roles


@dataclass(frozen=True)
class QuoteTerms:
    lines: Sequence[LineInput]
    valid_until: date
    turnaround_days: int
    vat_rate: Decimal
    terms: str = ""


def _validate_terms(terms: QuoteTerms) -> None:
    errors: dict[str, str] = {}
    if not terms.lines:
        errors["lines"] = _("Add at least one line item.")
    elif any(line.quantity <= 0 or line.unit_price < 0 or not line.description.strip() for line in terms.lines):
        errors["lines"] = _("Every line needs a description, a positive quantity and a price of 0 or more.")
    elif any(round_fen(x) != x for line in terms.lines for x in (line.quantity, line.unit_price)):
        # Lines are stored with two decimals and an accepted quote's order is priced from the stored lines:
        # a third decimal would make the order's total differ from the quote's.
        errors["lines"] = _("Quantities and prices can have at most two decimals.")
    if terms.valid_until < timezone.localdate():
        errors["valid_until"] = _("The validity date cannot be in the past.")
    if not Decimal("0") <= terms.vat_rate <= Decimal("1"):
        errors["vat_rate"] = _("Enter a VAT rate between 0 and 100 %.")
    elif terms.vat_rate.quantize(Decimal("0.0001")) != terms.vat_rate:  # stored with four decimals (see above)
        errors["vat_rate"] = _("Enter the VAT rate in per cent with at most two decimals, such as 6 % or 6.5 %.")
    if not 1 <= terms.turnaround_days <= 365:
        errors["turnaround_days"] = _("Enter between 1 and 365 working days.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def quote_send(*, actor: User, request_id: int, terms: QuoteTerms) -> Quote:
    """The provider answers a request with a quote, or revises its open quote (the new version supersedes it)."""
    request = _lock_request(request_id)
    if Role.PROVIDER not in _request_roles(actor, request):
        raise TransitionNotAllowed(_("Only the provider can send a quote."))
    if request.status not in (QuoteRequest.Status.SUBMITTED, QuoteRequest.Status.QUOTED):
        raise TransitionNotAllowed(
            _("Request %(number)s is “%(status)s”: it can no longer be quoted.")
            % {"number": request.number, "status": request.get_status_display()}
        )
    _validate_terms(terms)
    previous = request.quotes.filter(status=Quote.Status.SENT).first()
    if previous is not None:
        previous.status = Quote.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    version = (request.quotes.aggregate(v=models.Max("version"))["v"] or 0) + 1
    totals = totals_for(terms.lines, terms.vat_rate)
    quote = Quote.objects.create(
        request=request,
        version=version,
        subtotal=totals.subtotal,
        vat_rate=totals.vat_rate,
        vat_amount=totals.vat_amount,
        total=totals.total,
        valid_until=terms.valid_until,
        turnaround_days=terms.turnaround_days,
        terms=terms.terms.strip()[:5000],
        created_by=actor,
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=quote,
            position=i,
            description=line.description.strip()[:300],
            quantity=line.quantity,
            unit=line.unit.strip()[:30],
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for i, line in enumerate(terms.lines, start=1)
    )
    request.status = QuoteRequest.Status.QUOTED
    request.save(update_fields=["status", "updated_at"])
    action = "quote.revised" if previous is not None else "quote.sent"
    _log(actor, request, action, {"version": version, "total": str(quote.total)})
    return quote


def _expire_if_due(quote: Quote, request: QuoteRequest) -> bool:
    if quote.status == Quote.Status.SENT and quote.valid_until < timezone.localdate():
        quote.status = Quote.Status.EXPIRED
        quote.save(update_fields=["status"])
        request.status = QuoteRequest.Status.EXPIRED
        request.save(update_fields=["status", "updated_at"])
        _log(None, request, "quote.expired", {"version": quote.version})
        return True
    return False


def _open_quote(actor: Any, quote_id: int) -> tuple[Quote, QuoteRequest]:
    request_id = Quote.objects.values_list("request_id", flat=True).get(pk=quote_id)
    request = _lock_request(request_id)  # the request row serialises concurrent accepts and declines
    if Role.BUYER not in _request_roles(actor, request):
        raise TransitionNotAllowed(_("Only the enterprise that asked for the quote can answer it."))
    quote = Quote.objects.get(pk=quote_id)
    if quote.status != Quote.Status.SENT:
        raise TransitionNotAllowed(
            _("Version %(version)d of this quote is “%(status)s”: it can no longer be answered.")
            % {"version": quote.version, "status": quote.get_status_display()}
        )
    return quote, request


def quote_accept(*, actor: User, quote_id: int, note: str = "") -> Order:
    """The buyer accepts the open quote: one order is created at the quoted price, awaiting payment."""
    expired = False
    with transaction.atomic():
        quote, request = _open_quote(actor, quote_id)
        expired = _expire_if_due(quote, request)
        if not expired:
            quote.status = Quote.Status.ACCEPTED
            quote.save(update_fields=["status"])
            request.status = QuoteRequest.Status.ACCEPTED
            request.save(update_fields=["status", "updated_at"])
            _log(actor, request, "quote.accepted", {"version": quote.version})
            lines = [
                LineInput(description=q.description, quantity=q.quantity, unit_price=q.unit_price, unit=q.unit)
                for q in quote.lines.all()
            ]
            try:
                with transaction.atomic():
                    return _create_order(
                        actor=actor,
                        buyer=request.buyer,
                        service=request.service,
                        thread=request.thread,
                        lines=lines,
                        vat_rate=quote.vat_rate,
                        quote=quote,
                        note=note,
                    )
            except IntegrityError as exc:  # Order.quote is unique: a second order for one quote cannot exist
                raise TransitionNotAllowed(_("This quote has already been accepted.")) from exc
    # The expiry is committed; the refusal is reported after it.
    raise TransitionNotAllowed(
        _("This quote expired on %(date)s. Ask the provider for a new one.") % {"date": quote.valid_until}
    )


@transaction.atomic
def quote_decline(*, actor: User, quote_id: int, reason: str = "") -> QuoteRequest:
    """The buyer declines the open quote; the request is closed."""
    quote, request = _open_quote(actor, quote_id)
    quote.status = Quote.Status.DECLINED
    quote.save(update_fields=["status"])
    request.status = QuoteRequest.Status.DECLINED
    request.save(update_fields=["status", "updated_at"])
    _log(actor, request, "quote.declined", {"version": quote.version, "reason": reason.strip()[:500]})
    return request


@transaction.atomic
def quote_request_decline(*, actor: User, request_id: int, reason: str = "") -> QuoteRequest:
    """Close a request before it is quoted: the provider cannot take it on, or the buyer withdraws it."""
    request = _lock_request(request_id)
    _request_roles(actor, request)
    if request.status != QuoteRequest.Status.SUBMITTED:
        raise TransitionNotAllowed(
            _("Request %(number)s is “%(status)s”: it can no longer be declined here.")
            % {"number": request.number, "status": request.get_status_display()}
        )
    request.status = QuoteRequest.Status.DECLINED
    request.save(update_fields=["status", "updated_at"])
    _log(actor, request, "quote_request.declined", {"reason": reason.strip()[:500]})
    return request


def quotes_expire_due() -> int:
    """Expire every open quote whose validity date has passed (run daily by Celery beat); returns how many."""
    due = Quote.objects.filter(status=Quote.Status.SENT, valid_until__lt=timezone.localdate())
    count = 0
    for quote_id, request_id in due.values_list("pk", "request_id"):
        with transaction.atomic():
            request = _lock_request(request_id)
            quote = Quote.objects.get(pk=quote_id)
            count += _expire_if_due(quote, request)
    return count


def quotes_remind_expiring() -> int:
    """Remind buyers of open quotes that expire tomorrow (run daily by Celery beat); returns how many.

    One reminder per quote version: a second run the same day, or a retry, finds the audit entry and skips it.
    """
    tomorrow = timezone.localdate() + timedelta(days=1)
    due = Quote.objects.filter(status=Quote.Status.SENT, valid_until=tomorrow)
    count = 0
    for quote_id, request_id in due.values_list("pk", "request_id"):
        with transaction.atomic():
            request = _lock_request(request_id)
            quote = Quote.objects.get(pk=quote_id)
            reminded = AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(QuoteRequest),
                object_id=request.pk,
                action="quote.expiring",
                data__version=quote.version,
            ).exists()
            if quote.status == Quote.Status.SENT and quote.valid_until == tomorrow and not reminded:
                _log(None, request, "quote.expiring", {"version": quote.version, "valid_until": tomorrow.isoformat()})
                count += 1
    return count


def quote_default_valid_until() -> date:
    """The validity date the quote form suggests."""
    return timezone.localdate() + timedelta(days=settings.QUOTE_DEFAULT_VALIDITY_DAYS)


# --- messages -----------------------------------------------------------------------------------------


def _thread_side(actor: Any, thread: Thread) -> Organization:
    orgs = member_org_ids(actor)
    if thread.buyer_id in orgs:
        return thread.buyer
    if thread.provider.organization_id in orgs:
        return thread.provider.organization
    raise PermissionDenied


@transaction.atomic
def message_send(*, actor: User, thread_id: int, body: str, attachments: Sequence[UploadedFile] = ()) -> Message:
    """Post a message (with files) to the thread of a quote request or order; the other side is notified."""
    thread = Thread.objects.select_for_update(of=("self",)).select_related("provider", "buyer").get(pk=thread_id)
    sender_org = _thread_side(actor, thread)
    body = body.strip()
    if not body and not attachments:
        raise ValidationError({"body": _("Write a message or attach a file.")})
    message = Message.objects.create(thread=thread, sender=actor, sender_organization=sender_org, body=body[:5000])
    _save_attachments(thread, attachments, actor, message)
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at"])
    ThreadReadMark.objects.update_or_create(thread=thread, user=actor, defaults={"read_at": message.created_at})
    _log(actor, message, "message.sent", {"thread": thread.pk, "files": len(attachments)})
    return message


def thread_mark_read(*, actor: User, thread: Thread) -> None:
    """Remember that the user has seen the thread up to now (a bookmark, not a business change: not audited)."""
    ThreadReadMark.objects.update_or_create(thread=thread, user=actor, defaults={"read_at": timezone.now()})


# --- reviews ------------------------------------------------------------------------------------------


@transaction.atomic
def review_create(*, actor: User, order_id: int, rating: int, comment: str = "") -> Review:
    """The buying SME rates a completed order 1-5; the service's and provider's averages follow."""
    order = _lock_order(order_id)
    if Role.BUYER not in order_roles(actor, order):
        raise PermissionDenied
    if order.status != S.COMPLETED:
        raise TransitionNotAllowed(_("You can review an order once it is completed."))
    if Review.objects.filter(order=order).exists():
        raise TransitionNotAllowed(_("This order has already been reviewed."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose between 1 and 5 stars.")})
    review = Review.objects.create(
        order=order,
        service_id=order.service_id,
        provider=order.provider,
        buyer_id=order.buyer_id,
        author=actor,
        rating=rating,
        comment=comment.strip()[:3000],
    )
    counters = {"rating_count": F("rating_count") + 1, "rating_sum": F("rating_sum") + rating}
    Service.objects.filter(pk=order.service_id).update(**counters)
    Provider.objects.filter(pk=order.provider_id).update(**counters)
    _log(actor, order, "review.posted", {"rating": rating})
    return review


@transaction.atomic
def review_reply(*, actor: User, review_id: int, reply: str) -> Review:
    """The provider answers a review, once."""
    review = Review.objects.select_for_update(of=("self",)).select_related("provider", "order").get(pk=review_id)
    if review.provider.organization_id not in member_org_ids(actor):
        raise PermissionDenied
    if review.reply:
        raise TransitionNotAllowed(_("This review already has a reply."))
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("Write a reply.")})
    review.reply = reply[:3000]
    review.replied_at = timezone.now()
    review.save(update_fields=["reply", "replied_at"])
    _log(actor, review.order, "review.replied")
    return review
