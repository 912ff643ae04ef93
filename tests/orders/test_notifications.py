"""Everyone hears about what concerns them: in-app notifications, HTML + text e-mails in their language, once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from marketplace.audit.models import AuditEntry
from marketplace.notifications.models import EmailOptOut, Notification, NotificationDelivery
from orders import services, tasks
from tests.orders.conftest import place_order, request_quote, send_quote


def _last_entry(order, action: str) -> AuditEntry:
    return AuditEntry.objects.filter(object_id=order.pk, action=action).latest("pk")


def test_event_reaches_the_other_side_in_app_and_by_email_once(deal, django_capture_on_commit_callbacks):
    deal.provider_user.language = "en"
    deal.provider_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(deal)
    entry = _last_entry(order, "order.created")
    assert [m.to for m in mail.outbox] == [[deal.provider_user.email]]  # not the buyer who acted
    message = mail.outbox[0]
    assert message.subject.startswith("[Innovation Services] Order placed")
    assert order.number in message.body
    html = message.alternatives[0]
    assert "text/html" in html[1] and order.number in html[0]
    tasks.notify_event(entry.pk)  # a redelivered task
    assert len(mail.outbox) == 1
    assert NotificationDelivery.objects.filter(entry=entry).count() == 1
    notification = Notification.objects.get(user=deal.provider_user, entry=entry)
    assert notification.url == order.get_absolute_url()
    assert not Notification.objects.filter(user=deal.buyer_user).exists()


def test_chinese_is_the_default_email_language(deal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        place_order(deal)
    assert mail.outbox[0].subject.startswith("[创新服务]")


def test_opting_out_keeps_the_in_app_notification_but_sends_no_email(deal, django_capture_on_commit_callbacks):
    EmailOptOut.objects.create(user=deal.provider_user, action="order.created")
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(deal)
    assert mail.outbox == []
    assert Notification.objects.filter(user=deal.provider_user, entry=_last_entry(order, "order.created")).exists()


def test_rolled_back_change_notifies_nobody(deal, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        place_order(deal)
        raise RuntimeError("something later failed")
    assert callbacks == [] and mail.outbox == [] and not Notification.objects.exists()


def test_header_count_list_and_mark_read(client, deal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(deal)
        services.order_cancel(order_id=order.pk, actor=deal.buyer_user, reason="")
    client.force_login(deal.provider_user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'class="badge badge-new"' in page and order.number in page
    first = Notification.objects.filter(user=deal.provider_user).order_by("pk").first()
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response["Location"] == order.get_absolute_url()
    assert Notification.objects.filter(user=deal.provider_user, read_at__isnull=True).count() == 1
    client.post(reverse("notifications:mark-all"))
    assert not Notification.objects.filter(user=deal.provider_user, read_at__isnull=True).exists()


def test_other_users_notifications_are_404(client, deal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        place_order(deal)
    theirs = Notification.objects.get(user=deal.provider_user)
    client.force_login(deal.other_provider_user)
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404


def test_email_preferences_page(client, deal, django_capture_on_commit_callbacks):
    client.force_login(deal.provider_user)
    response = client.post(reverse("orders:email-preferences"), {"language": "en", "wanted": ["order.paid"]})
    assert response.status_code == 302
    deal.provider_user.refresh_from_db()
    assert deal.provider_user.language == "en"
    assert EmailOptOut.objects.filter(user=deal.provider_user, action="order.created").exists()
    assert not EmailOptOut.objects.filter(user=deal.provider_user, action="order.paid").exists()
    with django_capture_on_commit_callbacks(execute=True):
        place_order(deal)
    assert mail.outbox == []


def test_buyer_alone_is_reminded_once_the_day_before_an_open_quote_expires(deal, django_capture_on_commit_callbacks):
    expiring = request_quote(deal)
    send_quote(deal, expiring, valid_days=1)
    later = request_quote(deal)
    send_quote(deal, later, valid_days=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_expiring_quotes() == 1
    assert [m.to for m in mail.outbox] == [[deal.buyer_user.email]]
    assert expiring.number in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_expiring_quotes() == 0  # the task ran twice that day
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="quote.expiring", object_id=expiring.pk).count() == 1


def test_an_answered_quote_gets_no_reminder(deal, django_capture_on_commit_callbacks):
    request = request_quote(deal)
    quote = send_quote(deal, request, valid_days=1)
    services.quote_decline(actor=deal.buyer_user, quote_id=quote.pk, reason="太贵")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_expiring_quotes() == 0
