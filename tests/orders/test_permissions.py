"""Every order URL × every kind of visitor: parties see their deal, everyone else gets a 404 (or the login page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders import services
from orders.models import Attachment, Order
from tests.orders.conftest import Deal, order_in_state, request_quote, send_quote

ROLES = ["buyer", "other_sme", "provider", "other_provider", "anonymous", "operator", "staff"]
PARTIES = {"buyer": 200, "provider": 200, "operator": 200}
# What each visitor gets on a page of someone's deal; anonymous visitors are sent to sign in.
READ = {**PARTIES, "other_sme": 404, "other_provider": 404, "staff": 404, "anonymous": 302}
# The conversation and its files belong to the two parties only, not to operators.
PRIVATE = {"buyer": 200, "provider": 200, "operator": 404, "other_sme": 404, "other_provider": 404, "staff": 404}
PRIVATE["anonymous"] = 302


def _login(client, deal: Deal, role: str) -> None:
    users = {
        "buyer": deal.buyer_user,
        "other_sme": deal.other_sme_user,
        "provider": deal.provider_user,
        "other_provider": deal.other_provider_user,
        "operator": deal.operator_user,
        "staff": deal.staff_user,
    }
    if role != "anonymous":
        client.force_login(users[role])


@pytest.fixture
def objects(deal):
    order = order_in_state(deal, Order.Status.REPORT_ISSUED)
    quote_request = request_quote(
        deal, attachments=[SimpleUploadedFile("drawing.pdf", b"%PDF-1.4 drawing", content_type="application/pdf")]
    )
    quote = send_quote(deal, quote_request)
    attachment = Attachment.objects.get(thread=quote_request.thread)
    return {"order": order, "quote_request": quote_request, "quote": quote, "attachment": attachment}


def _urls(objects) -> dict[str, str]:
    order, qr = objects["order"], objects["quote_request"]
    return {
        "order-detail": reverse("orders:order-detail", args=[order.number]),
        "report-download": reverse("orders:report-download", args=[order.number]),
        "quote-request-detail": reverse("orders:quote-request-detail", args=[qr.number]),
        "quote-pdf": reverse("orders:quote-pdf", args=[objects["quote"].pk]),
        "attachment-download": reverse("orders:attachment-download", args=[objects["attachment"].pk]),
    }


EXPECTED_GET = {
    "order-detail": READ,
    "report-download": READ,
    "quote-request-detail": READ,
    "quote-pdf": READ,
    "attachment-download": PRIVATE,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(EXPECTED_GET))
def test_get_permission_matrix(client, deal, objects, name, role):
    _login(client, deal, role)
    response = client.get(_urls(objects)[name])
    assert response.status_code == EXPECTED_GET[name][role]
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]


# POST: parties get a redirect back to the page (with a success or a refusal message); strangers a 404.
COMPLETE_RESULT = {"buyer": "completed", "provider": "report_issued", "operator": "report_issued"}


@pytest.mark.parametrize("role", ROLES)
def test_post_transition_matrix(client, deal, objects, role):
    order = objects["order"]
    _login(client, deal, role)
    response = client.post(reverse("orders:order-transition", args=[order.number, "complete"]))
    order.refresh_from_db()
    assert response.status_code == (READ[role] if READ[role] != 200 else 302)
    assert order.status == COMPLETE_RESULT.get(role, "report_issued")


@pytest.mark.parametrize("role", ROLES)
def test_post_accept_matrix(client, deal, objects, role):
    quote = objects["quote"]
    _login(client, deal, role)
    response = client.post(reverse("orders:quote-accept", args=[quote.pk]))
    assert response.status_code == (READ[role] if READ[role] != 200 else 302)
    assert Order.objects.filter(quote=quote).exists() == (role == "buyer")


@pytest.mark.parametrize("role", ROLES)
def test_post_message_matrix(client, deal, objects, role):
    thread = objects["quote_request"].thread
    _login(client, deal, role)
    response = client.post(reverse("orders:message-send", args=[thread.pk]), {"body": "样品何时寄出？"})
    assert response.status_code == (302 if PRIVATE[role] == 200 else PRIVATE[role])
    assert thread.messages.exists() == (role in ("buyer", "provider"))


@pytest.mark.parametrize("role", ["buyer", "provider", "other_sme", "other_provider", "operator", "staff"])
def test_lists_show_only_own_orders(client, deal, objects, role):
    _login(client, deal, role)
    number = objects["order"].number
    mine = client.get(reverse("orders:order-list"))
    incoming = client.get(reverse("orders:incoming"))
    assert mine.status_code == incoming.status_code == 200
    assert (number in mine.content.decode()) == (role == "buyer")
    assert (number in incoming.content.decode()) == (role == "provider")


def test_unknown_verb_is_404(client, deal, objects):
    client.force_login(deal.provider_user)
    url = reverse("orders:order-transition", args=[objects["order"].number, "teleport"])
    assert client.post(url).status_code == 404


def test_refused_transition_shows_message_and_changes_nothing(client, deal):
    order = order_in_state(deal, Order.Status.PAID)
    client.force_login(deal.buyer_user)
    response = client.post(reverse("orders:order-transition", args=[order.number, "cancel"]), follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert "Only the provider" in response.content.decode() or "只有" in response.content.decode()


def test_report_download_streams_the_private_file(client, deal):
    order = order_in_state(deal, Order.Status.REPORT_ISSUED)
    client.force_login(deal.buyer_user)
    response = client.get(reverse("orders:report-download", args=[order.number]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    # Stored outside the public media folder: no URL but this permission-checked view reaches it.
    assert not Path(order.report.file.path).is_relative_to(settings.MEDIA_ROOT)
    assert Path(order.report.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)


def test_direct_order_via_form(client, deal):
    client.force_login(deal.buyer_user)
    response = client.post(
        reverse("orders:order-create", args=[deal.service.pk]), {"buyer": deal.buyer_org.pk, "quantity": 3}
    )
    order = Order.objects.get(buyer=deal.buyer_org)
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert str(order.total) == "954.00"  # 3 × 300.00 + 6 % VAT


def test_direct_order_bad_quantity_is_a_field_error(client, deal):
    client.force_login(deal.buyer_user)
    response = client.post(
        reverse("orders:order-create", args=[deal.service.pk]), {"buyer": deal.buyer_org.pk, "quantity": "-1"}
    )
    assert response.status_code == 200
    assert not Order.objects.exists()


def test_provider_member_cannot_order(client, deal):
    client.force_login(deal.provider_user)
    response = client.get(reverse("orders:order-create", args=[deal.service.pk]))
    assert response.status_code == 403


def test_quote_flow_through_pages(client, deal):
    client.force_login(deal.buyer_user)
    url = reverse("orders:quote-request-create", args=[deal.quote_service.pk])
    upload = SimpleUploadedFile("spec.pdf", b"%PDF-1.4 spec", content_type="application/pdf")
    response = client.post(
        url,
        {
            "buyer": deal.buyer_org.pk,
            "quantity": 4,
            "sample_description": "铝合金型材 4 件",
            "standards": "GB/T 228.1",
            "attachments": [upload],
        },
    )
    assert response.status_code == 302
    qr = services.QuoteRequest.objects.get(buyer=deal.buyer_org)
    assert qr.thread.attachments.count() == 1
    client.force_login(deal.provider_user)
    response = client.post(
        reverse("orders:quote-create", args=[qr.number]),
        {
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "50",
            "lines-0-description": "拉伸试验",
            "lines-0-quantity": "4",
            "lines-0-unit": "件",
            "lines-0-unit_price": "250.00",
            "lines-1-description": "报告加急",
            "lines-1-quantity": "1",
            "lines-1-unit": "",
            "lines-1-unit_price": "100.00",
            "vat_rate_percent": "6",
            "valid_until": "2099-01-01",
            "turnaround_days": "5",
            "terms": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    quote = qr.quotes.get()
    assert (quote.subtotal, quote.vat_amount, quote.total) == (1100, 66, 1166)
    client.force_login(deal.buyer_user)
    response = client.post(reverse("orders:quote-accept", args=[quote.pk]))
    order = Order.objects.get(quote=quote)
    assert response["Location"] == order.get_absolute_url()
    page = client.get(order.get_absolute_url()).content.decode()
    assert order.number in page and "¥1,166" in page


def _post_urls(objects) -> dict[str, tuple[str, dict]]:
    order, qr, quote = objects["order"], objects["quote_request"], objects["quote"]
    return {
        "order-shipping": (
            reverse("orders:order-shipping", args=[order.number]),
            {"shipping_method": "courier", "tracking_number": "SF1"},
        ),
        "order-issue-report": (reverse("orders:order-issue-report", args=[order.number]), {"report_number": "X-1"}),
        "review-create": (reverse("orders:review-create", args=[order.number]), {"rating": "5"}),
        "order-cancel": (reverse("orders:order-transition", args=[order.number, "cancel"]), {"reason": "x"}),
        "quote-create": (reverse("orders:quote-create", args=[qr.number]), {}),
        "quote-request-decline": (reverse("orders:quote-request-decline", args=[qr.number]), {"reason": "x"}),
        "quote-decline": (reverse("orders:quote-decline", args=[quote.pk]), {"reason": "x"}),
    }


# Strangers cannot even learn that the deal exists; anonymous visitors are asked to sign in first.
STRANGERS = {"other_sme": 404, "other_provider": 404, "staff": 404, "anonymous": 302}


@pytest.mark.parametrize("role", list(STRANGERS))
@pytest.mark.parametrize("name", ["order-shipping", "order-issue-report", "review-create", "order-cancel",
                                  "quote-create", "quote-request-decline", "quote-decline"])  # fmt: skip
def test_strangers_change_nothing_on_any_post(client, deal, objects, name, role):
    _login(client, deal, role)
    url, data = _post_urls(objects)[name]
    before = (Order.objects.get(pk=objects["order"].pk).updated_at, objects["quote_request"].quotes.count())
    response = client.post(url, data)
    assert response.status_code == STRANGERS[role]
    objects["quote_request"].refresh_from_db()
    assert objects["quote_request"].status == "quoted"
    assert (Order.objects.get(pk=objects["order"].pk).updated_at, objects["quote_request"].quotes.count()) == before


def test_buyer_cannot_open_the_quote_form(client, deal, objects):
    client.force_login(deal.buyer_user)
    assert client.get(reverse("orders:quote-create", args=[objects["quote_request"].number])).status_code == 403
