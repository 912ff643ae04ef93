"""allauth, adapted: its e-mails (confirmation, password reset, ...) are rendered in the request and sent by a task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from marketplace.broker import delay_or_log
from marketplace.notifications.tasks import email_payload, send_email_message


@dataclass(frozen=True)
class PublicSite:
    """What allauth's e-mails call "the site": our name in the reader's language and the public address,
    not the host the request happened to reach (an internal address behind the proxy, 127.0.0.1 in development)."""

    name: str
    domain: str


def public_site() -> PublicSite:
    return PublicSite(name=_("Innovation Services"), domain=urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc)


def on_public_host(url: str) -> str:
    """`url` with the scheme and host of the public address: links in e-mails work from outside the network."""
    public = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    parts = urlsplit(url)
    return urlunsplit((public.scheme, public.netloc, parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"[{public_site().name}] {force_str(subject)}"

    def get_email_confirmation_url(self, request: Any, emailconfirmation: Any) -> str:
        return on_public_host(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_public_host(super().get_reset_password_from_key_url(key))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the e-mail as allauth does, then queue it: a mail server that is down or slow delays the
        e-mail, it never turns sign-up, sign-in or a password reset into an error page. If the broker is
        down too the e-mail is logged and dropped; the user can ask for it again (re-send confirmation,
        reset the password again)."""
        request = allauth_context.request
        # The same context as DefaultAccountAdapter.send_mail gives its templates.
        ctx = {"request": request, "email": email, "current_site": public_site(), **context}
        message = self.render_mail(template_prefix, email, ctx)
        # The payload is complete (rendered), so the task reads nothing that this request may not have committed.
        delay_or_log(send_email_message, email_payload(message))
