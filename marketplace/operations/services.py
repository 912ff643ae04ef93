"""Every change to a provider application: one function per transition, each atomic, permission-checked,
audited (the reason in the entry) and announced to the applicant by e-mail after the commit.

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲                  │  └──────reject──▶ rejected
      │           request_changes
      │                  ▼
      └ (edit) ── changes_requested ──submit──▶ resubmitted ──approve / reject / request_changes──▶ …
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypinyin import lazy_pinyin

from catalog import services as catalog_services
from catalog.models import Accreditation, Provider
from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import log_action
from marketplace.exceptions import TransitionNotAllowed
from marketplace.organizations.models import Organization
from marketplace.organizations.permissions import ensure_can_manage, is_platform_operator
from orders.files import check_upload, safe_name

from .models import ApplicationDocument, ProviderApplication
from .selectors import REMINDER_DAYS

Status = ProviderApplication.Status
DOCUMENT_TYPES = frozenset({"pdf", "png", "jpg", "jpeg"})
MAX_DOCUMENTS = 20
APPLICANT, OPERATOR = "applicant", "operator"

# (status, verb) -> (next status, who may do it)
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (Status.DRAFT, "submit"): (Status.SUBMITTED, APPLICANT),
    (Status.CHANGES_REQUESTED, "submit"): (Status.RESUBMITTED, APPLICANT),
    (Status.SUBMITTED, "request_changes"): (Status.CHANGES_REQUESTED, OPERATOR),
    (Status.RESUBMITTED, "request_changes"): (Status.CHANGES_REQUESTED, OPERATOR),
    (Status.SUBMITTED, "approve"): (Status.APPROVED, OPERATOR),
    (Status.RESUBMITTED, "approve"): (Status.APPROVED, OPERATOR),
    (Status.SUBMITTED, "reject"): (Status.REJECTED, OPERATOR),
    (Status.RESUBMITTED, "reject"): (Status.REJECTED, OPERATOR),
}
VERB_LABELS = {
    "submit": gettext_lazy("submit"),
    "request_changes": gettext_lazy("request changes to"),
    "approve": gettext_lazy("approve"),
    "reject": gettext_lazy("reject"),
}
APPLICATION_FIELDS = (
    "level",
    "approving_authority",
    "approval_number",
    "lead_organization",
    "lead_organization_en",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def _announce(entry: AuditEntry) -> None:
    """Queue the applicant's e-mail through the outbox (same transaction), nudged after the commit."""
    from orders.services import notify_after_commit  # one outbox path for every e-mail about an event

    notify_after_commit(entry)


def _lock(application_id: int) -> ProviderApplication:
    return (
        ProviderApplication.objects.select_for_update(of=("self",))
        .select_related("organization", "provider")
        .get(pk=application_id)
    )


def _transition(actor: User, application: ProviderApplication, verb: str) -> str:
    """Check the move and the actor's side; return the next status."""
    move = TRANSITIONS.get((application.status, verb))
    if move is None:
        raise TransitionNotAllowed(
            _("An application that is “%(status)s” cannot be changed this way (%(verb)s).")
            % {"status": application.get_status_display(), "verb": VERB_LABELS[verb]}
        )
    target, side = move
    if side == OPERATOR and not is_platform_operator(actor):
        raise PermissionDenied
    if side == APPLICANT:
        ensure_can_manage(actor, application.organization)
    return target


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()[:2000]
    if required and not reason:
        raise ValidationError({"reason": _("Give a reason: the applicant reads it in the e-mail.")})
    return reason


