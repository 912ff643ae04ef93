"""The providers' daily summary: right figures, once per person and day, only when there is news, and optional."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from marketplace.notifications.models import DigestDelivery, EmailOptOut
from orders import services, tasks
from orders.digest import DIGEST_ACTION, provider_digest
from orders.models import Message, Order, QuoteRequest
from tests.factories import MembershipFactory
from tests.orders.conftest import order_in_state, request_quote


def _busy_provider(deal) -> None:
    """Two open requests, one paid order, one in progress, and a message from the buyer."""
    request = request_quote(deal)
    request_quote(deal)
    order_in_state(deal, Order.Status.PAID)
    order_in_state(deal, Order.Status.IN_PROGRESS)
    services.message_send(actor=deal.buyer_user, thread_id=request.thread_id, body="样品明天寄出")


def test_digest_counts_equal_the_rows_waiting_for_the_provider(deal):
    _busy_provider(deal)
    now = timezone.now() + dt.timedelta(minutes=1)
    digest = provider_digest(deal.provider, since=now - dt.timedelta(days=1), until=now)
    assert digest.new_requests == QuoteRequest.objects.filter(provider=deal.provider).count() == 2
    assert digest.awaiting_quote == 2
    assert digest.awaiting_sample == Order.objects.filter(provider=deal.provider, status="paid").count() == 1
    assert digest.report_due == 1
    assert digest.ready_to_start == 0
    from_buyer = Message.objects.filter(thread__provider=deal.provider, sender_organization=deal.buyer_org)
    assert digest.new_messages == from_buyer.count() >= 1


def test_yesterdays_requests_are_not_new_but_still_waiting(deal):
    request_quote(deal)
    later = timezone.now() + dt.timedelta(days=2)
    digest = provider_digest(deal.provider, since=later - dt.timedelta(days=1), until=later)
    assert digest.new_requests == 0
    assert digest.awaiting_quote == 1


def test_each_provider_member_gets_one_summary_a_day_even_when_the_task_runs_twice(deal):
    _busy_provider(deal)
    colleague = MembershipFactory(organization=deal.provider.organization).user
    mail.outbox.clear()
    assert tasks.send_provider_digests() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([deal.provider_user.email, colleague.email])
    assert tasks.send_provider_digests() == 0
    assert len(mail.outbox) == 2
    assert DigestDelivery.objects.filter(day=timezone.localdate()).count() == 2
    body = mail.outbox[0].body
    assert "2" in body and mail.outbox[0].alternatives[0][1] == "text/html"


def test_summary_is_in_the_recipients_language(deal):
    _busy_provider(deal)
    deal.provider_user.language = "en"
    deal.provider_user.save()
    mail.outbox.clear()
    tasks.send_provider_digests()
    message = next(m for m in mail.outbox if m.to == [deal.provider_user.email])
    assert message.subject.startswith("[Innovation Services] Your day at")
    assert "2 requests waiting for your quote" in message.body
    assert "1 paid order waiting for its sample" in message.body


def test_default_language_is_chinese(deal):
    _busy_provider(deal)
    mail.outbox.clear()
    tasks.send_provider_digests()
    message = next(m for m in mail.outbox if m.to == [deal.provider_user.email])
    assert message.subject.startswith("[创新服务]")


def test_nothing_waiting_sends_nothing(deal):
    mail.outbox.clear()
    assert tasks.send_provider_digests() == 0
    assert mail.outbox == []


def test_buyers_get_no_summary_and_opted_out_members_neither(deal):
    _busy_provider(deal)
    EmailOptOut.objects.create(user=deal.provider_user, action=DIGEST_ACTION)
    mail.outbox.clear()
    assert tasks.send_provider_digests() == 0
    assert mail.outbox == []


def test_summary_can_be_turned_off_on_the_preferences_page(deal, client):
    client.force_login(deal.provider_user)
    page = client.get("/en/orders/email-preferences/")
    assert "Daily summary for providers" in page.content.decode()
