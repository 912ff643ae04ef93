from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Accreditation, IndustryField, Provider

from .models import ApplicationDocument, ProviderApplication
from .services import APPLICATION_FIELDS


class ApplicationForm(forms.ModelForm):
    fields = forms.ModelMultipleChoiceField(  # type: ignore[assignment]
        label=_("Industry fields"),
        queryset=IndustryField.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ProviderApplication
        fields = [*APPLICATION_FIELDS, "fields"]
        help_texts = {
            "approving_authority": _(
                "e.g. the Ministry of Industry and Information Technology, or a provincial department"
            ),
            "approval_number": _("The number of the document that approved the center or platform."),
        }


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, PNG or JPEG, up to 20 MB."))
    scheme = forms.ChoiceField(
        label=_("Accreditation scheme"), choices=[("", "—"), *Accreditation.Scheme.choices], required=False
    )
    number = forms.CharField(label=_("Certificate number"), max_length=100, required=False)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ApplicationDocument.Kind.ACCREDITATION:
            if not data.get("scheme"):
                self.add_error("scheme", _("Choose the scheme of the certificate."))
            if not (data.get("number") or "").strip():
                self.add_error("number", _("Enter the certificate number."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("request_changes", _("Request changes")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") in {"request_changes", "reject"} and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: the applicant reads it in the e-mail."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class QueueFilterForm(forms.Form):
    """Every value is checked against the choices: anything else is ignored, never an error page."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Waiting for review")), *ProviderApplication.Status.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *Provider.Level.choices], required=False
    )
    province = forms.CharField(label=_("Province"), max_length=50, required=False)

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "level": "", "province": ""}
        return {k: (self.cleaned_data.get(k) or "").strip() for k in ("status", "level", "province")}


class ProviderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Provider.Verification.choices], required=False
    )
    q = forms.CharField(label=_("Name"), max_length=100, required=False)

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "q": ""}
        return {k: (self.cleaned_data.get(k) or "").strip() for k in ("status", "q")}
