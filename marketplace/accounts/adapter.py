"""allauth, adapted: its e-mails (confirmation, password reset, ...) are rendered in the request and sent by a task."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from marketplace.broker import delay_or_log
from marketplace.notifications.tasks import email_payload, send_email_message


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the e-mail as allauth does, then queue it: a mail server that is down or slow delays the
        e-mail, it never turns sign-up, sign-in or a password reset into an error page. If the broker is
        down too the e-mail is logged and dropped; the user can ask for it again (re-send confirmation,
        reset the password again)."""
        request = allauth_context.request
        # The same context as DefaultAccountAdapter.send_mail gives its templates.
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        # The payload is complete (rendered), so the task reads nothing that this request may not have committed.
        delay_or_log(send_email_message, email_payload(message))
