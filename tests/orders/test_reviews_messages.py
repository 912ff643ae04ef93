"""Reviews of completed orders (with the catalog's rating counters) and the buyer-provider message thread."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from catalog.models import Provider, Service
from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import audit_entries_for
from marketplace.exceptions import TransitionNotAllowed
from orders import selectors, services
from orders.models import Attachment, Message, Order, Review
from tests.orders.conftest import order_in_state, pdf_upload, request_quote


@pytest.fixture(autouse=True)
def _english():
    """The refusals below are matched by their English text."""
    with translation.override("en"):
        yield


S = Order.Status


def rating_counters(deal) -> tuple[tuple[int, int], tuple[int, int]]:
    service = Service.objects.get(pk=deal.service.pk)
    provider = Provider.objects.get(pk=deal.provider.pk)
    return (service.rating_count, service.rating_sum), (provider.rating_count, provider.rating_sum)


# --- reviews ------------------------------------------------------------------------------------------


def test_buyer_reviews_a_completed_order_and_counters_follow(deal):
    first = order_in_state(deal, S.COMPLETED)
    second = order_in_state(deal, S.COMPLETED)

    review = services.review_create(actor=deal.buyer_user, order_id=first.pk, rating=5, comment="  fast and clear  ")
    services.review_create(actor=deal.buyer_user, order_id=second.pk, rating=2)

    assert (review.rating, review.comment, review.author) == (5, "fast and clear", deal.buyer_user)
    assert (review.service, review.provider, review.buyer) == (deal.service, deal.provider, deal.buyer_org)
    assert rating_counters(deal) == ((2, 7), (2, 7))
    assert Service.objects.get(pk=deal.service.pk).rating_average == pytest.approx(3.5)
    assert [e.action for e in audit_entries_for(first)][-1] == "review.posted"


def test_an_order_is_reviewed_only_once(deal):
    order = order_in_state(deal, S.COMPLETED)
    services.review_create(actor=deal.buyer_user, order_id=order.pk, rating=4)
    before = rating_counters(deal), AuditEntry.objects.count()
    with pytest.raises(TransitionNotAllowed, match="already"):
        services.review_create(actor=deal.buyer_user, order_id=order.pk, rating=1)
    assert (rating_counters(deal), AuditEntry.objects.count()) == before
    assert Review.objects.filter(order=order).count() == 1


@pytest.mark.parametrize("who", ["provider_user", "other_sme_user", "other_provider_user", "operator_user"])
def test_only_the_buyer_may_review(deal, who):
    order = order_in_state(deal, S.COMPLETED)
    with pytest.raises(PermissionDenied):
        services.review_create(actor=getattr(deal, who), order_id=order.pk, rating=5)
    assert not Review.objects.exists()
    assert rating_counters(deal) == ((0, 0), (0, 0))


@pytest.mark.parametrize("status", [s for s in S if s != S.COMPLETED])
def test_orders_that_are_not_completed_cannot_be_reviewed(deal, status):
    order = order_in_state(deal, status)
    with pytest.raises(TransitionNotAllowed, match="completed"):
        services.review_create(actor=deal.buyer_user, order_id=order.pk, rating=5)
    assert not Review.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_rating_outside_1_to_5_is_refused_and_writes_nothing(deal, rating):
    order = order_in_state(deal, S.COMPLETED)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.review_create(actor=deal.buyer_user, order_id=order.pk, rating=rating)
    assert "rating" in exc.value.message_dict
    assert not Review.objects.exists()
    assert rating_counters(deal) == ((0, 0), (0, 0))
    assert AuditEntry.objects.count() == audit_before


def test_provider_replies_once(deal):
    order = order_in_state(deal, S.COMPLETED)
    review = services.review_create(actor=deal.buyer_user, order_id=order.pk, rating=3)

    with pytest.raises(ValidationError):
        services.review_reply(actor=deal.provider_user, review_id=review.pk, reply="   ")
    for outsider in (deal.buyer_user, deal.other_provider_user, deal.operator_user):
        with pytest.raises(PermissionDenied):
            services.review_reply(actor=outsider, review_id=review.pk, reply="hello")

    replied = services.review_reply(actor=deal.provider_user, review_id=review.pk, reply=" Thank you. ")
    assert replied.reply == "Thank you." and replied.replied_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.review_reply(actor=deal.provider_user, review_id=review.pk, reply="Second thoughts")
    review.refresh_from_db()
    assert review.reply == "Thank you."
    assert [e.action for e in audit_entries_for(order)].count("review.replied") == 1


# --- messages -----------------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_both_sides_can_write_in_the_thread(deal):
    thread = request_quote(deal).thread
    question = services.message_send(actor=deal.buyer_user, thread_id=thread.pk, body="  When can you start?  ")
    answer = services.message_send(actor=deal.provider_user, thread_id=thread.pk, body="Monday.")
    assert (question.body, question.sender_organization) == ("When can you start?", deal.buyer_org)
    assert answer.sender_organization == deal.provider.organization
    assert list(selectors.thread_messages(thread)) == [question, answer]
    thread.refresh_from_db()
    assert thread.last_message_at == answer.created_at
    assert [e.action for e in audit_entries_for(answer)] == ["message.sent"]


@pytest.mark.parametrize("who", ["other_sme_user", "other_provider_user", "operator_user", "staff_user"])
def test_outsiders_cannot_write_in_a_thread(deal, who):
    thread = request_quote(deal).thread
    with pytest.raises(PermissionDenied):
        services.message_send(actor=getattr(deal, who), thread_id=thread.pk, body="hello")
    assert not Message.objects.exists()


def test_empty_message_without_files_is_refused(deal):
    thread = request_quote(deal).thread
    with pytest.raises(ValidationError) as exc:
        services.message_send(actor=deal.buyer_user, thread_id=thread.pk, body=" \n\t ")
    assert "body" in exc.value.message_dict
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("photo.PNG", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0....", "image/jpeg"),
        ("results.xlsx", b"PK\x03\x04....", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("notes.txt", "样品编号 1-3".encode(), "text/plain"),
    ],
)
def test_allowed_attachments_are_stored_with_their_checked_type(deal, name, content, content_type):
    thread = request_quote(deal).thread
    message = services.message_send(
        actor=deal.buyer_user, thread_id=thread.pk, body="", attachments=[upload(name, content)]
    )
    attachment = message.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, content_type, len(content))
    assert attachment.thread == thread and attachment.uploaded_by == deal.buyer_user
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    "bad",
    [
        [upload("setup.exe", b"MZ\x90\x00\x03")],
        [upload("report.pdf", b"MZ\x90\x00 this is a program")],  # a .pdf name on non-PDF bytes
        [upload("notes.txt", b"text\x00with nul")],
        [upload("empty.pdf", b"")],
        [upload("../../etc/passwd", b"root:x:0:0")],
        [pdf_upload("ok.pdf"), upload("setup.exe", b"MZ")],  # one bad file refuses the whole message
        [pdf_upload(f"{i}.pdf") for i in range(6)],  # more than five
    ],
    ids=["exe", "fake-pdf", "binary-txt", "empty", "no-extension", "one-bad-of-two", "too-many"],
)
def test_refused_attachments_leave_no_message_and_no_file(deal, bad):
    thread = request_quote(deal).thread
    with pytest.raises(ValidationError) as exc:
        services.message_send(actor=deal.buyer_user, thread_id=thread.pk, body="see attached", attachments=bad)
    assert "attachments" in exc.value.message_dict
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()
    thread.refresh_from_db()
    assert thread.last_message_at is None


def test_unread_for_the_other_side_until_it_marks_the_thread_read(deal):
    thread = request_quote(deal).thread
    ids = [thread.pk]
    assert selectors.unread_thread_ids(deal.buyer_user, ids) == set()

    services.message_send(actor=deal.provider_user, thread_id=thread.pk, body="Please send 3 more samples.")
    assert selectors.unread_thread_ids(deal.buyer_user, ids) == {thread.pk}
    assert selectors.unread_thread_ids(deal.provider_user, ids) == set()  # one's own message is read
    assert selectors.unread_thread_ids(deal.other_sme_user, ids) == set()  # not their thread: nothing to say

    services.thread_mark_read(actor=deal.buyer_user, thread=thread)
    assert selectors.unread_thread_ids(deal.buyer_user, ids) == set()

    services.message_send(actor=deal.provider_user, thread_id=thread.pk, body="And the drawing, please.")
    assert selectors.unread_thread_ids(deal.buyer_user, ids) == {thread.pk}

    # Answering reads the thread too; the provider now has the buyer's answer unread.
    services.message_send(actor=deal.buyer_user, thread_id=thread.pk, body="Sent today.")
    assert selectors.unread_thread_ids(deal.buyer_user, ids) == set()
    assert selectors.unread_thread_ids(deal.provider_user, ids) == {thread.pk}
