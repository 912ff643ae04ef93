"""Bulk import and export of a provider's services as CSV or XLSX.

The same columns go out (export) and come in (import), so an exported file can be edited in Excel
or WPS and uploaded again. Rows are keyed by `slug`: a known slug updates that service, a new one
creates it. Validation runs without writing (dry run) and reports every problem as
(row number, column, message); the commit re-validates and writes everything in one transaction,
with `bulk_create` / `bulk_update` in batches, or nothing at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from .models import IndustryField, Provider, Service, ServiceCategory
from .rules import SERVICE_EDITABLE_FIELDS, normalize_standards, service_publish_problems
from .signals import services_bulk_changed

COLUMNS: tuple[str, ...] = ("slug", *(f for f in SERVICE_EDITABLE_FIELDS if f != "slug"), "status")
REQUIRED_COLUMNS = frozenset({"title_zh", "category", "pricing_mode", "turnaround_days"})
MAX_ROWS = 20_000
BATCH_SIZE = 500
UPDATE_FIELDS = [c for c in COLUMNS if c not in ("slug",)] + ["published_at", "updated_at"]

ProgressCallback = Callable[[int, int], None]


def import_progress_key(import_id: int) -> str:
    """Cache key under which a running import reports its progress."""
    return f"catalog:service-import:{import_id}:progress"


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, no header, too many rows)."""


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number: the header is row 1
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ValidationResult:
    services: list[Service] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    to_create: int = 0
    to_update: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading ------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(raw: bytes) -> str:
    # Excel and WPS on Chinese Windows save CSV as GB18030 unless told otherwise.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor GB18030 text."))