def _unique_provider_slug(name: str) -> str:
    base = slugify(" ".join(lazy_pinyin(name)))[:40] or "provider"
    slug, n = base, 2
    while Provider.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def application_start(*, actor: User, organization: Organization, data: Mapping[str, Any]) -> ProviderApplication:
    """A member of a provider-kind organization starts its application. The provider record is created
    pending, so the center can prepare its catalog at once; nothing of it is public until approval."""
    ensure_can_manage(actor, organization)
    if organization.kind != Organization.Kind.PROVIDER:
        raise TransitionNotAllowed(_("Only organizations registered as service providers can apply."))
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    open_one = organization.provider_applications.exclude(status=Status.REJECTED).first()
    if open_one is not None:
        raise TransitionNotAllowed(_("%(org)s already has an application.") % {"org": organization.name})
    provider = Provider.objects.filter(organization=organization).first()
    if provider is None:
        provider = Provider.objects.create(
            organization=organization,
            slug=_unique_provider_slug(organization.name),
            name_zh=organization.name,
            level=data["level"],
            province=organization.province,
            city=organization.city,
            verification=Provider.Verification.PENDING,
        )
    application = ProviderApplication(organization=organization, provider=provider, created_by=actor)
    for name in APPLICATION_FIELDS:
        setattr(application, name, data.get(name, "") or "")
    application.full_clean(exclude=["fields"])
    application.save()
    application.fields.set(data.get("fields") or [])
    log_action(actor=actor, obj=application, action="provider_application.started")
    return application


@transaction.atomic
def application_update(*, actor: User, application_id: int, data: Mapping[str, Any]) -> ProviderApplication:
    """The applicant edits a draft, or an application sent back for changes."""
    application = _lock(application_id)
    ensure_can_manage(actor, application.organization)
    if not application.is_editable:
        raise TransitionNotAllowed(_("The application is under review and cannot be edited now."))
    changed = [name for name in APPLICATION_FIELDS if getattr(application, name) != (data.get(name, "") or "")]
    for name in APPLICATION_FIELDS:
        setattr(application, name, data.get(name, "") or "")
    application.full_clean(exclude=["fields"])
    application.save()
    application.fields.set(data.get("fields") or [])
    log_action(actor=actor, obj=application, action="provider_application.updated", data={"fields": changed})
    return application


