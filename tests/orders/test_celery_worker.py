"""A real Celery worker (a subprocess: prefork pool, one process, queues celery and imports, as in production)
against a real Redis and the test database: time limits, kill -9 mid-task, Redis down at request time.

E-mails from the worker are written to files (one separator per message) and counted; exactly-once is also
checked on NotificationDelivery. Needs REDIS_URL (scripts/test.sh starts Redis) and PostgreSQL (the worker
must see the test database).
"""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.notifications.models import NotificationDelivery, Outbox
from orders import tasks
from tests.celery_support import celery_broker, emails_in, run_with_timeout, sleep_then_touch, unused_port
from tests.orders.conftest import place_order
from tests.worker_harness import REDIS_URL, barrier

pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (scripts/test.sh starts Redis)"),
    pytest.mark.django_db(transaction=True),  # the worker is another process: it sees committed data only
    pytest.mark.xdist_group("celery-worker"),  # one worker subprocess per test process, tests in file order
]


def _pending(entry_id: int | None = None) -> bool:
    rows = Outbox.objects.filter(dispatched_at__isnull=True)
    return rows.filter(entry_id=entry_id).exists() if entry_id else rows.exists()


def test_a_task_past_its_hard_time_limit_is_killed_and_the_next_one_runs(worker, tmp_path):
    slow, fast = tmp_path / "slow", tmp_path / "fast"
    before = worker.log().count("Hard time limit")
    started = time.monotonic()
    with celery_broker(worker.broker_url, eager=False):
        sleep_then_touch.apply_async(args=[str(slow), 30], queue="imports")  # hard limit: 2 s
        sleep_then_touch.apply_async(args=[str(fast), 0], queue="imports")
    assert run_with_timeout(fast.exists, 20), worker.log()
    waited = time.monotonic() - started
    assert waited < 10  # 2 s limit, then a fresh pool process
    assert not slow.exists()
    # Stopped for good: not put back in the queue as a lost worker would be (it would only be killed again).
    barrier(worker, tmp_path, "after")
    assert worker.log().count("Hard time limit (2s) exceeded") - before == 1
    assert not slow.exists()


def test_a_pool_process_killed_mid_delivery_leads_to_exactly_one_email(worker, mail_dir, deal, tmp_path):
    (mail_dir / "pause").touch()  # the first e-mail's sender sleeps before writing: kill it then
    with celery_broker(worker.broker_url, eager=False):
        order = place_order(deal)  # commits; the on-commit nudge queues notify_event in Redis
    paused = run_with_timeout(lambda: list(mail_dir.glob("paused-*")), 20)
    assert paused, worker.log()
    os.kill(int(paused[0].name.removeprefix("paused-")), signal.SIGKILL)
    # acks_late + reject_on_worker_lost: the message goes back to the queue and a new pool process runs it.
    entry = Outbox.objects.get().entry
    assert entry.object_id == order.pk
    assert run_with_timeout(lambda: not _pending(entry.pk), 30), worker.log()
    assert "WorkerLostError" in worker.log()
    assert emails_in(mail_dir) == 1
    with celery_broker(worker.broker_url, eager=False):
        tasks.notify_event.delay(entry.pk)  # and a duplicate for good measure
    barrier(worker, tmp_path, "after")
    assert emails_in(mail_dir) == 1
    assert NotificationDelivery.objects.filter(entry=entry).count() == 1


def test_with_redis_down_the_request_succeeds_and_the_email_goes_out_once_it_is_back(
    worker, mail_dir, deal, client, tmp_path
):
    client.force_login(deal.buyer_user)
    with celery_broker(f"redis://127.0.0.1:{unused_port()}/0", eager=False):
        response = client.post(
            reverse("orders:order-create", args=[deal.service.pk]), {"buyer": deal.buyer_org.pk, "quantity": 1}
        )
    assert response.status_code == 302
    assert _pending()
    barrier(worker, tmp_path, "nothing-queued")
    assert emails_in(mail_dir) == 0

    Outbox.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    with celery_broker(worker.broker_url, eager=False):
        assert tasks.relay_outbox() == 1  # what beat runs every minute
    assert run_with_timeout(lambda: not _pending(), 20), worker.log()
    assert emails_in(mail_dir) == 1
    entry_id = Outbox.objects.get().entry_id
    with celery_broker(worker.broker_url, eager=False):
        tasks.notify_event.delay(entry_id)  # the task runs twice
    barrier(worker, tmp_path, "after")
    assert emails_in(mail_dir) == 1
    assert NotificationDelivery.objects.filter(entry_id=entry_id).count() == 1


def test_a_worker_killed_outright_mid_delivery_leads_to_exactly_one_email_from_the_restarted_worker(
    worker, mail_dir, deal
):
    (mail_dir / "pause").touch()
    with celery_broker(worker.broker_url, eager=False):
        place_order(deal)
    assert run_with_timeout(lambda: list(mail_dir.glob("paused-*")), 20), worker.log()
    worker.kill_all()  # main process and pool process: nobody puts the message back
    entry_id = Outbox.objects.get().entry_id
    assert _pending(entry_id) and emails_in(mail_dir) == 0
    # Redis hands unacknowledged messages out again after the visibility timeout (2 h in production; 1 s here
    # so the test need not wait); the restarted worker restores them when it starts.
    time.sleep(1.1)
    worker.start(CELERY_VISIBILITY_TIMEOUT="1")
    assert run_with_timeout(lambda: not _pending(entry_id), 30), worker.log()
    assert emails_in(mail_dir) == 1
    assert NotificationDelivery.objects.filter(entry_id=entry_id).count() == 1
