"""Bulk import and export of a provider's services as CSV or XLSX.

The same columns go out (export) and come in (import), so an exported file can be edited in Excel
or WPS and uploaded again. Rows are keyed by `slug`: a known slug updates that service, a new one
creates it. Validation runs without writing (dry run) and reports every problem as
(row number, column, message); the commit re-validates and writes everything in one transaction,
with `bulk_create` / `bulk_update` in batches, or nothing at all.

Uploaded files are hostile: reading is bounded (see the limits below) and a bad cell is a row error,
never an exception. Exported text that a spreadsheet would evaluate as a formula gets a leading quote
(`quote_formula`), which the import takes off again (`unquote_formula`).
"""

from __future__ import annotations

import csv
import io
import itertools
import posixpath
import time
import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .models import IndustryField, Provider, Service, ServiceCategory
from .rules import SERVICE_EDITABLE_FIELDS, normalize_standards, service_publish_problems
from .signals import services_bulk_changed

COLUMNS: tuple[str, ...] = ("slug", *(f for f in SERVICE_EDITABLE_FIELDS if f != "slug"), "status")
# The export adds when each service was last changed; the import reads it only to warn about rows changed on
# the platform after the file was exported (an old file would silently overwrite newer edits).
CHANGED_AT = "updated_at"
EXPORT_COLUMNS: tuple[str, ...] = (*COLUMNS, CHANGED_AT)
REQUIRED_COLUMNS = frozenset({"title_zh", "category", "pricing_mode", "turnaround_days"})
BATCH_SIZE = 500

# Limits of what an import reads (STYLE.md "Every input is hostile"): each bounds memory and time.
MAX_FILE_BYTES = 10 * 1024 * 1024  # as uploaded
MAX_ROWS = 20_000  # rows after the header, blank rows included
MAX_COLUMNS = 50  # the export has 19; a value further right is refused
MAX_CELLS = 500_000  # cells an XLSX worksheet or its string table may declare, empty ones included
MAX_CELL_CHARS = 10_000  # a longer cell is a row error; its text is never kept whole
MAX_STORED_ERRORS = 200  # row errors kept for the import page; the rest are only counted
READ_SECONDS = 60  # reading a file that takes longer gives up with a message
XLSX_MAX_MEMBERS = 1_000
XLSX_MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # every member of the zip, as declared (zipfile stops there)
XLSX_MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
XLSX_MAX_PART_BYTES = 2 * 1024 * 1024  # relationships and the workbook's sheet list, read whole
_XML_CHUNK = 64 * 1024
_CSV_MAX_LINE_CHARS = MAX_COLUMNS * (MAX_CELL_CHARS + 3)  # longer lines hold no acceptable row
PRICE_LIMIT = Decimal(10) ** 10  # Service.price has 12 digits, 2 of them decimal places
# A cell starting with one of these is a formula in Excel, WPS or LibreOffice (OWASP "CSV injection").
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n")
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


@dataclass(frozen=True)
class StaleRow:
    """A row whose service was changed on the platform after the file was exported."""

    row: int
    slug: str
    exported: datetime
    changed: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "slug": self.slug,
            "exported": self.exported.isoformat(),
            "changed": self.changed.isoformat(),
        }


