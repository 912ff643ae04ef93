"""Forms of the order side: they parse hostile input into typed values; the services decide what is allowed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.organizations.models import Organization

from .files import MAX_FILES_PER_UPLOAD
from .models import Order, QuoteRequest
from .money import LineInput, default_vat_rate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one <input type=file multiple>."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(_("Attach at most %(n)d files.") % {"n": MAX_FILES_PER_UPLOAD})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class BuyerChoiceMixin(forms.Form):
    """Users in several enterprises choose which one buys; with one, the field is hidden."""

    buyer = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Ordering company"), empty_label=None)

    def __init__(self, *args: Any, buyers: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["buyer"]
        field.queryset = Organization.objects.filter(pk__in=[b.pk for b in buyers])  # type: ignore[attr-defined]
        if len(buyers) == 1:
            field.initial = buyers[0].pk
            field.widget = forms.HiddenInput()


class QuoteRequestForm(BuyerChoiceMixin):
    quantity = forms.IntegerField(label=_("Number of samples or items"), min_value=1, max_value=100000, initial=1)
    sample_description = forms.CharField(
        label=_("Samples and what should be tested"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Material, dimensions, quantity, the properties to test and anything the lab should know."),
    )
    standards = forms.CharField(
        label=_("Standards required"),
        required=False,
        max_length=500,
        help_text=_("Separate several codes with commas, e.g. GB/T 228.1-2021, ISO 6892-1."),
    )
    desired_date = forms.DateField(
        label=_("Desired completion date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_(
            "Drawings, specifications or photos: PDF, PNG, JPG, Word (.docx), Excel (.xlsx), ZIP, TXT or CSV; "
            "up to 5 files of 20 MB each."
        ),
    )

    def clean_standards(self) -> str:
        """Codes separated by commas (as the help text says), semicolons or new lines."""
        value: str = self.cleaned_data.get("standards") or ""
        return value.replace("，", ";").replace(",", ";")

    def clean_desired_date(self) -> date | None:
        value: date | None = self.cleaned_data.get("desired_date")
        if value is not None and value < timezone.localdate():
            raise ValidationError(_("The desired date cannot be in the past."))
        return value


class DirectOrderForm(BuyerChoiceMixin):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10000, initial=1)
    note = forms.CharField(
        label=_("Note to the provider"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class QuoteLineForm(forms.Form):
    description = forms.CharField(label=_("Item"), max_length=300)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    unit_price = forms.DecimalField(label=_("Unit price (CNY)"), max_digits=14, decimal_places=2, min_value=0)


QuoteLineFormSet = formset_factory(QuoteLineForm, extra=0, min_num=1, validate_min=True, max_num=50, validate_max=True)


class QuoteForm(forms.Form):
    vat_rate_percent = forms.DecimalField(
        label=_("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        initial=lambda: default_vat_rate() * 100,
    )
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    turnaround_days = forms.IntegerField(label=_("Turnaround (working days)"), min_value=1, max_value=365)
    terms = forms.CharField(label=_("Terms"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_valid_until(self) -> date:
        value: date = self.cleaned_data["valid_until"]
        if value < timezone.localdate():
            raise ValidationError(_("The validity date cannot be in the past."))
        return value


def line_inputs(formset: Any) -> list[LineInput]:
    """The valid, non-deleted lines of a QuoteLineFormSet as LineInput values."""
    return [
        LineInput(
            description=f.cleaned_data["description"],
            quantity=f.cleaned_data["quantity"],
            unit_price=f.cleaned_data["unit_price"],
            unit=f.cleaned_data.get("unit", ""),
        )
        for f in formset.forms
        if f.cleaned_data
    ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ReceiveSampleForm(forms.Form):
    condition = forms.CharField(label=_("Condition on arrival"), required=False, max_length=500)


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (CNY)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ShippingForm(forms.Form):
    shipping_method = forms.ChoiceField(label=_("Shipping method"), choices=Order.Shipping.choices)
    tracking_number = forms.CharField(label=_("Tracking number"), required=False, max_length=60)


class ReportForm(forms.Form):
    report_number = forms.CharField(label=_("Report number"), max_length=60)
    file = forms.FileField(label=_("Signed report (PDF)"))


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label=_("Attachments"))


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class OrderListFilterForm(forms.Form):
    """Status filter and order-number search of the order lists; bad values are ignored, never a 500."""

    status = forms.ChoiceField(required=False, choices=[("", _("All statuses")), *Order.Status.choices])
    q = forms.CharField(required=False, max_length=40, label=_("Order number"))

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "q": ""}
        return {"status": self.cleaned_data["status"], "q": self.cleaned_data["q"].strip().upper()}


class QuoteRequestFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", _("All statuses")), *QuoteRequest.Status.choices])

    def status_value(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""


class VerifyCodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=16)


class VerifyFileForm(forms.Form):
    file = forms.FileField(label=_("Report PDF"))


class CardPaymentForm(forms.Form):
    """What the checkout page posts: the PaymentMethod Stripe.js created and the page's attempt token."""

    payment_method = forms.RegexField(regex=r"^pm_[A-Za-z0-9]{4,60}$", max_length=64)
    attempt = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$", max_length=64)


class TestCardForm(forms.Form):
    """localstripe only: the card fields of the fake Card Element (see stripe_client.create_test_payment_method)."""

    number = forms.RegexField(regex=r"^\d{16}$")
    exp_month = forms.IntegerField(min_value=1, max_value=12)
    exp_year = forms.IntegerField(min_value=2000, max_value=2099)
    cvc = forms.RegexField(regex=r"^\d{3}$")


class BankTransferForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount received (CNY)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Bank reference"), max_length=100)


class BankAccountForm(forms.Form):
    account_name = forms.CharField(label=_("Account name"), max_length=200)
    bank_name = forms.CharField(label=_("Bank and branch"), max_length=200)
    account_number = forms.CharField(label=_("Account number"), max_length=40)


class FapiaoForm(forms.Form):
    kind = forms.ChoiceField(label=_("Invoice type"), choices=[
        ("general", _("General VAT invoice (增值税普通发票)")),
        ("special", _("Special VAT invoice (增值税专用发票)")),
    ])  # fmt: skip
    title = forms.CharField(label=_("Invoice title (company name)"), max_length=200)
    taxpayer_id = forms.CharField(label=_("Taxpayer ID"), max_length=20)
    address_phone = forms.CharField(label=_("Registered address and phone"), max_length=300, required=False)
    bank_account = forms.CharField(label=_("Bank and account number"), max_length=300, required=False)
    email = forms.EmailField(label=_("E-mail for the electronic invoice"))


class FapiaoIssueForm(forms.Form):
    file = forms.FileField(label=_("Invoice (PDF)"))
