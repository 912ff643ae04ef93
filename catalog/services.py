"""Every write to the catalog: keyword-only, typed, permission-checked, validated, atomic.

Bad input raises `ValidationError` with field errors; a state change that is not allowed
(publishing an archived service of an unverified provider, archiving twice, ...) raises
`TransitionNotAllowed` with a message a person can read. Either way nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace.audit.services import log_action
from marketplace.exceptions import TransitionNotAllowed
from marketplace.organizations.permissions import ensure_can_administer, ensure_can_manage, is_platform_operator

from . import importing, tasks
from .models import Equipment, IndustryField, Provider, Service, ServiceCategory, ServiceImport
from .rules import (
    EQUIPMENT_EDITABLE_FIELDS,
    PROVIDER_PROFILE_FIELDS,
    SERVICE_EDITABLE_FIELDS,
    normalize_standards,
    service_publish_problems,
)

if TYPE_CHECKING:
    from marketplace.accounts.models import User

logger = logging.getLogger(__name__)
# Long texts keep their leading spaces and line breaks; every other text field is trimmed.
MULTILINE_FIELDS = frozenset({"description_zh", "description_en", "sample_requirements_zh", "sample_requirements_en"})


def _unique_service_slug(provider: Provider, base: str, exclude_pk: int | None = None) -> str:
    base = (slugify(base) or "service")[:100]
    taken = Service.objects.filter(provider=provider, slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    existing = set(taken.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in existing:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _lock_service(service_id: int) -> Service:
    return Service.objects.select_for_update().select_related("provider").get(pk=service_id)


@transaction.atomic
def service_create(
    *,
    actor: User,
    provider: Provider,
    category: ServiceCategory,
    title_zh: str,
    pricing_mode: str,
    turnaround_days: int,
    price: Decimal | None = None,
    slug: str = "",
    field: IndustryField | None = None,
    title_en: str = "",
    summary_zh: str = "",
    summary_en: str = "",
    description_zh: str = "",
    description_en: str = "",
    standards: Iterable[str] | str | None = None,
    sample_requirements_zh: str = "",
    sample_requirements_en: str = "",
    price_unit: str = "",
    equipment: Iterable[Equipment] = (),
) -> Service:
    """Create a draft service for the provider; the slug is derived from the English title when not given."""
    ensure_can_manage(actor, provider.organization)
    service = Service(
        provider=provider,
        category=category,
        field=field,
        title_zh=title_zh.strip(),
        title_en=title_en.strip(),
        summary_zh=summary_zh.strip(),
        summary_en=summary_en.strip(),
        description_zh=description_zh,
        description_en=description_en,
        standards=normalize_standards(standards),
        sample_requirements_zh=sample_requirements_zh,
        sample_requirements_en=sample_requirements_en,
        pricing_mode=pricing_mode,
        price=price,
        price_unit=price_unit.strip(),
        turnaround_days=turnaround_days,
        status=Service.Status.DRAFT,
        created_by=actor,
    )
    service.slug = slug.strip() or _unique_service_slug(provider, title_en or title_zh)
    service.full_clean()
    service.save()
    _set_equipment(service, equipment)
    log_action(actor=actor, obj=service, action="service.created")
    return service


def _set_equipment(service: Service, equipment: Iterable[Equipment]) -> None:
    items = list(equipment)
    foreign = [e for e in items if e.provider_id != service.provider_id]
    if foreign:
        raise ValidationError({"equipment": _("Only the provider's own equipment can be linked.")})
    service.equipment.set(items)


@transaction.atomic
def service_update(
    *, actor: User, service: Service, data: Mapping[str, Any], equipment: Iterable[Equipment] | None = None
) -> Service:
    """Change the editable fields of a service. A published service must still meet the publish rules."""
    service = _lock_service(service.pk)
    ensure_can_manage(actor, service.provider.organization)
    unknown = set(data).difference(SERVICE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    before = {name: getattr(service, name) for name in data}
    for name, value in data.items():
        if name == "standards":
            value = normalize_standards(value)
        elif isinstance(value, str) and name not in MULTILINE_FIELDS:
            value = value.strip()
        setattr(service, name, value)
    if not service.slug:
        service.slug = _unique_service_slug(service.provider, service.title_en or service.title_zh, service.pk)
    service.full_clean()
    if service.status == Service.Status.PUBLISHED:
        problems = service_publish_problems(service)
        if problems:
            raise ValidationError(problems)
    service.save()
    # Compared after full_clean, which turns form strings into the field's type ("300" -> Decimal).
    changed = [name for name in data if getattr(service, name) != before[name]]
    if equipment is not None:
        linked = set(service.equipment.values_list("pk", flat=True))
        items = list(equipment)
        _set_equipment(service, items)
        if linked != {e.pk for e in items}:
            changed.append("equipment")
    if changed:
        log_action(actor=actor, obj=service, action="service.updated", data={"fields": changed})
    return service


@transaction.atomic
def service_publish(*, actor: User, service: Service) -> Service:
    """Make a draft or archived service public. The provider must be verified and the service complete."""
    service = _lock_service(service.pk)
    ensure_can_manage(actor, service.provider.organization)
    if service.status == Service.Status.PUBLISHED:
        raise TransitionNotAllowed(_("This service is already published."))
    if not service.provider.is_verified:
        raise TransitionNotAllowed(
            _("Services can be published once the platform has verified %(provider)s.")
            % {"provider": service.provider.name}
        )
    problems = service_publish_problems(service)
    if problems:
        raise ValidationError(problems)
    previous = service.status
    service.status = Service.Status.PUBLISHED
    service.published_at = timezone.now()
    service.full_clean()
    service.save(update_fields=["status", "published_at", "updated_at"])
    log_action(actor=actor, obj=service, action="service.published", data={"from": previous})
    return service


@transaction.atomic
def service_archive(*, actor: User, service: Service) -> Service:
    """Withdraw a service from the public catalog; it can be published again later."""
    service = _lock_service(service.pk)
    ensure_can_manage(actor, service.provider.organization)
    if service.status == Service.Status.ARCHIVED:
        raise TransitionNotAllowed(_("This service is already archived."))
    previous = service.status
    service.status = Service.Status.ARCHIVED
    service.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, obj=service, action="service.archived", data={"from": previous})
    return service


@transaction.atomic
def equipment_create(
    *,
    actor: User,
    provider: Provider,
    name_zh: str,
    name_en: str = "",
    model: str = "",
    manufacturer: str = "",
    location: str = "",
    description: str = "",
    bookable: bool = False,
    min_notice_hours: int = 24,
    max_slot_hours: int = 8,
) -> Equipment:
    """Register an instrument of the provider; bookable ones can later be reserved by the hour."""
    ensure_can_manage(actor, provider.organization)
    equipment = Equipment(
        provider=provider,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        model=model.strip(),
        manufacturer=manufacturer.strip(),
        location=location.strip(),
        description=description,
        bookable=bookable,
        min_notice_hours=min_notice_hours,
        max_slot_hours=max_slot_hours,
    )
    equipment.full_clean()
    equipment.save()
    log_action(actor=actor, obj=equipment, action="equipment.created")
    return equipment


@transaction.atomic
def equipment_update(*, actor: User, equipment: Equipment, data: Mapping[str, Any]) -> Equipment:
    """Change an instrument's description or booking rules."""
    equipment = Equipment.objects.select_for_update().select_related("provider").get(pk=equipment.pk)
    ensure_can_manage(actor, equipment.provider.organization)
    unknown = set(data).difference(EQUIPMENT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    before = {name: getattr(equipment, name) for name in data}
    for name, value in data.items():
        setattr(equipment, name, value.strip() if isinstance(value, str) and name != "description" else value)
    equipment.full_clean()
    equipment.save()
    changed = [name for name in data if getattr(equipment, name) != before[name]]
    if changed:
        log_action(actor=actor, obj=equipment, action="equipment.updated", data={"fields": changed})
    return equipment


@transaction.atomic
def provider_update_profile(*, actor: User, provider: Provider, data: Mapping[str, Any]) -> Provider:
    """Owners of the provider organization edit its public profile (level and verification stay with the platform)."""
    provider = Provider.objects.select_for_update().select_related("organization").get(pk=provider.pk)
    ensure_can_administer(actor, provider.organization)
    unknown = set(data).difference(PROVIDER_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    fields = data.get("fields")
    before = {name: getattr(provider, name) for name in data if name != "fields"}
    for name, value in data.items():
        if name != "fields":
            setattr(provider, name, value.strip() if isinstance(value, str) and not name.startswith("desc") else value)
    provider.full_clean()
    provider.save()
    changed = [name for name in data if name != "fields" and getattr(provider, name) != before[name]]
    if fields is not None:
        current = set(provider.fields.values_list("pk", flat=True))
        chosen = list(fields)
        provider.fields.set(chosen)
        if current != {getattr(f, "pk", f) for f in chosen}:
            changed.append("fields")
    if changed:
        log_action(actor=actor, obj=provider, action="provider.profile_updated", data={"fields": changed})
    return provider


@transaction.atomic
def provider_verify(*, actor: User, provider: Provider, reason: str = "") -> Provider:
    """Platform operators confirm a provider (usually by approving its application): its services may go public."""
    if not is_platform_operator(actor):
        raise PermissionDenied
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.verification not in {Provider.Verification.PENDING, Provider.Verification.REJECTED}:
        raise TransitionNotAllowed(
            _("%(provider)s is “%(status)s”: only pending or rejected providers can be verified.")
            % {"provider": provider.name, "status": provider.get_verification_display()}
        )
    provider.verification = Provider.Verification.VERIFIED
    provider.verified_at = timezone.now()
    provider.save(update_fields=["verification", "verified_at", "updated_at"])
    log_action(actor=actor, obj=provider, action="provider.verified", data={"reason": reason[:2000]})
    return provider


@transaction.atomic
def provider_reject(*, actor: User, provider: Provider, reason: str) -> Provider:
    """A provider whose application was rejected stays unlisted (its record and drafts are kept)."""
    if not is_platform_operator(actor):
        raise PermissionDenied
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.verification != Provider.Verification.PENDING:
        raise TransitionNotAllowed(_("Only a pending provider can be rejected."))
    provider.verification = Provider.Verification.REJECTED
    provider.save(update_fields=["verification", "updated_at"])
    log_action(actor=actor, obj=provider, action="provider.rejected", data={"reason": reason[:2000]})
    return provider


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason: it is recorded and sent to the provider.")})
    return reason.strip()[:2000]


@transaction.atomic
def provider_suspend(*, actor: User, provider: Provider, reason: str) -> Provider:
    """Take a verified provider off the platform: its services leave the public pages and search at once."""
    if not is_platform_operator(actor):
        raise PermissionDenied
    reason = _require_reason(reason)
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.verification != Provider.Verification.VERIFIED:
        raise TransitionNotAllowed(_("Only a verified provider can be suspended."))
    provider.verification = Provider.Verification.SUSPENDED
    provider.save(update_fields=["verification", "updated_at"])  # the save signal re-indexes its services
    log_action(actor=actor, obj=provider, action="provider.suspended", data={"reason": reason})
    return provider


@transaction.atomic
def provider_reinstate(*, actor: User, provider: Provider, reason: str) -> Provider:
    """Bring a suspended provider back: its published services are public and searchable again."""
    if not is_platform_operator(actor):
        raise PermissionDenied
    reason = _require_reason(reason)
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.verification != Provider.Verification.SUSPENDED:
        raise TransitionNotAllowed(_("Only a suspended provider can be reinstated."))
    provider.verification = Provider.Verification.VERIFIED
    provider.save(update_fields=["verification", "updated_at"])
    log_action(actor=actor, obj=provider, action="provider.reinstated", data={"reason": reason})
    return provider


# --- bulk import ----------------------------------------------------------------------------------

IMPORT_MAX_BYTES = importing.MAX_FILE_BYTES


def _progress_reporter(import_id: int, phase: str) -> importing.ProgressCallback:
    # The cache, not the row: the commit runs in a transaction whose writes nobody sees until it ends.
    def report(done: int, total: int) -> None:
        cache.set(importing.import_progress_key(import_id), {"phase": phase, "done": done, "total": total}, 3600)

    return report


@transaction.atomic
def service_import_start(*, actor: User, provider: Provider, upload: UploadedFile) -> ServiceImport:
    """Store an uploaded CSV/XLSX file and schedule its dry run; nothing is imported yet."""
    ensure_can_manage(actor, provider.organization)
    name = upload.name or ""
    fmt = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if fmt not in ServiceImport.Format.values:
        raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})
    if (upload.size or 0) > IMPORT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    service_import = ServiceImport.objects.create(
        provider=provider,
        created_by=actor,
        file=upload,
        original_name=name[:255],
        format=fmt,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    log_action(actor=actor, obj=service_import, action="service_import.uploaded", data={"file": name[:255]})
    pk = service_import.pk
    transaction.on_commit(lambda: tasks.validate_service_import.delay(pk))
    return service_import


@transaction.atomic
def service_import_commit(*, actor: User, service_import: ServiceImport) -> ServiceImport:
    """Schedule the all-or-nothing write of a file whose dry run found no errors."""
    service_import = (
        ServiceImport.objects.select_for_update().select_related("provider__organization").get(pk=service_import.pk)
    )
    ensure_can_manage(actor, service_import.provider.organization)
    if service_import.status != ServiceImport.Status.VALID:
        raise TransitionNotAllowed(_("Only a checked file without errors can be imported."))
    service_import.status = ServiceImport.Status.IMPORTING
    service_import.save(update_fields=["status"])
    log_action(actor=actor, obj=service_import, action="service_import.commit_requested")
    pk = service_import.pk
    transaction.on_commit(lambda: tasks.commit_service_import.delay(pk))
    return service_import


def _read_and_validate(service_import: ServiceImport, phase: str) -> importing.ValidationResult:
    with service_import.file.open("rb") as fh:
        header, rows = importing.read_rows(fh, service_import.format)
    service_import.total_rows = sum(1 for r in rows if r)
    return importing.validate_rows(
        service_import.provider, header, rows, progress=_progress_reporter(service_import.pk, phase)
    )


def _finish(
    service_import: ServiceImport, status: str, result: importing.ValidationResult | None, message: str = ""
) -> None:
    service_import.status = status
    service_import.message = message
    if result is not None:
        service_import.row_errors = [e.as_dict() for e in result.errors]  # the first MAX_STORED_ERRORS
        service_import.error_count = result.error_count
        service_import.stale_rows = [row.as_dict() for row in result.stale]
        service_import.stale_count = result.stale_count
        service_import.to_create = result.to_create
        service_import.to_update = result.to_update
    service_import.finished_at = timezone.now()
    service_import.save()


def _finish_failed(
    service_import: ServiceImport, status: str, result: importing.ValidationResult | None, message: str, phase: str
) -> None:
    # The task has no user: the entry names the person who uploaded the file (None if they are gone).
    with transaction.atomic():
        _finish(service_import, status, result, message)
        log_action(
            actor=service_import.created_by,
            obj=service_import,
            action="service_import.failed",
            data={"phase": phase, "status": status, "message": message},
        )


def service_import_run_dry_run(*, import_id: int) -> ServiceImport:
    """Check every row of the file and record the row errors and the counts; writes no service."""
    service_import = ServiceImport.objects.select_related("provider").get(pk=import_id)
    # Messages (row errors, failures) are written in the language of the page the file was uploaded from.
    with translation.override(service_import.language):
        return _dry_run(service_import)


def _dry_run(service_import: ServiceImport) -> ServiceImport:
    import_id = service_import.pk
    if service_import.status not in (ServiceImport.Status.PENDING, ServiceImport.Status.VALIDATING):
        return service_import  # already checked: a redelivered task does nothing
    ServiceImport.objects.filter(pk=import_id).update(status=ServiceImport.Status.VALIDATING)
    try:
        result = _read_and_validate(service_import, "validating")
    except importing.ImportFileError as exc:
        _finish(service_import, ServiceImport.Status.INVALID, None, str(exc))
        return service_import
    except Exception:  # a malformed file must end as a visible failure, not a job stuck in "checking"
        logger.exception("service import %s: dry run failed", import_id)
        _finish_failed(service_import, ServiceImport.Status.FAILED, None, _("The file could not be read."), "dry_run")
        return service_import
    status = ServiceImport.Status.VALID if result.ok else ServiceImport.Status.INVALID
    _finish(service_import, status, result)
    return service_import


def service_import_run_commit(*, import_id: int) -> ServiceImport:
    """Re-check the file (the catalog may have changed since the dry run) and write all rows or none."""
    service_import = ServiceImport.objects.select_related("provider").get(pk=import_id)
    # Messages (row errors, failures) are written in the language of the page the file was uploaded from.
    with translation.override(service_import.language):
        return _commit(service_import)


def _commit(service_import: ServiceImport) -> ServiceImport:
    import_id = service_import.pk
    if service_import.status != ServiceImport.Status.IMPORTING:
        return service_import
    try:
        result = _read_and_validate(service_import, "importing")
        if not result.ok:
            message = _("The catalog changed since the check.")
            _finish_failed(service_import, ServiceImport.Status.INVALID, result, message, "commit")
            return service_import
        # The services, their audit entry and the "done" status are committed together, so a redelivered
        # task finds the import done and neither writes nor logs it twice.
        with transaction.atomic():
            importing.write_services(
                service_import.provider,
                result.services,
                actor_id=service_import.created_by_id,
                progress=_progress_reporter(import_id, "importing"),
            )
            log_action(
                actor=service_import.created_by,
                obj=service_import,
                action="service_import.completed",
                data={"created": result.to_create, "updated": result.to_update},
            )
            _finish(service_import, ServiceImport.Status.DONE, result)
    except Exception as exc:  # the transaction rolled back; record why instead of leaving it "importing"
        logger.exception("service import %s failed", import_id)
        message = _("Nothing was imported: %(error)s") % {"error": exc}
        _finish_failed(service_import, ServiceImport.Status.FAILED, None, message, "commit")
    return service_import