@transaction.atomic
def application_add_document(
    *,
    actor: User,
    application_id: int,
    kind: str,
    upload: UploadedFile,
    scheme: str = "",
    number: str = "",
    valid_until: Any = None,
) -> ApplicationDocument:
    """Attach a PDF or image (checked by its first bytes, size-bounded) to an editable application."""
    application = _lock(application_id)
    ensure_can_manage(actor, application.organization)
    if not application.is_editable:
        raise TransitionNotAllowed(_("The application is under review: documents cannot be changed now."))
    if application.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError({"file": _("An application holds at most %(n)d documents.") % {"n": MAX_DOCUMENTS}})
    try:
        content_type = check_upload(upload, allowed=DOCUMENT_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document = ApplicationDocument(
        application=application,
        kind=kind,
        scheme=scheme if kind == ApplicationDocument.Kind.ACCREDITATION else "",
        number=(number or "").strip()[:100] if kind == ApplicationDocument.Kind.ACCREDITATION else "",
        valid_until=valid_until if kind == ApplicationDocument.Kind.ACCREDITATION else None,
        original_name=safe_name(upload.name or ""),
        content_type=content_type,
        size=upload.size or 0,
    )
    if kind == ApplicationDocument.Kind.ACCREDITATION and not (document.scheme and document.number):
        raise ValidationError({"number": _("Give the scheme and the number of the accreditation certificate.")})
    document.file.save(document.original_name, upload, save=False)
    document.full_clean()
    document.save()
    log_action(actor=actor, obj=application, action="provider_application.document_added", data={"kind": kind})
    return document


@transaction.atomic
def application_remove_document(*, actor: User, document_id: int) -> None:
    document = ApplicationDocument.objects.select_related("application").get(pk=document_id)
    application = _lock(document.application_id)
    ensure_can_manage(actor, application.organization)
    if not application.is_editable:
        raise TransitionNotAllowed(_("The application is under review: documents cannot be changed now."))
    document.file.delete(save=False)
    document.delete()
    log_action(actor=actor, obj=application, action="provider_application.document_removed")


@transaction.atomic
def application_submit(*, actor: User, application_id: int) -> ProviderApplication:
    """Send the application (again) for review; a business licence is required."""
    application = _lock(application_id)
    target = _transition(actor, application, "submit")
    if not application.documents.filter(kind=ApplicationDocument.Kind.BUSINESS_LICENCE).exists():
        raise ValidationError({"file": _("Attach the business licence before you submit.")})
    application.status = target
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    _announce(log_action(actor=actor, obj=application, action=f"provider_application.{target}"))
    return application


def _decide(actor: User, application_id: int, verb: str, reason: str, *, reason_required: bool) -> ProviderApplication:
    application = _lock(application_id)
    target = _transition(actor, application, verb)
    application.status = target
    application.decision_reason = _reason(reason, required=reason_required)
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decision_reason", "decided_at", "updated_at"])
    entry = log_action(
        actor=actor,
        obj=application,
        action=f"provider_application.{target}",
        data={"reason": application.decision_reason},
    )
    _announce(entry)
    return application


@transaction.atomic
def application_request_changes(*, actor: User, application_id: int, reason: str) -> ProviderApplication:
    return _decide(actor, application_id, "request_changes", reason, reason_required=True)


@transaction.atomic
def application_reject(*, actor: User, application_id: int, reason: str) -> ProviderApplication:
    application = _decide(actor, application_id, "reject", reason, reason_required=True)
    catalog_services.provider_reject(actor=actor, provider=application.provider, reason=application.decision_reason)
    return application


@transaction.atomic
def application_approve(*, actor: User, application_id: int, reason: str = "") -> ProviderApplication:
    """Approve: the provider takes the application's level, fields, lead organization, contact and
    accreditations (with their certificate files) and is verified, so its published services go public."""
    application = _decide(actor, application_id, "approve", reason, reason_required=False)
    provider = Provider.objects.select_for_update().get(pk=application.provider_id)
    provider.level = application.level
    provider.lead_organization = application.lead_organization
    provider.lead_organization_en = application.lead_organization_en
    provider.contact_name = application.contact_name
    provider.contact_phone = application.contact_phone
    provider.contact_email = application.contact_email
    provider.save()
    provider.fields.set(application.fields.all())
    for document in application.documents.filter(kind=ApplicationDocument.Kind.ACCREDITATION):
        accreditation, _created = Accreditation.objects.update_or_create(
            provider=provider,
            scheme=document.scheme,
            number=document.number,
            defaults={"valid_until": document.valid_until, "expiry_reminder_sent_at": None},
        )
        with document.file.open("rb") as fh:
            accreditation.certificate.save(document.original_name, fh, save=True)
    catalog_services.provider_verify(actor=actor, provider=provider, reason=application.decision_reason)
    return application


def accreditations_remind_expiring() -> int:
    """E-mail providers 30 days before an accreditation expires (daily, by Celery beat); returns how many.

    Once per validity period: the mark is set with the reminder, and a renewed certificate (a later
    `valid_until`) is due again 30 days before its new date.
    """
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=REMINDER_DAYS)
    due = Accreditation.objects.filter(valid_until__gte=today, valid_until__lte=horizon).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            accreditation = Accreditation.objects.select_for_update().get(pk=pk)
            assert accreditation.valid_until is not None
            window_start = accreditation.valid_until - dt.timedelta(days=REMINDER_DAYS)
            sent = accreditation.expiry_reminder_sent_at
            if sent is not None and timezone.localdate(sent) >= window_start:
                continue
            accreditation.expiry_reminder_sent_at = timezone.now()
            accreditation.save(update_fields=["expiry_reminder_sent_at"])
            entry = log_action(
                actor=None,
                obj=accreditation,
                action="accreditation.expiring",
                data={"valid_until": accreditation.valid_until.isoformat(), "number": accreditation.number},
            )
            _announce(entry)
            count += 1
    return count
