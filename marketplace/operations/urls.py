"""The operator console, under /operations/."""

from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<int:pk>/", views.application_review, name="application"),
    path("providers/", views.provider_list, name="providers"),
    path("providers/<int:pk>/<str:action>/", views.provider_status, name="provider-status"),
]
