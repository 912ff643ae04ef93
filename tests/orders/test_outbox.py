"""The notification outbox: an event is written with the change, handed to the queue after the commit, and
relayed later if the broker was down then. Nothing for rolled-back changes; never an e-mail twice."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.audit.models import AuditEntry
from marketplace.notifications.models import NotificationDelivery, Outbox
from orders import tasks
from orders.models import Order
from tests.celery_support import celery_broker, unused_port
from tests.orders.conftest import place_order


def test_a_rolled_back_change_writes_no_outbox_row_and_queues_and_sends_nothing(
    deal, django_capture_on_commit_callbacks, monkeypatch
):
    queued: list[object] = []
    monkeypatch.setattr(tasks.notify_event, "delay", lambda *args: queued.append(args))
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        place_order(deal)
        assert Outbox.objects.count() == 1  # written with the change, inside its transaction
        raise RuntimeError("something later failed")
    assert callbacks == [] and queued == []
    assert not Outbox.objects.exists() and not AuditEntry.objects.exists()
    assert mail.outbox == [] and not NotificationDelivery.objects.exists()


def test_a_committed_event_is_sent_once_and_its_outbox_row_marked_dispatched(deal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(deal)
    row = Outbox.objects.get()
    assert row.entry.object_id == order.pk and row.dispatched_at is not None
    assert [m.to for m in mail.outbox] == [[deal.provider_user.email]]
    assert tasks.notify_event(row.entry_id) == 0  # a duplicate (nudge and relay both queued it)
    assert tasks.relay_outbox() == 0
    assert len(mail.outbox) == 1


def _age_outbox(seconds: int = 60) -> None:
    Outbox.objects.update(created_at=timezone.now() - timedelta(seconds=seconds))


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_requests_succeed_and_the_relay_sends_each_email_once_when_it_is_back(
    deal, client, caplog
):
    dead_broker = f"redis://127.0.0.1:{unused_port()}/0"
    client.force_login(deal.buyer_user)
    with celery_broker(dead_broker, eager=False), caplog.at_level(logging.ERROR, logger="marketplace.broker"):
        order = place_order(deal)  # a service call: its transaction commits, the nudge fails
        started = time.monotonic()
        response = client.post(
            reverse("orders:order-create", args=[deal.service.pk]), {"buyer": deal.buyer_org.pk, "quantity": 1}
        )
        request_seconds = time.monotonic() - started
    second = Order.objects.exclude(pk=order.pk).get()
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    assert request_seconds < 5  # kombu's publish retries, then the error is logged: the page is not held up
    assert sum("was not queued" in r.getMessage() for r in caplog.records) == 2
    assert Outbox.objects.filter(dispatched_at__isnull=True).count() == 2
    assert mail.outbox == []

    with celery_broker("memory://", eager=True):  # the broker is back (eager: the relay's tasks run here)
        assert tasks.relay_outbox() == 0  # fresh events are left to their nudge for 30 s
        _age_outbox()
        assert tasks.relay_outbox() == 2
        assert tasks.relay_outbox() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [deal.provider_user.email] * 2
    assert not Outbox.objects.filter(dispatched_at__isnull=True).exists()
    for entry_id in Outbox.objects.values_list("entry_id", flat=True):
        tasks.notify_event(entry_id)  # a redelivered task
        tasks.notify_event.apply(args=[entry_id])
    assert len(mail.outbox) == 2
    assert NotificationDelivery.objects.count() == 2


def test_the_relay_queues_an_event_again_only_after_a_while_and_gives_up_after_a_day(
    deal, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks.notify_event, "delay", lambda *args: None)  # queued, but the message is lost
    with django_capture_on_commit_callbacks(execute=True):
        place_order(deal)
    _age_outbox()
    queued: list[int] = []

    def delay_or_log(task, entry_id: int) -> bool:
        queued.append(entry_id)
        return True

    monkeypatch.setattr(tasks, "delay_or_log", delay_or_log)
    assert tasks.relay_outbox() == 1
    assert tasks.relay_outbox() == 0  # queued a minute ago: a backlog must not grow by one copy a minute
    Outbox.objects.update(relayed_at=timezone.now() - timedelta(minutes=11))
    assert tasks.relay_outbox() == 1
    Outbox.objects.update(relayed_at=None)
    _age_outbox(seconds=2 * 24 * 3600)
    assert tasks.relay_outbox() == 0  # left for a person (admin: pending outbox events)
    assert len(queued) == 2


def test_the_relay_stops_while_the_broker_is_unreachable(deal, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(tasks.notify_event, "delay", lambda *args: None)
    with django_capture_on_commit_callbacks(execute=True):
        place_order(deal)
        place_order(deal)
    _age_outbox()
    with celery_broker(f"redis://127.0.0.1:{unused_port()}/0", eager=False):
        monkeypatch.undo()
        assert tasks.relay_outbox() == 0
    assert not Outbox.objects.filter(relayed_at__isnull=False).exists()  # the next run tries them again
