from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.<str:fmt>", views.export, name="export"),
    path("report.pdf", views.monthly_report, name="report"),
]