@dataclass
class ValidationResult:
    services: list[Service] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # the first MAX_STORED_ERRORS
    error_count: int = 0  # all of them
    stale: list[StaleRow] = field(default_factory=list)  # the first MAX_STORED_ERRORS
    stale_count: int = 0
    to_create: int = 0
    to_update: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_stale(self, stale: StaleRow) -> None:
        self.stale_count += 1
        if len(self.stale) < MAX_STORED_ERRORS:
            self.stale.append(stale)

    def add_errors(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.error_count += 1
            if len(self.errors) < MAX_STORED_ERRORS:
                self.errors.append(error)


# --- formula guard -------------------------------------------------------------------------------


def _is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take the text (ignoring guard quotes and spaces) for a formula."""
    rest = text.lstrip("'").lstrip(" ")
    return bool(rest) and rest[0] in FORMULA_TRIGGERS


def quote_formula(text: str) -> str:
    """Exported text that no spreadsheet evaluates: a leading quote before anything formula-like."""
    return "'" + text if _is_formula_like(text) else text


def unquote_formula(text: str) -> str:
    """Imported text with the export's guard quote removed; the inverse of `quote_formula`."""
    return text[1:] if text.startswith("'") and _is_formula_like(text[1:]) else text


# --- reading ------------------------------------------------------------------------------------
#
# Every uploaded file is hostile: reading is bounded in bytes (as uploaded and unpacked), rows, columns,
# cells, characters per cell and time, and never builds more than one row at a time beyond the rows kept.
# XLSX parts are streamed through expat (no DTDs, no entities); only the package's small index parts
# (relationships, the workbook's sheet list) are read whole.


def _cell_text(value: Any) -> str:
    """A cell as import text: trimmed, the export's formula guard removed, cut just past the cell limit.

    A cell longer than MAX_CELL_CHARS comes back MAX_CELL_CHARS + 1 characters long, so validation
    reports it on its row and column without the rows holding the whole text.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        return text[: MAX_CELL_CHARS + 1]
    return unquote_formula(text.strip())


def _bad_row(row: int) -> ImportFileError:
    return ImportFileError(_("Row %(row)d could not be read; check the file's format.") % {"row": row})


def _too_wide(row: int) -> ImportFileError:
    return ImportFileError(
        _("Row %(row)d has a value beyond column %(max)d; a file may have at most %(max)d columns.")
        % {"row": row, "max": MAX_COLUMNS}
    )


def _too_long() -> ImportFileError:
    return ImportFileError(
        _("A file may hold at most %(max)d rows after the header, blank rows included.") % {"max": MAX_ROWS}
    )


def _csv_table(raw: bytes, encoding: str) -> Iterator[list[str]]:
    """Rows of a CSV file decoded as it is read (a decoding error surfaces while iterating)."""
    text = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, newline="")
    row = 1

    def lines() -> Iterator[str]:
        for line in text:
            if "\x00" in line:
                raise ImportFileError(_("The file is not a text CSV file."))
            if len(line) > _CSV_MAX_LINE_CHARS:  # e.g. a line of commas: csv would build millions of fields
                raise _too_wide(row)
            yield line

    reader = csv.reader(lines())
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:  # an over-long field (an unclosed quote swallows the file) or a stray line break
            raise _bad_row(row) from None
        if len(values) > MAX_COLUMNS:
            if any(v.strip() for v in itertools.islice(values, MAX_COLUMNS, None)):
                raise _too_wide(row)
            del values[MAX_COLUMNS:]
        yield [_cell_text(v) for v in values]
        row += 1


# The XLSX package (ECMA-376 part 2): relationships locate the workbook, its first sheet and its strings.
_REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _xml_parser(
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> xml.parsers.expat.XMLParserType:
    """An expat parser that reports local element names and refuses DTDs (so no entity expansion)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def refuse(*args: Any) -> None:
        raise ImportFileError(_("The file is not a readable XLSX workbook."))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.buffer_text = True
    if start:
        parser.StartElementHandler = lambda name, attrs: start(name.rpartition("}")[2], attrs)
    if end:
        parser.EndElementHandler = lambda name: end(name.rpartition("}")[2])
    if text:
        parser.CharacterDataHandler = text
    return parser


def _parse_member(archive: zipfile.ZipFile, name: str, parser: xml.parsers.expat.XMLParserType) -> None:
    with archive.open(name) as fh:
        while chunk := fh.read(_XML_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _small_part(archive: zipfile.ZipFile, name: str) -> list[tuple[str, dict[str, str]]]:
    """Every element (local name, attributes) of a small index part, read whole."""
    if archive.getinfo(name).file_size > XLSX_MAX_PART_BYTES:
        raise ImportFileError(_("The workbook's structure is too large to be a service list."))
    elements: list[tuple[str, dict[str, str]]] = []
    _parse_member(archive, name, _xml_parser(start=lambda tag, attrs: elements.append((tag, attrs))))
    return elements


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, package path of the target) for the part's relationships ("" is the package)."""
    folder, _sep, name = part.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if rels not in archive.NameToInfo:
        return {}
    found = {}
    for tag, attrs in _small_part(archive, rels):
        if tag != "Relationship" or attrs.get("TargetMode") == "External":
            continue
        target = attrs.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)
    return found


