"""Celery as production runs it: every task bounded in time, imports on a queue of their own, messages never
handed out twice while a task may still run, retries with backoff for mail outages, a beat schedule that
names real tasks. (tests/orders/test_celery_worker.py shows the same settings at work in a real worker.)"""

from __future__ import annotations

import smtplib

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import importing
from catalog.models import ServiceImport
from catalog.services import service_import_start
from marketplace.celery import app
from search import api
from search.backends.base import SearchQuery
from search.tasks import reconcile_index
from tests.factories import MembershipFactory, ProviderFactory, ServiceFactory


@pytest.fixture(scope="module")
def tasks() -> dict[str, object]:
    app.loader.import_default_modules()  # what a worker does at start: autodiscover every app's tasks
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def _limits(task) -> tuple[float, float]:
    soft = task.soft_time_limit or app.conf.task_soft_time_limit
    hard = task.time_limit or app.conf.task_time_limit
    return soft, hard


def test_every_task_has_a_soft_and_a_hard_time_limit(tasks):
    assert "catalog.tasks.validate_service_import" in tasks and "orders.tasks.relay_outbox" in tasks
    for name, task in tasks.items():
        soft, hard = _limits(task)
        assert soft and hard and soft < hard, name


def test_a_message_is_never_handed_out_again_while_its_task_may_still_run(tasks):
    longest = max(_limits(task)[1] for task in tasks.values())
    longest_countdown = max(getattr(task, "retry_backoff_max", 0) or 0 for task in tasks.values())
    assert app.conf.broker_transport_options["visibility_timeout"] > longest + longest_countdown


def test_workers_acknowledge_late_requeue_lost_tasks_and_take_one_at_a_time():
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_connection_retry_on_startup


@pytest.mark.parametrize("name", ["catalog.tasks.validate_service_import", "catalog.tasks.commit_service_import"])
def test_imports_run_on_their_own_queue_with_their_own_limits(tasks, name):
    assert app.amqp.router.route({}, name)["queue"].name == "imports"
    assert _limits(tasks[name]) == (300, 330)
    assert app.amqp.router.route({}, "orders.tasks.notify_event")["queue"].name == "celery"


def test_reindexing_a_whole_provider_may_take_longer_than_the_default(tasks):
    assert _limits(tasks["search.tasks.sync_provider_services"]) == (600, 660)
    assert _limits(tasks["search.tasks.sync_services"]) == (60, 90)


@pytest.mark.parametrize("name", ["orders.tasks.notify_event", "marketplace.notifications.tasks.send_email_message"])
def test_mail_tasks_retry_transient_errors_with_exponential_backoff(tasks, name):
    task = tasks[name]
    assert smtplib.SMTPException in task.autoretry_for and ConnectionError in task.autoretry_for
    assert task.retry_backoff and task.retry_backoff_max == 600 and task.max_retries == 10


def test_the_production_beat_schedule_names_registered_tasks(production, tasks):
    schedule = production.CELERY_BEAT_SCHEDULE
    names = {entry["task"] for entry in schedule.values()}
    assert names <= set(tasks)
    assert {"orders.tasks.relay_outbox", "search.tasks.reconcile_index"} <= names
    relay = schedule["orders-relay-outbox"]
    assert relay["options"]["expires"] < relay["schedule"] <= 60  # no pile of stale relays after an outage
    assert production.CELERY_TASK_ALWAYS_EAGER is False


@pytest.mark.django_db
def test_an_import_stopped_at_its_soft_time_limit_ends_failed_with_a_message(
    monkeypatch, django_capture_on_commit_callbacks
):
    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(importing, "read_rows", too_slow)
    provider = ProviderFactory()
    member = MembershipFactory(organization=provider.organization).user
    with django_capture_on_commit_callbacks(execute=True):
        job = service_import_start(
            actor=member, provider=provider, upload=SimpleUploadedFile("services.csv", b"slug\n")
        )
    job.refresh_from_db()
    assert job.status == ServiceImport.Status.FAILED and job.message and job.finished_at


@pytest.mark.django_db
def test_nightly_reconciliation_indexes_what_an_indexing_task_missed():
    service = ServiceFactory(title_zh="气动阀门寿命试验")  # no commit here: its indexing task never ran
    assert api.search_services(SearchQuery(text="气动阀门")).hits == []
    reconcile_index.apply()
    assert [hit.service_id for hit in api.search_services(SearchQuery(text="气动阀门")).hits] == [service.pk]
