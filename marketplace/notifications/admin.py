from django.contrib import admin

from .models import Notification, NotificationDelivery


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
