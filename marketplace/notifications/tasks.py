"""Sending e-mail in the background: a mail outage delays mail, it never breaks a page."""

from __future__ import annotations

import smtplib
from typing import TypedDict

from celery import shared_task
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils.html import strip_tags

# Errors that may go away by themselves: the mail server is down, slow or refusing connections for now.
TRANSIENT_MAIL_ERRORS: tuple[type[Exception], ...] = (smtplib.SMTPException, ConnectionError, TimeoutError)
# Retry n waits a random time up to 2**n s (at most 600 s): 10 retries cover about 8 minutes of outage, at most 17.
MAIL_RETRY_BACKOFF_MAX = 600
MAIL_MAX_RETRIES = 10


class EmailPayload(TypedDict):
    """A rendered e-mail as the task message carries it (JSON)."""

    subject: str
    body: str
    html: str
    to: list[str]
    from_email: str


def email_payload(message: EmailMessage) -> EmailPayload:
    """The parts of a rendered message that the task needs to send it again anywhere."""
    alternatives = getattr(message, "alternatives", [])
    html = next((str(content) for content, mimetype in alternatives if mimetype == "text/html"), "")
    body = str(message.body)
    if message.content_subtype == "html":  # an HTML-only message: keep the HTML, give a text part too
        html, body = body, strip_tags(body)
    return {
        "subject": str(message.subject),
        "body": body,
        "html": str(html),
        "to": [str(address) for address in message.to],
        "from_email": str(message.from_email),
    }


@shared_task(
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=True,
    retry_backoff_max=MAIL_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=MAIL_MAX_RETRIES,
)
def send_email_message(payload: EmailPayload) -> int:
    """Send one rendered e-mail (see `email_payload`); retried with backoff while the mail server is away."""
    message = EmailMultiAlternatives(
        subject=payload["subject"], body=payload["body"], from_email=payload["from_email"] or None, to=payload["to"]
    )
    if payload["html"]:
        message.attach_alternative(payload["html"], "text/html")
    return message.send()
