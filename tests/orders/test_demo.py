import hashlib

import pytest
from pypdf import PdfReader

from catalog import demo as catalog_demo
from marketplace.audit.models import AuditEntry
from marketplace.organizations import demo as organizations_demo
from marketplace.organizations.demo import org_by_key
from orders import demo
from orders.models import Attachment, Message, Order, Quote, QuoteRequest, Report, Review, Thread

pytestmark = pytest.mark.django_db

DEMO_MODELS = (QuoteRequest, Quote, Order, Report, Thread, Message, Attachment, Review, AuditEntry)


@pytest.fixture
def loaded():
    organizations_demo.load()
    catalog_demo.load()
    demo.load()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DEMO_MODELS}


def test_valve_maker_has_orders_in_six_statuses_and_requests_in_every_status(loaded):
    sme = org_by_key("sme-valve")
    statuses = set(Order.objects.filter(buyer=sme).values_list("status", flat=True))
    assert len(statuses) >= 6
    assert {"pending_payment", "in_progress", "completed", "cancelled", "refunded"} <= statuses
    request_statuses = set(QuoteRequest.objects.filter(buyer=sme).values_list("status", flat=True))
    assert {"submitted", "quoted", "accepted", "declined", "expired"} <= request_statuses


def test_textile_company_has_its_own_deals_with_the_dyeing_center(loaded):
    textile = org_by_key("sme-textile")
    orders = Order.objects.filter(buyer=textile)
    assert orders.count() >= 4
    assert set(orders.values_list("provider__slug", flat=True)) == {demo.DYEING}
    assert QuoteRequest.objects.filter(buyer=textile, status="accepted").exists()


def test_a_quote_revision_supersedes_the_first_version(loaded):
    revised = QuoteRequest.objects.filter(buyer=org_by_key("sme-valve"), quotes__version=2).get()
    assert revised.status == "quoted"
    assert dict(revised.quotes.values_list("version", "status")) == {1: "superseded", 2: "sent"}


def test_accepted_request_became_an_order_and_expired_quote_is_closed(loaded):
    accepted = QuoteRequest.objects.filter(buyer=org_by_key("sme-valve"), status="accepted").get()
    assert Order.objects.get(quote__request=accepted).thread_id == accepted.thread_id
    expired = QuoteRequest.objects.filter(buyer=org_by_key("sme-valve"), status="expired").get()
    assert expired.quotes.get().status == "expired"
    assert AuditEntry.objects.filter(object_id=expired.pk, action="quote.expired").exists()


def test_completed_orders_have_a_review_with_the_providers_reply(loaded):
    completed = Order.objects.filter(status="completed")
    assert completed.count() >= 2
    for order in completed:
        assert order.review.rating in range(1, 6)
        assert order.review.comment and order.review.reply and order.review.replied_at


def test_every_demo_order_has_a_timeline(loaded):
    for order in Order.objects.all():
        actions = list(
            AuditEntry.objects.filter(content_type__model="order", object_id=order.pk).values_list("action", flat=True)
        )
        assert actions[0] == "order.created", order
        if order.status != "pending_payment":
            assert len(actions) >= 2, order


def test_reports_are_real_pdfs_whose_fingerprint_matches_the_stored_file(loaded):
    reports = Report.objects.select_related("order")
    assert reports.count() >= 2
    for report in reports:
        with report.file.open("rb") as fh:
            content = fh.read()
        assert hashlib.sha256(content).hexdigest() == report.sha256
        assert len(content) == report.size
        assert report.order.status in ("report_issued", "completed")
        text = PdfReader(report.file.path).pages[0].extract_text()
        assert report.report_number in text
        assert "Pass" in text


def test_threads_carry_messages_from_both_sides_and_an_attachment(loaded):
    senders = set(Message.objects.values_list("sender_organization__kind", flat=True))
    assert senders == {"enterprise", "provider"}
    assert Attachment.objects.filter(message__isnull=False).exists()  # a file sent with a message
    assert Attachment.objects.filter(message__isnull=True).exists()  # a file sent with a quote request


def test_loading_again_adds_nothing(loaded):
    first = _counts()
    demo.load()
    assert _counts() == first
