"""The notification list (mark read, mark all read) and the header's unread count."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .services import notifications_mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")  # type: ignore[misc]
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    return redirect(notification.url if safe else "notifications:list")


@login_required
@require_POST
def notification_mark_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")
