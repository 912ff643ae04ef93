"""A real Celery worker (a subprocess: prefork pool, one process, queues celery and imports, as in production)
against a real Redis and the test database: time limits, kill -9 mid-task, Redis down at request time.

E-mails from the worker are written to files (one separator per message) and counted; exactly-once is also
checked on NotificationDelivery. Needs REDIS_URL (scripts/test.sh starts Redis) and PostgreSQL (the worker
must see the test database).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from marketplace.notifications.models import NotificationDelivery, Outbox
from orders import tasks
from tests.celery_support import celery_broker, emails_in, run_with_timeout, sleep_then_touch, unused_port
from tests.orders.conftest import place_order

REDIS_URL = os.environ.get("REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (scripts/test.sh starts Redis)"),
    pytest.mark.django_db(transaction=True),  # the worker is another process: it sees committed data only
    pytest.mark.xdist_group("celery-worker"),  # one worker subprocess per test process, tests in file order
]


def _broker_url() -> str:
    """A Redis database of its own: the cache (flushed around every test) and other Celery tests use others."""
    xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    n = int(xdist_worker[2:]) if xdist_worker.startswith("gw") else 0
    return f"{REDIS_URL.rsplit('/', 1)[0]}/{15 - n % 5}"


def _database_url() -> str:
    db = settings.DATABASES["default"]  # at test time, NAME is the test database
    user, password = quote(db["USER"] or ""), quote(db["PASSWORD"] or "")
    return f"postgres://{user}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@dataclass
class Worker:
    broker_url: str
    mail_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    def start(self, **extra_env: str) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.test_worker",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "EMAIL_BACKEND": "tests.celery_support.PauseOnceFileBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            **extra_env,
        }
        command = [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool", "prefork", "-c", "1"]
        command += ["-Q", "celery,imports", "-I", "tests.celery_support", "-l", "INFO", "-n", f"test-{os.getpid()}@%h"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.log_path.write_bytes(b"")
        with self.log_path.open("ab") as log:
            # A session of its own: killing the group kills the main process and its pool processes at once.
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        if not run_with_timeout(lambda: " ready." in self.log() or self.process.poll() is not None, 30):
            raise RuntimeError(f"the worker did not start:\n{self.log()}")
        if self.process.poll() is not None:
            raise RuntimeError(f"the worker exited:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill_all(self) -> None:
        """kill -9 of the worker and its pool processes (the machine or container died)."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Worker]:
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: the worker process must reach the test database")
    broker_url = _broker_url()
    redis.Redis.from_url(broker_url).flushdb()  # no message left over from an interrupted run
    directory = tmp_path_factory.mktemp("celery-worker")
    (directory / "mail").mkdir()
    worker = Worker(broker_url=broker_url, mail_dir=directory / "mail", log_path=directory / "worker.log")
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        redis.Redis.from_url(broker_url).flushdb()


@pytest.fixture
def mail_dir(worker: Worker) -> Path:
    for path in worker.mail_dir.iterdir():
        path.unlink()
    return worker.mail_dir


def _pending(entry_id: int | None = None) -> bool:
    rows = Outbox.objects.filter(dispatched_at__isnull=True)
    return rows.filter(entry_id=entry_id).exists() if entry_id else rows.exists()


def _barrier(worker: Worker, tmp_path: Path, name: str) -> None:
    """Wait until the worker has run everything queued before this (one process, one queue: FIFO)."""
    marker = tmp_path / name
    with celery_broker(worker.broker_url, eager=False):
        sleep_then_touch.delay(str(marker), 0)
    assert run_with_timeout(marker.exists, 20), worker.log()


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
    _barrier(worker, tmp_path, "after")
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
    _barrier(worker, tmp_path, "after")
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
    _barrier(worker, tmp_path, "nothing-queued")
    assert emails_in(mail_dir) == 0

    Outbox.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    with celery_broker(worker.broker_url, eager=False):
        assert tasks.relay_outbox() == 1  # what beat runs every minute
    assert run_with_timeout(lambda: not _pending(), 20), worker.log()
    assert emails_in(mail_dir) == 1
    entry_id = Outbox.objects.get().entry_id
    with celery_broker(worker.broker_url, eager=False):
        tasks.notify_event.delay(entry_id)  # the task runs twice
    _barrier(worker, tmp_path, "after")
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
