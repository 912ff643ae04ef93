"""Fapiao: the buyer asks with its invoice details, the provider uploads the issued PDF, only the parties see it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from marketplace.exceptions import TransitionNotAllowed
from orders.models import FapiaoRequest
from orders.payments import services as pay
from tests.orders.conftest import pdf_upload, place_order

DETAILS = {
    "kind": "general",
    "title": "宁波测试企业有限公司",
    "taxpayer_id": "91330200MA0000001X",
    "address_phone": "",
    "bank_account": "",
    "email": "finance@example.cn",
}


def test_request_issue_and_download(client, deal):
    order = place_order(deal)
    pay.fapiao_request(actor=deal.buyer_user, order_id=order.pk, data=DETAILS)
    with pytest.raises(PermissionDenied):
        pay.fapiao_issue(actor=deal.buyer_user, order_id=order.pk, upload=pdf_upload("fp.pdf"))
    pay.fapiao_issue(actor=deal.provider_user, order_id=order.pk, upload=pdf_upload("fp.pdf"))
    assert FapiaoRequest.objects.get(order=order).issued_at is not None
    with pytest.raises(TransitionNotAllowed):
        pay.fapiao_request(actor=deal.buyer_user, order_id=order.pk, data=DETAILS)  # issued: no more changes
    url = reverse("orders:fapiao-download", args=[order.number])
    client.force_login(deal.buyer_user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(deal.other_sme_user)
    assert client.get(url).status_code == 404


def test_special_invoice_needs_bank_details_and_a_valid_taxpayer_id(deal):
    order = place_order(deal)
    with pytest.raises(ValidationError) as missing:
        pay.fapiao_request(actor=deal.buyer_user, order_id=order.pk, data={**DETAILS, "kind": "special"})
    assert "bank_account" in missing.value.message_dict
    with pytest.raises(ValidationError) as bad:
        pay.fapiao_request(actor=deal.buyer_user, order_id=order.pk, data={**DETAILS, "taxpayer_id": "12"})
    assert "taxpayer_id" in bad.value.message_dict
    assert not FapiaoRequest.objects.exists()


def test_issuing_needs_a_request_and_a_pdf(deal):
    order = place_order(deal)
    with pytest.raises(TransitionNotAllowed):
        pay.fapiao_issue(actor=deal.provider_user, order_id=order.pk, upload=pdf_upload())
    pay.fapiao_request(actor=deal.buyer_user, order_id=order.pk, data=DETAILS)
    with pytest.raises(ValidationError):
        pay.fapiao_issue(actor=deal.provider_user, order_id=order.pk, upload=pdf_upload("fp.pdf", b"not a pdf"))
    assert FapiaoRequest.objects.get(order=order).issued_at is None
