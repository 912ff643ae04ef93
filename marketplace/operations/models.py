"""Providers apply to be listed; platform operators review the application and its documents.

An application belongs to a provider-kind organization and to the (pending) provider record created when it
is started, so a center can prepare its catalog while it waits: nothing is public until the application is
approved. Documents are private files served only through a permission-checked view.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Accreditation, IndustryField, Provider
from marketplace.organizations.models import Organization
from marketplace.storage import private_storage


class ProviderApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="provider_applications", verbose_name=_("organization")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="applications", verbose_name=_("provider")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    level = models.CharField(_("center level"), max_length=20, choices=Provider.Level.choices)
    approving_authority = models.CharField(_("approving authority"), max_length=200)
    approval_number = models.CharField(_("approval document number"), max_length=100)
    lead_organization = models.CharField(_("lead organization"), max_length=200)
    lead_organization_en = models.CharField(_("lead organization (English)"), max_length=200, blank=True)
    fields = models.ManyToManyField(IndustryField, related_name="+", blank=True, verbose_name=_("industry fields"))
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=50)
    contact_email = models.EmailField(_("contact e-mail"))
    # The reason given with the last decision (changes requested, approval note, rejection).
    decision_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Ageing in the review queue counts from the latest (re)submission.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("provider application")
        verbose_name_plural = _("provider applications")
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="application_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "changes_requested", "resubmitted", "approved", "rejected"]
                ),
                name="application_status_valid",
            ),
            # One application in progress per organization; a rejected one may be followed by a new one.
            models.UniqueConstraint(
                fields=["organization"], condition=~Q(status="rejected"), name="application_one_open_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.CHANGES_REQUESTED}

    @property
    def awaits_review(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.RESUBMITTED}


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", _("Business licence")
        APPROVAL = "approval", _("Approval document of the center")
        ACCREDITATION = "accreditation", _("Accreditation certificate")
        OTHER = "other", _("Other")

    application = models.ForeignKey(ProviderApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # For accreditation certificates: what the certificate says, copied to the provider on approval.
    scheme = models.CharField(_("scheme"), max_length=20, choices=Accreditation.Scheme.choices, blank=True)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to="operations/applications/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["business_licence", "approval", "accreditation", "other"]),
                name="application_document_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="accreditation") | (~Q(scheme="") & ~Q(number="")),
                name="application_accreditation_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"
