"""The parties of a deal and helpers that drive quotes and orders into a given state through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.organizations.models import Organization
from orders import services
from orders.models import Order, Quote, QuoteRequest
from orders.money import LineInput
from tests.factories import MembershipFactory, ProviderFactory, ServiceFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "report.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Deal:
    """Everyone around one provider and one buyer, plus outsiders on both sides."""

    buyer_org: Organization
    buyer_user: object
    provider: object
    provider_user: object
    other_sme_user: object
    other_provider_user: object
    operator_user: object
    staff_user: object
    service: object  # per unit, 300.00 CNY
    quote_service: object  # on quotation


@pytest.fixture
def deal(db) -> Deal:
    return make_deal()


def place_order(deal: Deal, quantity: int = 2) -> Order:
    return services.order_create_direct(
        actor=deal.buyer_user, buyer=deal.buyer_org, service=deal.service, quantity=quantity
    )


# The path an order takes from creation; each step is (verb, function that performs it).
def _step(deal: Deal, order: Order, verb: str) -> None:
    pk = order.pk
    if verb == "mark_paid":
        services.order_mark_paid(order_id=pk, actor=deal.provider_user, reference="bank transfer 20261123")
    elif verb == "receive_sample":
        services.order_receive_sample(order_id=pk, actor=deal.provider_user, condition="intact")
    elif verb == "start_work":
        services.order_start_work(order_id=pk, actor=deal.provider_user)
    elif verb == "issue_report":
        services.order_issue_report(order_id=pk, actor=deal.provider_user, upload=pdf_upload(), report_number=f"R-{pk}")
    elif verb == "complete":
        services.order_complete(order_id=pk, actor=deal.buyer_user)
    elif verb == "cancel":
        services.order_cancel(order_id=pk, actor=deal.provider_user, reason="test")
    elif verb == "refund":
        services.order_refund(order_id=pk, actor=deal.provider_user, amount=order.total)
    else:
        raise AssertionError(verb)


PATH_TO: dict[str, list[str]] = {
    Order.Status.PENDING_PAYMENT: [],
    Order.Status.PAID: ["mark_paid"],
    Order.Status.SAMPLE_RECEIVED: ["mark_paid", "receive_sample"],
    Order.Status.IN_PROGRESS: ["mark_paid", "receive_sample", "start_work"],
    Order.Status.REPORT_ISSUED: ["mark_paid", "receive_sample", "start_work", "issue_report"],
    Order.Status.COMPLETED: ["mark_paid", "receive_sample", "start_work", "issue_report", "complete"],
    Order.Status.CANCELLED: ["cancel"],
    Order.Status.REFUNDED: ["mark_paid", "refund"],
}


def order_in_state(deal: Deal, status: str) -> Order:
    """A direct order driven through the real services until it reaches `status`."""
    order = place_order(deal)
    for verb in PATH_TO[status]:
        _step(deal, order, verb)
    order.refresh_from_db()
    assert order.status == status
    return order


def send_quote(deal: Deal, request: QuoteRequest, *, valid_days: int = 14, price: str = "1000.00") -> Quote:
    terms = services.QuoteTerms(
        lines=[
            LineInput(
                description="拉伸试验 / Tensile test", quantity=Decimal("3"), unit_price=Decimal(price), unit="件"
            )
        ],
        valid_until=timezone.localdate() + timedelta(days=valid_days),
        turnaround_days=7,
        vat_rate=Decimal("0.06"),
        terms="样品检测后不退还。",
    )
    return services.quote_send(actor=deal.provider_user, request_id=request.pk, terms=terms)


def request_quote(deal: Deal, **extra) -> QuoteRequest:
    params = {
        "quantity": 3,
        "sample_description": "Q235 钢板试样 3 件",
        "standards": ["GB/T 228.1-2021"],
        "desired_date": timezone.localdate() + timedelta(days=20),
    }
    params.update(extra)
    return services.quote_request_create(
        actor=deal.buyer_user, buyer=deal.buyer_org, service=deal.quote_service, **params
    )


def make_deal() -> Deal:
    """The parties of the `deal` fixture, for fixtures wider than one test (e.g. one deal per module)."""
    buyer = MembershipFactory(organization__kind=Organization.Kind.ENTERPRISE)
    provider = ProviderFactory()
    provider_member = MembershipFactory(organization=provider.organization)
    other_sme = MembershipFactory(organization__kind=Organization.Kind.ENTERPRISE)
    other_provider = MembershipFactory(organization=ProviderFactory().organization)
    operator = MembershipFactory(organization__kind=Organization.Kind.PLATFORM, role="staff")
    operator.user.is_staff = True
    operator.user.save()
    return Deal(
        buyer_org=buyer.organization,
        buyer_user=buyer.user,
        provider=provider,
        provider_user=provider_member.user,
        other_sme_user=other_sme.user,
        other_provider_user=other_provider.user,
        operator_user=operator.user,
        staff_user=UserFactory(is_staff=True),
        service=ServiceFactory(provider=provider, pricing_mode="per_unit", price=Decimal("300.00")),
        quote_service=ServiceFactory(provider=provider, pricing_mode="quote_only", price=None),
    )
