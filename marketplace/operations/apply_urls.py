"""The applicant's pages, under /apply/."""

from django.urls import path

from . import views

app_name = "apply"

urlpatterns = [
    path("", views.application, name="application"),
    path("<int:pk>/documents/", views.document_add, name="document-add"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("documents/<int:pk>/remove/", views.document_remove, name="document-remove"),
]
