"""The demand side: quote requests and quotes, orders with their lines, reports, messages and reviews.

An order is priced by its lines (`OrderLine`); a line is a service at a quantity, and later issues add
lines for booked equipment time and `Payment` rows pointing at the order, without reshaping it.
Money is `Decimal` CNY with two places; the arithmetic and its rounding rule live in `orders/money.py`.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog.models import Equipment, Provider, Service
from marketplace.organizations.models import Organization
from marketplace.storage import private_storage


class Thread(models.Model):
    """The conversation between a buyer and a provider about one quote request and the order that follows it."""

    buyer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")

    def __str__(self) -> str:
        return f"#{self.pk}"


class QuoteRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for a quote")
        QUOTED = "quoted", _("Quoted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    number = models.CharField(_("number"), max_length=24, unique=True, null=True, blank=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="quote_requests")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="quote_requests")
    buyer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="quote_requests")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    thread = models.OneToOneField(Thread, on_delete=models.PROTECT, related_name="quote_request")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1), MaxValueValidator(100000)])
    sample_description = models.TextField(_("sample description"), max_length=5000)
    standards = models.JSONField(_("standards required"), default=list, blank=True)
    desired_date = models.DateField(_("desired completion date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quote request")
        verbose_name_plural = _("quote requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="quoterequest_buyer_recent"),
            models.Index(fields=["provider", "-created_at"], name="quoterequest_provider_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "quoted", "accepted", "declined", "expired"]),
                name="quoterequest_status_valid",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="quoterequest_quantity_positive"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("orders:quote-request-detail", kwargs={"number": self.number})


class Quote(models.Model):
    """One version of the provider's answer. A revision supersedes the version before it."""

    class Status(models.TextChoices):
        SENT = "sent", _("Open")
        SUPERSEDED = "superseded", _("Superseded by a revision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="quotes")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    currency = models.CharField(max_length=3, default="CNY")
    subtotal = models.DecimalField(_("subtotal (excl. VAT)"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(
        _("VAT rate"), max_digits=5, decimal_places=4, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    vat_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total (incl. VAT)"), max_digits=14, decimal_places=2)
    valid_until = models.DateField(_("valid until"))
    turnaround_days = models.PositiveSmallIntegerField(
        _("turnaround (working days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    terms = models.TextField(_("terms"), blank=True, max_length=5000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["request", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="quote_unique_version"),
            # At most one open or accepted version per request: a revision must supersede the last one first.
            models.UniqueConstraint(
                fields=["request"], condition=Q(status__in=["sent", "accepted"]), name="quote_one_current_version"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["sent", "superseded", "accepted", "declined", "expired"]),
                name="quote_status_valid",
            ),
            models.CheckConstraint(condition=Q(subtotal__gte=0), name="quote_subtotal_not_negative"),
            models.CheckConstraint(condition=Q(vat_rate__gte=0) & Q(vat_rate__lte=1), name="quote_vat_rate_range"),
            models.CheckConstraint(
                condition=Q(total=models.F("subtotal") + models.F("vat_amount")), name="quote_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} v{self.version}"

    @property
    def pdf_filename(self) -> str:
        return f"{self.request.number}-v{self.version}.pdf"


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(_("item"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    unit_price = models.DecimalField(
        _("unit price"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "position"], name="quoteline_unique_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="quoteline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="quoteline_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        SAMPLE_RECEIVED = "sample_received", _("Sample received")
        IN_PROGRESS = "in_progress", _("In progress")
        REPORT_ISSUED = "report_issued", _("Report issued")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    class Shipping(models.TextChoices):
        COURIER = "courier", _("Courier")
        IN_PERSON = "in_person", _("Delivered in person")
        PICKUP = "pickup", _("Collected by the provider")
        ON_SITE = "on_site", _("On site, no sample shipped")

    number = models.CharField(_("order number"), max_length=24, unique=True, null=True, blank=True)
    buyer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="orders")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="orders")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="orders")
    quote = models.OneToOneField(Quote, null=True, blank=True, on_delete=models.PROTECT, related_name="order")
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="orders")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT)
    currency = models.CharField(max_length=3, default="CNY")
    subtotal = models.DecimalField(_("subtotal (excl. VAT)"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    vat_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total (incl. VAT)"), max_digits=14, decimal_places=2)
    amount_refunded = models.DecimalField(_("refunded"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    buyer_note = models.TextField(_("note to the provider"), blank=True, max_length=2000)
    # Sample logistics
    shipping_method = models.CharField(_("shipping method"), max_length=20, choices=Shipping.choices, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    sample_received_at = models.DateTimeField(_("sample received at"), null=True, blank=True)
    sample_condition = models.CharField(_("condition on arrival"), max_length=500, blank=True)
    # Milestones
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    report_issued_at = models.DateTimeField(_("report issued at"), null=True, blank=True)
    # Handed out when work starts, so the provider can print it (and its QR code) on the report it then uploads.
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True, null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["buyer", "-created_at", "-id"], name="order_buyer_recent"),
            models.Index(fields=["buyer", "status", "-created_at", "-id"], name="order_buyer_status_recent"),
            models.Index(fields=["provider", "-created_at", "-id"], name="order_provider_recent"),
            models.Index(fields=["provider", "status", "-created_at", "-id"], name="order_provider_status_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "pending_payment",
                        "paid",
                        "sample_received",
                        "in_progress",
                        "report_issued",
                        "completed",
                        "cancelled",
                        "refunded",
                    ]
                ),
                name="order_status_valid",
            ),
            models.CheckConstraint(condition=Q(subtotal__gte=0), name="order_subtotal_not_negative"),
            models.CheckConstraint(
                condition=Q(total=models.F("subtotal") + models.F("vat_amount")), name="order_total"
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0) & Q(amount_refunded__lte=models.F("total")),
                name="order_refund_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("orders:order-detail", kwargs={"number": self.number})


class OrderLine(models.Model):
    """A priced line of an order: a service at a quantity (or a quoted item). Bookings add lines of their own."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("item"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="orderline_unique_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orderline_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description


class Report(models.Model):
    """The signed report a provider issues for an order, kept privately with its fingerprint.

    Anyone holding a copy can check it at /verify/<code>/ without seeing the order.
    """

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="report")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="reports")
    report_number = models.CharField(_("report number"), max_length=60)
    file = models.FileField(_("report (PDF)"), storage=private_storage, upload_to="reports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["provider", "report_number"], name="report_number_unique_per_provider"),
            models.CheckConstraint(condition=~Q(report_number=""), name="report_number_required"),
        ]

    def __str__(self) -> str:
        return self.report_number

    def get_verification_url(self) -> str:
        return reverse("verify:code", kwargs={"code": self.verification_code})


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sender_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["thread", "created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="message_thread_time")]

    def __str__(self) -> str:
        return self.body[:40]


class Attachment(models.Model):
    """A file shared in a thread: with a message, or with the quote request that opened the thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ThreadReadMark(models.Model):
    """How far a user has read a thread; later messages from the other side are unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="threadreadmark_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} at {self.read_at:%Y-%m-%d %H:%M}"


class Review(models.Model):
    """The buyer's rating of a completed order; the provider may reply once."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="review")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="reviews")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="reviews")
    buyer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=3000)
    reply = models.TextField(_("provider's reply"), blank=True, max_length=3000)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["service", "-created_at"], name="review_service_recent"),
            models.Index(fields=["provider", "-created_at"], name="review_provider_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_range"),
            models.CheckConstraint(condition=Q(reply="") | Q(replied_at__isnull=False), name="review_reply_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.order}"


class BankAccount(models.Model):
    """Where a provider receives bank transfers; shown to buyers of its unpaid orders."""

    provider = models.OneToOneField(Provider, on_delete=models.CASCADE, related_name="bank_account")
    account_name = models.CharField(_("account name"), max_length=200)
    bank_name = models.CharField(_("bank and branch"), max_length=200)
    account_number = models.CharField(_("account number"), max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        constraints = [models.CheckConstraint(condition=~Q(account_number=""), name="bankaccount_number_required")]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number}"


class Payment(models.Model):
    """One attempt to pay an order: a card payment (one PaymentIntent) or a bank transfer the provider confirmed."""

    class Method(models.TextChoices):
        CARD = "card", _("Card")
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")

    class Status(models.TextChoices):
        CREATED = "created", _("Started")
        REQUIRES_ACTION = "requires_action", _("Waiting for card authentication")
        PROCESSING = "processing", _("Processing")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Canceled")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CREATED)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="CNY")
    # The checkout page's token: a repeated or double-clicked submit finds this row instead of paying twice.
    attempt_key = models.CharField(max_length=64, null=True, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    failure_message = models.CharField(_("failure"), max_length=300, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "updated_at"], name="payment_status_updated")]
        constraints = [
            models.UniqueConstraint(fields=["order", "attempt_key"], name="payment_unique_attempt"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(method__in=["card", "bank_transfer"]), name="payment_method_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["created", "requires_action", "processing", "succeeded", "failed", "canceled"]),
                name="payment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} {self.get_status_display()}"


class Refund(models.Model):
    """Money paid back for an order: through the card payment's intent, or recorded for a bank transfer."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    stripe_refund_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} {self.order}"


class StripeEvent(models.Model):
    """Every webhook event id we acted on. Recorded before acting, so a replayed event is a no-op."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class FapiaoRequest(models.Model):
    """The buyer's invoice (发票) details for an order; the provider issues it and uploads the PDF."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General VAT invoice (增值税普通发票)")
        SPECIAL = "special", _("Special VAT invoice (增值税专用发票)")

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="fapiao")
    kind = models.CharField(_("invoice type"), max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("invoice title (company name)"), max_length=200)
    taxpayer_id = models.CharField(_("taxpayer ID"), max_length=20)
    address_phone = models.CharField(_("registered address and phone"), max_length=300, blank=True)
    bank_account = models.CharField(_("bank and account number"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail for the electronic invoice"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(_("invoice (PDF)"), storage=private_storage, upload_to="fapiao/%Y/%m/", blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fapiao request")
        verbose_name_plural = _("fapiao requests")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["general", "special"]), name="fapiao_kind_valid"),
            models.CheckConstraint(condition=Q(issued_at__isnull=True) | ~Q(file=""), name="fapiao_issued_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.order})"


# --- equipment booking ----------------------------------------------------------------------------------


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class BookingPolicy(models.Model):
    """How an instrument is booked by the hour. Notice and maximum length live on the Equipment itself."""

    equipment = models.OneToOneField(Equipment, on_delete=models.CASCADE, related_name="booking_policy")
    hourly_rate = models.DecimalField(
        _("hourly rate (CNY, excl. VAT)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    min_hours = models.PositiveSmallIntegerField(
        _("minimum length (hours)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between bookings (minutes)"), default=0, validators=[MaxValueValidator(24 * 60)]
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("bookable horizon (days)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    free_cancellation_hours = models.PositiveSmallIntegerField(
        _("free cancellation until (hours before the start)"), default=24, validators=[MaxValueValidator(24 * 30)]
    )
    # The private calendar feed's secret; rotating it cuts off every calendar app that used the old URL.
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booking policy")
        verbose_name_plural = _("booking policies")
        constraints = [
            models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="bookingpolicy_rate_not_negative"),
            models.CheckConstraint(condition=Q(min_hours__gte=1), name="bookingpolicy_min_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.equipment} ¥{self.hourly_rate}/h"


class OpeningHours(models.Model):
    """One opening interval per weekday (0 = Monday), in China time."""

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), validators=[MaxValueValidator(6)])
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["equipment", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["equipment", "weekday"], name="openinghours_one_per_weekday"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="openinghours_weekday_range"),
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")), name="openinghours_opens_before_closes"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class EquipmentBlock(models.Model):
    """Time the instrument cannot be booked: maintenance, calibration, public holidays."""

    class Kind(models.TextChoices):
        MAINTENANCE = "maintenance", _("Maintenance or calibration")
        HOLIDAY = "holiday", _("Public holiday")

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MAINTENANCE)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("blocked time")
        verbose_name_plural = _("blocked times")
        ordering = ["equipment", "starts_at"]
        indexes = [models.Index(fields=["equipment", "starts_at"], name="block_equipment_start")]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="block_starts_before_ends"),
            models.CheckConstraint(condition=Q(kind__in=["maintenance", "holiday"]), name="block_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.equipment} {self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    """Hours on one instrument, part of an order. Held until paid (or a transfer reference is given) or expired.

    On PostgreSQL an exclusion constraint (added by migration 0004, btree_gist) makes two active bookings of
    one instrument overlapping impossible, whatever the concurrency; `occupied_until` includes the buffer.
    """

    class Status(models.TextChoices):
        HELD = "held", _("Held, awaiting payment")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Hold expired")

    ACTIVE = ("held", "confirmed")

    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="bookings")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="bookings")
    line = models.OneToOneField(OrderLine, on_delete=models.PROTECT, related_name="booking")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    occupied_until = models.DateTimeField()
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.HELD)
    hold_expires_at = models.DateTimeField(_("hold expires"), null=True, blank=True)
    transfer_reference = models.CharField(_("bank transfer reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["equipment", "starts_at"], name="booking_equipment_start"),
            models.Index(fields=["status", "hold_expires_at"], name="booking_status_hold"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="booking_starts_before_ends"),
            models.CheckConstraint(condition=Q(ends_at__lte=models.F("occupied_until")), name="booking_buffer_after"),
            models.CheckConstraint(
                condition=Q(status__in=["held", "confirmed", "cancelled", "expired"]), name="booking_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.equipment} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds()) / 3600
