"""allauth's e-mails are rendered in the request and sent by a task: a mail outage never breaks sign-up,
sign-in or a password reset, and a broker outage neither."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator, Sequence

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.notifications.tasks import email_payload, send_email_message
from tests.celery_support import celery_broker, unused_port
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Gear-Testing-2026"


class MailServerDown(BaseEmailBackend):
    """An SMTP server that cannot be reached."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPConnectError(421, b"mail server unavailable")


@pytest.fixture
def mail_server_down(settings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"


@pytest.fixture
def queued(monkeypatch) -> Iterator[list[dict]]:
    """The payloads handed to the broker (an in-memory one), as production would, without running them."""
    payloads: list[dict] = []
    delay = send_email_message.delay

    def spy(payload: dict) -> object:
        payloads.append(payload)
        return delay(payload)

    monkeypatch.setattr(send_email_message, "delay", spy)
    with celery_broker("memory://", eager=False):
        yield payloads


def test_sign_up_with_the_mail_server_down_redirects_and_the_email_is_sent_once_it_is_back(
    client, settings, mail_server_down, queued
):
    response = client.post(
        reverse("account_signup"), {"email": "new@example.cn", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.filter(email="new@example.cn").exists()
    assert mail.outbox == []
    [payload] = queued
    assert payload["to"] == ["new@example.cn"] and payload["from_email"] == settings.DEFAULT_FROM_EMAIL
    assert "/accounts/confirm-email/" in payload["body"]

    # In the worker, while the server is still down, the task asks to be retried later (exponential backoff) ...
    with pytest.raises(Retry, match="Retry in"):
        send_email_message.apply(args=[payload])
    # ... and once it is back the e-mail goes out as rendered in the request.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_email_message.apply(args=[payload])
    [message] = mail.outbox
    assert message.to == ["new@example.cn"] and message.subject == payload["subject"]
    assert message.body == payload["body"]


def test_sign_in_of_an_unverified_address_with_the_mail_server_down_is_no_error(
    client, settings, mail_server_down, queued
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # production: signing in re-sends the confirmation
    UserFactory(email="unverified@example.cn", password=PASSWORD)
    response = client.post(reverse("account_login"), {"login": "unverified@example.cn", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert [p["to"] for p in queued] == [["unverified@example.cn"]]


def test_password_reset_with_the_mail_server_down_is_no_error(client, mail_server_down, queued):
    UserFactory(email="forgetful@example.cn", password=PASSWORD)
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.cn"})
    assert response.status_code == 302
    [payload] = queued
    assert payload["to"] == ["forgetful@example.cn"] and "/accounts/password/reset/key/" in payload["body"]


def test_sign_up_with_redis_down_redirects_and_logs_the_lost_email(client, mail_server_down, caplog):
    with (
        celery_broker(f"redis://127.0.0.1:{unused_port()}/0", eager=False),
        caplog.at_level(logging.ERROR, logger="marketplace.broker"),
    ):
        response = client.post(
            reverse("account_signup"), {"email": "new@example.cn", "password1": PASSWORD, "password2": PASSWORD}
        )
    assert response.status_code == 302
    assert User.objects.filter(email="new@example.cn").exists()
    assert any("send_email_message" in r.getMessage() for r in caplog.records)


def test_html_alternative_travels_with_the_message(settings):
    message = mail.EmailMultiAlternatives("Subject", "text", "from@example.cn", ["to@example.cn"])
    message.attach_alternative("<p>html</p>", "text/html")
    send_email_message.apply(args=[email_payload(message)])
    [sent] = mail.outbox
    assert sent.body == "text" and sent.alternatives[0][0] == "<p>html</p>" and sent.from_email == "from@example.cn"
