import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import translation
from openpyxl import Workbook

from catalog import importing
from catalog.models import Provider, Service, ServiceCategory, ServiceImport
from catalog.selectors import service_import_progress
from catalog.services import TransitionNotAllowed, service_import_commit, service_import_start
from catalog.signals import services_bulk_changed
from tests.factories import IndustryFieldFactory, MembershipFactory, ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db

HEADER = ["slug", "title_zh", "title_en", "category", "summary_zh", "pricing_mode", "price", "price_unit",
          "turnaround_days", "standards", "status"]  # fmt: skip


def _row(n, **overrides):
    row = {
        "slug": f"tensile-{n}",
        "title_zh": f"拉伸试验{n}",
        "title_en": f"Tensile test {n}",
        "category": "mechanical-testing",
        "summary_zh": "室温拉伸。",
        "pricing_mode": "per_unit",
        "price": "300",
        "price_unit": "试样",
        "turnaround_days": "3",
        "standards": "GB/T 228.1-2021; ISO 6892-1",
        "status": "published",
    }
    row.update(overrides)
    return row


def _csv(rows, header=HEADER, encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _xlsx(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([row.get(h, "") for h in header])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _start(member, provider, content, name="services.csv", capture=None):
    with capture(execute=True):
        job = service_import_start(actor=member, provider=provider, upload=SimpleUploadedFile(name, content))
    job.refresh_from_db()
    return job


def _commit(member, job, capture):
    with capture(execute=True):
        service_import_commit(actor=member, service_import=job)
    job.refresh_from_db()
    return job


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Unknown category “no-such-category”."), ("zh-hans", "不存在的服务类别“no-such-category”。")],
)
def test_row_errors_are_written_in_the_language_of_the_page_the_file_came_from(
    member, provider, category, django_capture_on_commit_callbacks, language, message
):
    with translation.override(language):  # the upload view runs in the page's language
        job = _start(
            member, provider, _csv([_row(1, category="no-such-category")]), capture=django_capture_on_commit_callbacks
        )
    assert job.language == language
    assert [e["message"] for e in job.row_errors] == [message]


def test_dry_run_lists_every_row_error_and_writes_nothing(
    member, provider, category, django_capture_on_commit_callbacks
):
    rows = [
        _row(1),
        _row(2, price="-5"),
        _row(3, category="no-such-category", turnaround_days="zero"),
        _row(4, slug="tensile-1"),
        _row(5, pricing_mode="fixed", price=""),
    ]
    job = _start(member, provider, _csv(rows), capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.INVALID
    found = {(e["row"], e["column"]) for e in job.row_errors}
    assert found == {(3, "price"), (4, "category"), (4, "turnaround_days"), (5, "slug"), (6, "price")}
    assert all(e["message"] for e in job.row_errors)
    assert not Service.objects.exists()
    with pytest.raises(TransitionNotAllowed):
        service_import_commit(actor=member, service_import=job)
    assert not Service.objects.exists()


def test_unknown_and_missing_columns_are_reported_on_row_one(member, provider, category):
    header, rows = importing.read_rows(io.BytesIO(_csv([_row(1)], header=["title_zh", "colour"])), "csv")
    result = importing.validate_rows(provider, header, rows)
    assert (1, "colour") in {(e.row, e.column) for e in result.errors}
    assert {"category", "pricing_mode", "turnaround_days"} <= {e.column for e in result.errors if e.row == 1}


def test_valid_csv_is_imported_after_confirmation_and_listeners_hear_of_it(
    member, provider, category, django_capture_on_commit_callbacks
):
    field = IndustryFieldFactory(slug="power-equipment")
    heard = []

    def listener(sender, service_ids, **kwargs):
        heard.extend(service_ids)

    services_bulk_changed.connect(listener)
    try:
        rows = [_row(n, **({"field": field.slug} if n == 0 else {})) for n in range(3)]
        header = [*HEADER, "field"]
        job = _start(member, provider, _csv(rows, header=header), capture=django_capture_on_commit_callbacks)
        assert job.status == ServiceImport.Status.VALID
        assert (job.to_create, job.to_update, job.total_rows) == (3, 0, 3)
        assert not Service.objects.exists()  # the dry run wrote nothing
        job = _commit(member, job, django_capture_on_commit_callbacks)
    finally:
        services_bulk_changed.disconnect(listener)
    assert job.status == ServiceImport.Status.DONE
    services = Service.objects.filter(provider=provider).order_by("slug")
    assert [s.slug for s in services] == ["tensile-0", "tensile-1", "tensile-2"]
    assert sorted(heard) == sorted(s.pk for s in services)
    first = services[0]
    assert first.field == field
    assert first.standards == ["GB/T 228.1-2021", "ISO 6892-1"]
    assert first.price == Decimal("300")
    assert first.created_by == member
    assert first.published_at is not None
    assert Service.objects.public().count() == 3
    assert service_import_progress(job)["percent"] == 100


def test_xlsx_file_is_imported(member, provider, category, django_capture_on_commit_callbacks):
    rows = [_row(1, price=450.5), _row(2, pricing_mode="quote_only", price="", price_unit="")]
    job = _start(member, provider, _xlsx(rows), name="services.xlsx", capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.VALID, job.row_errors
    job = _commit(member, job, django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.DONE
    assert Service.objects.get(slug="tensile-1").price == Decimal("450.50")
    assert Service.objects.get(slug="tensile-2").price is None


def test_xlsx_row_errors_carry_spreadsheet_row_numbers(member, provider, category, django_capture_on_commit_callbacks):
    rows = [_row(1), _row(2), _row(3, pricing_mode="per_kilo")]
    job = _start(member, provider, _xlsx(rows), name="s.xlsx", capture=django_capture_on_commit_callbacks)
    assert [(e["row"], e["column"]) for e in job.row_errors] == [(4, "pricing_mode")]


def test_gb18030_csv_from_chinese_excel_is_read(provider, category):
    header, rows = importing.read_rows(io.BytesIO(_csv([_row(1)], encoding="gb18030")), "csv")
    assert rows[0]["title_zh"] == "拉伸试验1"
    assert importing.validate_rows(provider, header, rows).ok


def test_published_rows_refused_for_unverified_provider(category):
    provider = ProviderFactory(verification=Provider.Verification.PENDING, verified_at=None)
    header, rows = importing.read_rows(io.BytesIO(_csv([_row(1), _row(2, status="draft")])), "csv")
    result = importing.validate_rows(provider, header, rows)
    assert [(e.row, e.column) for e in result.errors] == [(2, "status")]


def test_commit_rechecks_and_imports_nothing_when_catalog_changed(member, provider, django_capture_on_commit_callbacks):
    category = ServiceCategory.objects.create(slug="mechanical-testing", name_zh="力学", name_en="Mechanical")
    job = _start(member, provider, _csv([_row(1), _row(2)]), capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.VALID
    category.slug = "renamed"
    category.save()
    job = _commit(member, job, django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.INVALID
    assert {e["column"] for e in job.row_errors} == {"category"}
    assert not Service.objects.exists()


def test_one_row_refused_by_the_database_rolls_back_the_whole_write(provider, category):
    header, rows = importing.read_rows(io.BytesIO(_csv([_row(n) for n in range(1200)])), "csv")
    result = importing.validate_rows(provider, header, rows)
    assert result.ok
    result.services[-1].price = Decimal("-1")  # slipped past validation: the database still refuses it
    with pytest.raises(IntegrityError):
        importing.write_services(provider, result.services, actor_id=None)
    assert not Service.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_old_export_warns_about_rows_changed_since(
    fmt, client, member, provider, category, django_capture_on_commit_callbacks
):
    ServiceFactory(provider=provider, category=category, slug="a-kept")
    edited = ServiceFactory(provider=provider, category=category, slug="b-edited", title_zh="旧标题")
    content = importing.export_services(Service.objects.filter(provider=provider).order_by("slug"), fmt)
    Service.objects.filter(pk=edited.pk).update(
        title_zh="平台上的新标题", updated_at=edited.updated_at + timedelta(hours=2)
    )

    job = _start(member, provider, content, name=f"old.{fmt}", capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.VALID  # a warning, not an error: the provider may import anyway
    assert job.stale_count == 1 and [(r["row"], r["slug"]) for r in job.stale_rows] == [(3, "b-edited")]

    client.force_login(member)
    with translation.override("en"):
        html = client.get(f"/en/catalog/dashboard/{provider.slug}/import/{job.pk}/").content.decode()
    assert "1 row was changed on the platform after this file was exported." in html
    assert "Import anyway" in html and "<code>b-edited</code>" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trip(fmt, member, provider, category, django_capture_on_commit_callbacks):
    field = IndustryFieldFactory(slug="textiles")
    ServiceFactory(provider=provider, category=category, field=field, slug="a-tensile", standards=["GB/T 228.1-2021"])
    ServiceFactory(
        provider=provider, category=category, slug="b-quote", pricing_mode="quote_only", price=None, price_unit=""
    )
    ServiceFactory(provider=provider, category=category, slug="c-draft", status="draft", published_at=None)
    ServiceFactory(
        provider=provider, category=category, slug="d-archived", status="archived", description_zh="多行\n描述"
    )
    columns = [c for c in importing.COLUMNS if c != "slug"]

    def snapshot(p):
        return sorted(
            [getattr(s, c) if c not in ("category", "field") else getattr(s, f"{c}_id") for c in columns]
            for s in Service.objects.filter(provider=p).order_by("slug")
        )

    content = importing.export_services(Service.objects.filter(provider=provider), fmt)

    # Re-importing into the same provider updates every row and changes nothing.
    before = snapshot(provider)
    job = _start(member, provider, content, name=f"export.{fmt}", capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.VALID, job.row_errors
    assert (job.to_create, job.to_update) == (0, 4)
    assert job.stale_rows == [] and job.stale_count == 0  # nothing changed since the export
    _commit(member, job, django_capture_on_commit_callbacks)
    assert snapshot(provider) == before

    # Importing into another provider recreates the same catalog.
    other = ProviderFactory()
    other_member = MembershipFactory(organization=other.organization).user
    job = _start(other_member, other, content, name=f"export.{fmt}", capture=django_capture_on_commit_callbacks)
    job = _commit(other_member, job, django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.DONE
    assert snapshot(other) == before


def test_wrong_file_type_is_refused(member, provider):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        service_import_start(actor=member, provider=provider, upload=SimpleUploadedFile("x.pdf", b"%PDF"))
    assert "file" in exc.value.message_dict
    assert not ServiceImport.objects.exists()


def test_corrupt_xlsx_is_reported_not_crashing(member, provider, django_capture_on_commit_callbacks):
    job = _start(member, provider, b"not a zip", name="broken.xlsx", capture=django_capture_on_commit_callbacks)
    assert job.status == ServiceImport.Status.INVALID
    assert job.message


def test_binary_file_named_csv_is_reported_not_crashing(member, provider, django_capture_on_commit_callbacks):
    job = _start(
        member, provider, b"PK\x03\x04\x00\x00binary", name="oops.csv", capture=django_capture_on_commit_callbacks
    )
    assert job.status == ServiceImport.Status.INVALID
    assert job.message
