"""Helpers for tests that talk to a broker, and test-only tasks a worker subprocess loads (`-I tests.celery_support`).

Imported by Celery worker processes started by tests: keep it free of pytest and of test fixtures.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from celery import shared_task
from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileBackend

from marketplace.celery import app

# What Django's file-based e-mail backend writes after each message.
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def unused_port() -> int:
    """A loopback port nothing listens on (bound, then released): a broker there is "down"."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def celery_broker(url: str, *, eager: bool) -> Iterator[None]:
    """Point this process's Celery app at another broker (and eager mode on or off) for a block.

    Celery keeps one connection pool per app, created on first use: drop it, or publishing would go on
    using the old broker whatever the configuration says. (Not closed: kombu hands the same pool out again
    for the same URL.)
    """
    before = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}

    def reset_pools() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(broker_url=url, task_always_eager=eager)
    reset_pools()
    try:
        yield
    finally:
        app.conf.update(before)
        reset_pools()


def emails_in(directory: Path) -> int:
    """How many e-mails the file-based backend wrote into `directory` (several may share one file)."""
    return sum(path.read_bytes().count(MESSAGE_SEPARATOR) for path in directory.glob("*.log"))


# --- loaded by worker subprocesses -------------------------------------------------------------------


class PauseOnceFileBackend(FileBackend):
    """The file-based backend, except that while a file named `pause` exists in EMAIL_FILE_PATH, the first
    sender claims it (renames it to `paused-<pid>`) and sleeps before writing: a test can kill the process
    mid-delivery, knowing which process it is."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        directory = Path(str(self.file_path))
        try:
            (directory / "pause").rename(directory / f"paused-{os.getpid()}")
        except FileNotFoundError:
            pass
        else:
            time.sleep(60)
        return super().send_messages(email_messages)


@shared_task(name="tests.sleep_then_touch", soft_time_limit=1, time_limit=2)
def sleep_then_touch(path: str, seconds: float) -> None:
    """Write `path` after `seconds`. With a hard time limit of 2 s, a longer sleep never writes it.

    It ignores its soft limit on purpose (as a task stuck in C code would), so only the hard limit stops it.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with suppress(Exception):  # SoftTimeLimitExceeded: carry on, like code that cannot be interrupted
            time.sleep(0.05)
    Path(path).write_text(str(os.getpid()))


def run_with_timeout(function: Any, timeout: float, interval: float = 0.1) -> Any:
    """Call `function` until it returns something truthy or `timeout` seconds passed; return the last result."""
    deadline = time.monotonic() + timeout
    result = function()
    while not result and time.monotonic() < deadline:
        time.sleep(interval)
        result = function()
    return result