def _xlsx_locate(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    """The package paths of the first worksheet and of the shared strings (if any)."""
    package = _relationships(archive, "")
    workbook = next((path for kind, path in package.values() if kind.endswith("/officeDocument")), None)
    if workbook is None or workbook not in archive.NameToInfo:
        raise ImportFileError(_("The file is not a readable XLSX workbook."))
    rels = _relationships(archive, workbook)
    sheet = None
    for tag, attrs in _small_part(archive, workbook):
        if tag == "sheet":
            rel_id = attrs.get(_REL_TYPES[:-1] + "}id", "")
            kind, path = rels.get(rel_id, ("", ""))
            if kind == _REL_TYPES + "worksheet" and path in archive.NameToInfo:
                sheet = path
                break
    if sheet is None:
        raise ImportFileError(_("The workbook has no worksheet."))
    strings = next((path for kind, path in rels.values() if kind == _REL_TYPES + "sharedStrings"), None)
    if strings is not None and strings not in archive.NameToInfo:
        strings = None
    return sheet, strings


class _TextCollector:
    """Collects the text of <t> elements (not of phonetic runs) up to just past the cell limit."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.capturing = False
        self.phonetic = 0

    def reset(self) -> None:
        self.parts, self.size, self.capturing = [], 0, False

    def text(self, data: str) -> None:
        if self.capturing and not self.phonetic and self.size <= MAX_CELL_CHARS:
            self.parts.append(data)
            self.size += len(data)

    def value(self) -> str:
        return "".join(self.parts)


def _xlsx_shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    """The shared-string table, each string already turned into import text (done once, not per cell)."""
    if archive.getinfo(name).file_size > XLSX_MAX_SHARED_STRINGS_BYTES:
        raise ImportFileError(
            _("The workbook's text is larger than %(max)d MB unpacked.")
            % {"max": XLSX_MAX_SHARED_STRINGS_BYTES // 2**20}
        )
    strings: list[str] = []
    collected = _TextCollector()

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "si":
            collected.reset()
        elif tag == "t":
            collected.capturing = True
        elif tag == "rPh":
            collected.phonetic += 1

    def end(tag: str) -> None:
        if tag == "t":
            collected.capturing = False
        elif tag == "rPh":
            collected.phonetic -= 1
        elif tag == "si":
            if len(strings) >= MAX_CELLS:
                raise ImportFileError(_("The workbook holds too many cells to be a service list."))
            strings.append(_cell_text(collected.value()))

    _parse_member(archive, name, _xml_parser(start, end, collected.text))
    return strings


def _xlsx_number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)  # "1e400" -> inf: reported by validation as a bad number, with its cell
    except ValueError:
        return text


class _SheetReader:
    """Streams one worksheet's <sheetData>: keeps only the row being read and the rows not yet taken."""

    def __init__(self, strings: list[str]) -> None:
        self.strings = strings
        self.rows: list[list[str]] = []
        self.done = False
        self.in_data = False
        self.row_no = 0  # spreadsheet number of the last row started
        self.values: list[str] = []
        self.column = 0  # column number of the last cell seen in the row
        self.cells = 0
        self.cell_type = ""
        self.collected = _TextCollector()

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.done:
            return
        if tag == "sheetData":
            self.in_data = True
        elif not self.in_data:
            return
        elif tag == "row":
            number = int(attrs["r"]) if "r" in attrs else self.row_no + 1
            if number <= self.row_no:
                raise _bad_row(number)
            if number > MAX_ROWS + 1:
                raise _too_long()
            for _gap in range(self.row_no + 1, number):  # rows absent from the file are blank rows
                self.rows.append([])
            self.row_no, self.values, self.column = number, [], 0
        elif tag == "c":
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise ImportFileError(_("The workbook holds too many cells to be a service list."))
            ref = attrs.get("r")
            column = _column_number(ref) if ref else self.column + 1
            if column <= self.column:
                raise _bad_row(self.row_no)
            self.column, self.cell_type = column, attrs.get("t", "n")
            self.collected.reset()
        elif tag in ("v", "t"):
            self.collected.capturing = True
        elif tag == "rPh":
            self.collected.phonetic += 1

    def end(self, tag: str) -> None:
        if self.done or not self.in_data:
            return
        if tag in ("v", "t"):
            self.collected.capturing = False
        elif tag == "rPh":
            self.collected.phonetic -= 1
        elif tag == "c":
            value = self._cell_value()
            if value:
                if self.column > MAX_COLUMNS:
                    raise _too_wide(self.row_no)
                self.values.extend([""] * (self.column - 1 - len(self.values)))
                self.values.append(value)
        elif tag == "row":
            self.rows.append(self.values)
        elif tag == "sheetData":
            self.done = True

    def _cell_value(self) -> str:
        raw, kind = self.collected.value(), self.cell_type
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                raise _bad_row(self.row_no) from None
        if kind == "n":
            return _cell_text(_xlsx_number(raw.strip()) if len(raw) <= MAX_CELL_CHARS else raw)
        if kind == "b":
            return {"1": "TRUE", "0": "FALSE"}.get(raw.strip(), _cell_text(raw))
        return _cell_text(raw)  # inlineStr, str (a formula's cached text), e (an error such as #N/A), d


def _column_number(ref: str) -> int:
    """1 for "A1", 27 for "AA7"; anything that is not a cell reference is a malformed file."""
    number = 0
    for char in ref:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif char.isdigit() and number:
            return number
        else:
            break
        if number > 16_384:  # XFD, the last column a workbook can have
            break
    raise ImportFileError(_("The file is not a readable XLSX workbook."))


def _xlsx_table(raw: bytes) -> Iterator[list[str]]:
    """Rows of the first worksheet, streamed after the package's unpacked sizes are checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from None
    with archive:
        members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        if len(members) > XLSX_MAX_MEMBERS or unpacked > XLSX_MAX_UNPACKED_BYTES:
            raise ImportFileError(
                _("The workbook is larger than %(max)d MB unpacked.") % {"max": XLSX_MAX_UNPACKED_BYTES // 2**20}
            )
        sheet_name, strings_name = _xlsx_locate(archive)
        strings = _xlsx_shared_strings(archive, strings_name) if strings_name else []
        reader = _SheetReader(strings)
        parser = _xml_parser(reader.start, reader.end, reader.collected.text)
        with archive.open(sheet_name) as fh:
            while not reader.done:
                chunk = fh.read(_XML_CHUNK)
                parser.Parse(chunk, not chunk)
                yield from reader.rows
                reader.rows.clear()
                if not chunk:
                    break


def _collect(table: Iterator[list[str]]) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (blank rows kept as {} so numbering matches the spreadsheet), within the limits."""
    deadline = time.monotonic() + READ_SECONDS
    try:
        header = [h.lower() for h in next(table)]
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    while header and not header[-1]:
        header.pop()
    rows: list[dict[str, str]] = []
    has_data = False
    for cells in table:
        if len(rows) >= MAX_ROWS:  # blank rows count: a file of empty lines is bounded too
            raise _too_long()
        if time.monotonic() > deadline:
            raise ImportFileError(_("Reading the file took too long; split it into smaller files."))
        if not any(cells):
            rows.append({})
            continue
        has_data = True
        rows.append({name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)})
    if not has_data:
        raise ImportFileError(_("The file has no rows to import."))
    return header, rows


