"""What each user was told about: in-app notifications, e-mail deliveries (each at most once), preferences.

The event itself is the audit entry written in the same transaction as the change; apps that know
what an event means (orders) turn it into a title and a link here.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.audit.models import AuditEntry


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [models.UniqueConstraint(fields=["user", "entry"], name="notification_once_per_event")]

    def __str__(self) -> str:
        return self.title


class NotificationDelivery(models.Model):
    """One e-mail sent for one event to one person. The unique key makes a retried task send nothing twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        constraints = [
            models.UniqueConstraint(fields=["entry", "recipient", "channel"], name="delivery_once"),
            models.CheckConstraint(condition=models.Q(channel__in=["email"]), name="delivery_channel_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.entry_id} → {self.recipient_id}"


class EmailOptOut(models.Model):
    """A kind of event (an audit action such as "order.paid") the user does not want e-mails about.

    In-app notifications are always kept; only the e-mail is skipped.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs")
    action = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("e-mail opt-out")
        verbose_name_plural = _("e-mail opt-outs")
        constraints = [models.UniqueConstraint(fields=["user", "action"], name="optout_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.action}"


class Outbox(models.Model):
    """An event to hand to the task queue, written in the same transaction as the event itself.

    A nudge right after the commit usually queues it at once; when the broker could not be reached then,
    `relay_outbox` (every minute) queues it later. The task marks the row dispatched once it has run;
    queuing an event twice is harmless, because NotificationDelivery keeps every e-mail to one.
    """

    entry = models.OneToOneField(AuditEntry, on_delete=models.CASCADE, primary_key=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # When the relay last queued it: a backlog in the queue must not make the relay queue it every minute.
    relayed_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        # The relay reads only pending rows: a small partial index however many events were ever sent.
        indexes = [
            models.Index(fields=["created_at"], condition=models.Q(dispatched_at__isnull=True), name="outbox_pending")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {'dispatched' if self.dispatched_at else 'pending'}"


class DigestDelivery(models.Model):
    """One daily summary e-mail to one person for one day: the unique key makes a second run send nothing."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.day} → {self.recipient_id}"
