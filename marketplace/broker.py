"""Handing work to the task queue from a request: a broker outage delays the work, it never fails the request."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What publishing raises when Redis is down or unreachable: kombu wraps most connection errors in its
# OperationalError after its own publish retries, but not every path does.
BROKER_ERRORS: tuple[type[Exception], ...] = (OperationalError, RedisError, ConnectionError, TimeoutError)


def delay_or_log(task: Task[Any, Any], *args: Any) -> bool:
    """Queue `task(*args)`. If the broker cannot be reached, log the error and return False instead of raising.

    Callers that must not lose the work keep a durable record of it (the notification outbox) so that a
    periodic relay can queue it once the broker is back.
    """
    try:
        task.delay(*args)
    except BROKER_ERRORS:
        logger.exception("broker unreachable: %s%r was not queued", task.name, args)
        return False
    return True
