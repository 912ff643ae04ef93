"""E-mails and in-app notifications to providers about their application and their accreditations."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Accreditation
from marketplace.accounts.models import User
from marketplace.audit.models import AuditEntry
from marketplace.notifications.services import deliver_email_once, notify
from marketplace.organizations.models import Organization

from .models import ProviderApplication

EVENT_LABELS = {
    "provider_application.submitted": gettext_lazy("Application received"),
    "provider_application.resubmitted": gettext_lazy("Revised application received"),
    "provider_application.changes_requested": gettext_lazy("Changes requested to your application"),
    "provider_application.approved": gettext_lazy("Application approved: you are listed"),
    "provider_application.rejected": gettext_lazy("Application rejected"),
    "accreditation.expiring": gettext_lazy("An accreditation expires within 30 days"),
}


HISTORY_LABELS = {
    **EVENT_LABELS,
    "provider_application.started": gettext_lazy("Application started"),
    "provider_application.updated": gettext_lazy("Details changed"),
    "provider_application.document_added": gettext_lazy("Document added"),
    "provider_application.document_removed": gettext_lazy("Document removed"),
}


def action_label(action: str) -> str:
    """How the application's history names an audited action."""
    return str(HISTORY_LABELS.get(action, action))


def handles(action: str) -> bool:
    return action in EVENT_LABELS


def _email(entry: AuditEntry, name: str, user: User, link: str) -> EmailMultiAlternatives:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        label = str(EVENT_LABELS[entry.action])
        context = {"label": label, "name": name, "entry": entry, "user": user, "link": link}
        subject = f"[{_('Innovation Services')}] {label} · {name}"
        text = render_to_string("operations/email/application.txt", context)
        html = render_to_string("operations/email/application.html", context)
    message = EmailMultiAlternatives(subject, text, None, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def _audience(entry: AuditEntry) -> tuple[Organization, str, str] | None:
    """(organization told, subject line's name, page path) of the event, or None if its object is gone."""
    if entry.action == "accreditation.expiring":
        accreditation = (
            Accreditation.objects.select_related("provider__organization").filter(pk=entry.object_id).first()
        )
        if accreditation is None:
            return None
        provider = accreditation.provider
        path = reverse("catalog:dashboard-profile", args=[provider.slug])
        return provider.organization, f"{accreditation.get_scheme_display()} {accreditation.number}", path
    application = ProviderApplication.objects.select_related("organization").filter(pk=entry.object_id).first()
    if application is None:
        return None
    return application.organization, application.organization.name, reverse("apply:application")


def deliver_event(entry: AuditEntry) -> int:
    """Tell every member of the organization concerned (in-app, and by e-mail unless they opted out)."""
    audience = _audience(entry) if handles(entry.action) else None
    if audience is None:
        return 0
    organization, name, path = audience
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
    sent = 0
    for user in User.objects.filter(memberships__organization=organization, is_active=True):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title = f"{EVENT_LABELS[entry.action]} · {name}"
        notify(entry=entry, user=user, title=title, url=path)
        sent += deliver_email_once(entry=entry, user=user, send=_email(entry, name, user, link).send)
    return sent
