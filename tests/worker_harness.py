"""A real Celery worker for tests: a subprocess (prefork pool, one process, queues celery and imports, as in
production) against the test Redis and the test database. Its fixtures (`worker`, `mail_dir`) reach every
test module through `pytest_plugins` in tests/conftest.py.

Needs REDIS_URL (scripts/test.sh starts Redis) and PostgreSQL (the worker must see the test database).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.celery_support import celery_broker, run_with_timeout, sleep_then_touch

REDIS_URL = os.environ.get("REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[1]


def broker_url_for_this_process() -> str:
    """A Redis database of its own: the cache (flushed around every test) and other Celery tests use others."""
    xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    n = int(xdist_worker[2:]) if xdist_worker.startswith("gw") else 0
    return f"{REDIS_URL.rsplit('/', 1)[0]}/{15 - n % 5}"


def worker_database_url() -> str:
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
            "DATABASE_URL": worker_database_url(),
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
    broker_url = broker_url_for_this_process()
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


def barrier(worker: Worker, tmp_path: Path, name: str) -> None:
    """Wait until the worker has run everything queued before this (one process, one queue: FIFO)."""
    marker = tmp_path / name
    with celery_broker(worker.broker_url, eager=False):
        sleep_then_touch.delay(str(marker), 0)
    assert run_with_timeout(marker.exists, 20), worker.log()
