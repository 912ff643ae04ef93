"""The queue for real: a Celery worker consumes tasks from Redis, as in production.

Everywhere else tests run tasks eagerly; this one proves that a committed catalog change reaches
the search index through the broker and a worker.
"""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from marketplace.celery import app
from search import api
from search.backends.base import SearchQuery
from tests.factories import ServiceFactory

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (scripts/test.sh starts Redis)"),
]


@pytest.fixture
def redis_worker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(broker_url="memory://", task_always_eager=True)


def test_published_service_is_indexed_by_a_worker_through_redis(redis_worker):
    with transaction.atomic():
        service = ServiceFactory(title_zh="气动阀门寿命试验", title_en="Pneumatic valve life test")
    # Nothing ran in this process: the post_save handler only queued sync_services on commit.
    deadline = time.monotonic() + 30
    hits = api.search_services(SearchQuery(text="气动阀门")).hits
    while not hits and time.monotonic() < deadline:
        time.sleep(0.2)
        hits = api.search_services(SearchQuery(text="气动阀门")).hits
    assert [hit.service_id for hit in hits] == [service.pk]