def read_rows(fileobj: IO[bytes], fmt: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header (normalised column names) and the data rows of a CSV or XLSX file, blank rows dropped."""
    if fmt == "csv":
        text = _decode(fileobj.read())
        if "\x00" in text:
            raise ImportFileError(_("The file is not a text CSV file."))
        reader = csv.reader(io.StringIO(text, newline=""))
        table: Iterator[list[Any]] = iter(reader)
    elif fmt == "xlsx":
        try:
            workbook = load_workbook(fileobj, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
        sheet = workbook.worksheets[0]
        table = (list(r) for r in sheet.iter_rows(values_only=True))
    else:
        raise ImportFileError(_("Unsupported file format."))
    try:
        header = [_cell_text(h).lower() for h in next(table)]
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    while header and not header[-1]:
        header.pop()
    rows: list[dict[str, str]] = []
    for values in table:
        cells = [_cell_text(v) for v in values]
        if not any(cells):
            rows.append({})  # keep numbering aligned with the spreadsheet
            continue
        rows.append({name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)})
        if len(rows) > MAX_ROWS:
            raise ImportFileError(_("A file may hold at most %(max)d rows.") % {"max": MAX_ROWS})
    return header, rows


# --- validating ---------------------------------------------------------------------------------


def _check_header(header: list[str]) -> list[RowError]:
    errors = []
    for name in header:
        if name not in COLUMNS:
            errors.append(RowError(1, name or "?", _("Unknown column.")))
    for name in sorted(REQUIRED_COLUMNS - set(header)):
        errors.append(RowError(1, name, _("Required column is missing.")))
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", _("A column appears twice.")))
    return errors


def validate_rows(
    provider: Provider,
    header: list[str],
    rows: list[dict[str, str]],
    *,
    progress: ProgressCallback | None = None,
) -> ValidationResult:
    """Turn rows into unsaved Service objects and collect every row error; writes nothing."""
    result = ValidationResult(errors=_check_header(header))
    if result.errors:
        return result
    categories = {c.slug: c for c in ServiceCategory.objects.all()}
    fields_by_slug = {f.slug: f for f in IndustryField.objects.all()}
    existing = {s.slug: s for s in Service.objects.filter(provider=provider).only("pk", "slug", "published_at")}
    pricing_modes = set(Service.PricingMode.values)
    statuses = set(Service.Status.values)
    seen_slugs: dict[str, int] = {}
    now = timezone.now()
    total = len(rows)

    for index, row in enumerate(rows):
        line = index + 2
        if progress and index % BATCH_SIZE == 0:
            progress(index, total)
        if not row:
            continue
        errors: list[RowError] = []

        def err(column: str, message: str, line: int = line, errors: list[RowError] = errors) -> None:
            errors.append(RowError(line, column, message))

        category = categories.get(row.get("category", ""))
        if category is None:
            err("category", _("Unknown category “%(value)s”.") % {"value": row.get("category", "")})
        industry_field = None
        if row.get("field"):
            industry_field = fields_by_slug.get(row["field"])
            if industry_field is None:
                err("field", _("Unknown industry field “%(value)s”.") % {"value": row["field"]})
        pricing_mode = row.get("pricing_mode", "")
        if pricing_mode not in pricing_modes:
            err("pricing_mode", _("Use one of: %(values)s.") % {"values": ", ".join(sorted(pricing_modes))})
        price: Decimal | None = None
        if row.get("price"):
            try:
                price = Decimal(row["price"].replace(",", "").replace("¥", ""))
            except InvalidOperation:
                err("price", _("Not a number."))
            else:
                if price < 0:
                    err("price", _("The price cannot be negative."))
        needs_price = pricing_mode in pricing_modes and pricing_mode != Service.PricingMode.QUOTE_ONLY
        if price is None and needs_price and not any(e.column == "price" for e in errors):
            err("price", _("A price is required unless the service is on quotation."))
        turnaround = 0
        try:
            turnaround = int(row.get("turnaround_days", ""))
        except ValueError:
            err("turnaround_days", _("Enter a whole number of working days."))
        else:
            if not 1 <= turnaround <= 365:
                err("turnaround_days", _("Turnaround must be between 1 and 365 working days."))
        status = row.get("status") or Service.Status.DRAFT
        if status not in statuses:
            err("status", _("Use one of: %(values)s.") % {"values": ", ".join(sorted(statuses))})

        slug = row.get("slug") or slugify(row.get("title_en", "")) or ""
        if not slug:
            err("slug", _("Give a slug or an English title to derive it from."))
        elif slug in seen_slugs:
            err("slug", _("The same slug is used in row %(row)d.") % {"row": seen_slugs[slug]})
        else:
            seen_slugs[slug] = line

        previous = existing.get(slug)
        service = Service(
            pk=previous.pk if previous else None,
            provider=provider,
            category=category,
            field=industry_field,
            slug=slug,
            title_zh=row.get("title_zh", ""),
            title_en=row.get("title_en", ""),
            summary_zh=row.get("summary_zh", ""),
            summary_en=row.get("summary_en", ""),
            description_zh=row.get("description_zh", ""),
            description_en=row.get("description_en", ""),
            standards=normalize_standards(row.get("standards", "")),
            sample_requirements_zh=row.get("sample_requirements_zh", ""),
            sample_requirements_en=row.get("sample_requirements_en", ""),
            pricing_mode=pricing_mode,
            price=price,
            price_unit=row.get("price_unit", ""),
            turnaround_days=turnaround,
            status=status,
            published_at=previous.published_at if previous else None,
            updated_at=now,
        )
        if status == Service.Status.PUBLISHED and service.published_at is None:
            service.published_at = now
        # Field-level checks (lengths, slug format, decimal digits) without per-row queries.
        already = {e.column for e in errors}
        try:
            service.clean_fields(exclude=["provider", "category", "field", "created_by", *already])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    err(name, message)
        if not errors and status == Service.Status.PUBLISHED:
            if not provider.is_verified:
                err("status", _("Services can be published once the platform has verified the provider."))
            for name, messages in service_publish_problems(service).items():
                for message in messages:
                    err(name, message)
        if errors:
            result.errors.extend(errors)
        else:
            result.services.append(service)
            if previous:
                result.to_update += 1
            else:
                result.to_create += 1
    if progress:
        progress(total, total)
    return result


# --- writing ------------------------------------------------------------------------------------


def _batches(items: list[Service], size: int = BATCH_SIZE) -> Iterable[list[Service]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def write_services(
    provider: Provider, services: list[Service], *, actor_id: int | None, progress: ProgressCallback | None = None
) -> list[int]:
    """Write validated services in batches inside one transaction and tell listeners which ids changed."""
    # One import per provider at a time: the lock serialises concurrent commits of the same catalog.
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    new = [s for s in services if s.pk is None]
    changed = [s for s in services if s.pk is not None]
    total, done = len(services), 0
    ids: list[int] = []
    for s in new:
        s.created_by_id = actor_id
    for batch in _batches(new):
        created = Service.objects.bulk_create(batch)
        ids.extend(s.pk for s in created)
        done += len(batch)
        if progress:
            progress(done, total)
    for batch in _batches(changed):
        Service.objects.bulk_update(batch, UPDATE_FIELDS)
        ids.extend(s.pk for s in batch)
        done += len(batch)
        if progress:
            progress(done, total)
    services_bulk_changed.send(sender=Service, service_ids=ids)
    return ids


# --- exporting ----------------------------------------------------------------------------------


def _export_row(service: Service) -> list[str]:
    values = {
        "slug": service.slug,
        "title_zh": service.title_zh,
        "title_en": service.title_en,
        "category": service.category.slug,
        "field": service.field.slug if service.field else "",
        "summary_zh": service.summary_zh,
        "summary_en": service.summary_en,
        "description_zh": service.description_zh,
        "description_en": service.description_en,
        "standards": "; ".join(service.standards or []),
        "sample_requirements_zh": service.sample_requirements_zh,
        "sample_requirements_en": service.sample_requirements_en,
        "pricing_mode": service.pricing_mode,
        "price": "" if service.price is None else str(service.price),
        "price_unit": service.price_unit,
        "turnaround_days": str(service.turnaround_days),
        "status": service.status,
    }
    return [values[c] for c in COLUMNS]


def export_services(services: Iterable[Service], fmt: str) -> bytes:
    """The services as a CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX file that the import accepts."""
    rows = [_export_row(s) for s in services]
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "services"
        sheet.append(list(COLUMNS))
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(fmt)
