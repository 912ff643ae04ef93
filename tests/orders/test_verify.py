"""Public report verification: the issued PDF matches, a changed byte does not, an unknown code is a 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders import services
from orders.models import Order, Report
from tests.orders.conftest import PDF_BYTES, order_in_state, pdf_upload


@pytest.fixture
def report(deal):
    return order_in_state(deal, Order.Status.REPORT_ISSUED).report


def _check(client, report, content: bytes):
    upload = SimpleUploadedFile("mine.pdf", content, content_type="application/pdf")
    return client.post(reverse("verify:code", args=[report.verification_code]), {"file": upload})


def test_page_shows_issuer_and_number_but_no_order_details(client, report):
    page = client.get(reverse("verify:code", args=[report.verification_code])).content.decode()
    assert report.report_number in page and report.provider.name in page
    assert report.order.number not in page
    assert report.order.buyer.name not in page


def test_issued_pdf_matches(client, report):
    response = _check(client, report, PDF_BYTES)
    assert response.status_code == 200
    assert response.context["match"] is True


def test_one_changed_byte_does_not_match(client, report):
    tampered = bytearray(PDF_BYTES)
    tampered[-3] ^= 0x01
    response = _check(client, report, bytes(tampered))
    assert response.context["match"] is False


def test_unknown_code_is_404(client, db):
    assert client.get(reverse("verify:code", args=["NOSUCHCODE"])).status_code == 404
    assert client.get(reverse("verify:start"), {"code": "NOSUCHCODE"}).status_code == 404


def test_code_form_forgives_case_and_spaces(client, report):
    code = report.verification_code
    response = client.get(reverse("verify:start"), {"code": f" {code[:5].lower()} {code[5:]} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify:code", args=[code])


def test_order_page_shows_code_and_qr(client, deal, report):
    client.force_login(deal.provider_user)
    page = client.get(report.order.get_absolute_url()).content.decode()
    assert report.verification_code in page
    assert "<svg" in page and reverse("verify:code", args=[report.verification_code]) in page


def test_code_is_reserved_when_work_starts_and_kept_by_the_report(client, deal):
    order = order_in_state(deal, Order.Status.IN_PROGRESS)
    assert order.verification_code
    client.force_login(deal.provider_user)
    assert order.verification_code in client.get(order.get_absolute_url()).content.decode()
    client.force_login(deal.buyer_user)  # the buyer sees the code once the report is issued
    assert order.verification_code not in client.get(order.get_absolute_url()).content.decode()
    services.order_issue_report(order_id=order.pk, actor=deal.provider_user, upload=pdf_upload(), report_number="R-1")
    assert Report.objects.get(order=order).verification_code == order.verification_code
