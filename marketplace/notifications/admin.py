from django.contrib import admin

from .models import Notification, NotificationDelivery, Outbox


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "title", "read_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "title"]
    readonly_fields = ["user", "entry", "title", "url", "created_at", "read_at"]


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "recipient", "channel", "entry"]
    list_select_related = ["recipient", "entry"]
    readonly_fields = ["entry", "recipient", "channel", "sent_at"]


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    """Events still pending long after their time are the ones the relay gave up on (a day): look here."""

    list_display = ["created_at", "entry", "relayed_at", "dispatched_at"]
    list_filter = [("dispatched_at", admin.EmptyFieldListFilter)]
    list_select_related = ["entry__content_type"]
    readonly_fields = ["entry", "created_at", "relayed_at", "dispatched_at"]