def read_rows(fileobj: IO[bytes], fmt: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header (normalised column names) and the data rows of a CSV or XLSX file; blank rows are kept as {}.

    Raises ImportFileError with a message a person can act on for a file that cannot be read or is
    outside the limits; bad values inside readable cells are left to `validate_rows`.
    """
    raw = fileobj.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than %(max)d MB.") % {"max": MAX_FILE_BYTES // 2**20})
    if fmt == "csv":
        # Excel and WPS on Chinese Windows save CSV as GB18030 unless told otherwise.
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return _collect(_csv_table(raw, encoding))
            except UnicodeDecodeError:
                continue
        raise ImportFileError(_("The file is neither UTF-8 nor GB18030 text."))
    if fmt == "xlsx":
        try:
            return _collect(_xlsx_table(raw))
        except ImportFileError:
            raise
        except (xml.parsers.expat.ExpatError, zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError):
            raise ImportFileError(_("The file is not a readable XLSX workbook.")) from None
        except RuntimeError:  # an encrypted member
            raise ImportFileError(_("The file is not a readable XLSX workbook.")) from None
    raise ImportFileError(_("Unsupported file format."))


# --- validating ---------------------------------------------------------------------------------


def _shown(value: str, limit: int = 60) -> str:
    """A user's value quoted in a message, cut so that stored messages stay small."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _check_header(header: list[str]) -> list[RowError]:
    errors = []
    for name in header:
        if name not in EXPORT_COLUMNS:
            errors.append(RowError(1, _shown(name) or "?", _("Unknown column.")))
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
    """Turn rows into unsaved Service objects and collect every row error; writes nothing.

    Every problem is reported on its row and column; the result keeps the first MAX_STORED_ERRORS
    and counts all of them.
    """
    result = ValidationResult()
    result.add_errors(_check_header(header))
    if not result.ok:
        return result
    categories = {c.slug: c for c in ServiceCategory.objects.all()}
    fields_by_slug = {f.slug: f for f in IndustryField.objects.all()}
    existing = {
        s.slug: s for s in Service.objects.filter(provider=provider).only("pk", "slug", "published_at", "updated_at")
    }
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

        too_long = [name for name, value in row.items() if len(value) > MAX_CELL_CHARS]
        if too_long:  # cut when read: the other checks would judge a fragment
            for name in too_long:
                err(name, _("Longer than %(max)d characters.") % {"max": MAX_CELL_CHARS})
            result.add_errors(errors)
            continue

        category = categories.get(row.get("category", ""))
        if category is None:
            err("category", _("Unknown category “%(value)s”.") % {"value": _shown(row.get("category", ""))})
        industry_field = None
        if row.get("field"):
            industry_field = fields_by_slug.get(row["field"])
            if industry_field is None:
                err("field", _("Unknown industry field “%(value)s”.") % {"value": _shown(row["field"])})
        pricing_mode = row.get("pricing_mode", "")
        if pricing_mode not in pricing_modes:
            err("pricing_mode", _("Use one of: %(values)s.") % {"values": ", ".join(sorted(pricing_modes))})
        price: Decimal | None = None
        if row.get("price"):
            price, problem = _parse_price(row["price"])
            if problem:
                err("price", problem)
        needs_price = pricing_mode in pricing_modes and pricing_mode != Service.PricingMode.QUOTE_ONLY
        if price is None and needs_price and not any(e.column == "price" for e in errors):
            err("price", _("A price is required unless the service is on quotation."))
        turnaround = 0
        raw_turnaround = row.get("turnaround_days", "")
        if not raw_turnaround.isdecimal():  # digits only (full-width ones too): no sign, point or exponent
            err("turnaround_days", _("Enter a whole number of working days."))
        elif len(raw_turnaround) > 6 or not 1 <= int(raw_turnaround) <= 365:
            err("turnaround_days", _("Turnaround must be between 1 and 365 working days."))
        else:
            turnaround = int(raw_turnaround)
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
            result.add_errors(errors)
        else:
            result.services.append(service)
            exported = _exported_at(row.get(CHANGED_AT, ""))
            if previous and exported and previous.updated_at.replace(microsecond=0) > exported:
                result.add_stale(StaleRow(line, slug, exported, previous.updated_at))
            if previous:
                result.to_update += 1
            else:
                result.to_create += 1
    if progress:
        progress(total, total)
    return result


def _exported_at(text: str) -> datetime | None:
    """The export's `updated_at` cell (ISO 8601 with offset; a spreadsheet may have dropped the `T`), or None."""
    try:
        value = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _parse_price(text: str) -> tuple[Decimal | None, str]:
    """A price cell as (amount, problem): NaN, infinities, too many digits and negatives are problems."""
    cleaned = text.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    try:
        price = Decimal(cleaned)
    except InvalidOperation:
        return None, _("Not a number.")
    if not price.is_finite():
        return None, _("Not a number.")
    if price < 0:
        return None, _("The price cannot be negative.")
    if price >= PRICE_LIMIT:
        return None, _("The price must be less than %(max)s.") % {"max": f"{PRICE_LIMIT:,}"}
    if price != price.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        return None, _("Use at most two decimal places.")
    return price, ""


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
    # Text from providers could be read as a formula by whoever opens the file: guard it.
    return [quote_formula(values[c]) for c in COLUMNS] + [
        timezone.localtime(service.updated_at).isoformat(timespec="seconds")
    ]


def export_services(services: Iterable[Service], fmt: str) -> bytes:
    """The services as a CSV (UTF-8 with BOM, so Excel shows Chinese) or XLSX file that the import accepts.

    Every cell is text; one that a spreadsheet would take for a formula gets a leading quote, which
    the import removes again.
    """
    rows = [_export_row(s) for s in services]
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "services"
        sheet.append(list(EXPORT_COLUMNS))
        for row in rows:
            # XML cannot hold most control characters (openpyxl raises); a pasted \x0b must not break the export.
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(fmt)
