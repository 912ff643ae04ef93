"""Issue 13: the hostile spreadsheet through a real Celery worker (queue "imports", production limits).

The landed product's worker spent 13 minutes on a 1.9 KB workbook declaring `A1:XFD1048576`, and an import
uploaded after it waited the whole time. Here the worker ends it with a clear message in seconds and the
next import is checked right after.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import ServiceImport
from catalog.services import service_import_start
from tests.catalog import hostile_files as hf
from tests.catalog.test_import import _csv, _row
from tests.celery_support import celery_broker, run_with_timeout
from tests.worker_harness import REDIS_URL

pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (scripts/test.sh starts Redis)"),
    pytest.mark.django_db(transaction=True),  # the worker is another process: it sees committed data only
    pytest.mark.xdist_group("celery-worker"),
]


def _upload(member, provider, name: str, content: bytes) -> ServiceImport:
    return service_import_start(actor=member, provider=provider, upload=SimpleUploadedFile(name, content))


def _finished(job: ServiceImport) -> bool:
    job.refresh_from_db()
    return not job.is_running


def test_a_workbook_declaring_every_cell_ends_with_a_message_and_the_next_import_runs(
    worker, member, provider, category
):
    content = hf.declared_corner_xlsx()
    assert len(content) < 4096
    started = time.monotonic()
    with celery_broker(worker.broker_url, eager=False):
        hostile = _upload(member, provider, "services.xlsx", content)  # commits; the nudge queues the dry run
        normal = _upload(member, provider, "services.csv", _csv([_row(1)]))
    assert run_with_timeout(lambda: _finished(hostile) and _finished(normal), 30), worker.log()
    assert time.monotonic() - started < 30
    assert hostile.status == ServiceImport.Status.INVALID
    assert "20000" in hostile.message  # "at most 20000 rows after the header", in the uploader's language
    assert normal.status == ServiceImport.Status.VALID, normal.message
    assert normal.to_create == 1
