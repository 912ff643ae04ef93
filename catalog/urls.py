from django.urls import path

from . import dashboard_views as dash
from . import views

app_name = "catalog"
urlpatterns = [
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/<slug:slug>/", views.provider_detail, name="provider-detail"),
    path("providers/<slug:provider>/services/<slug:slug>/", views.service_detail, name="service-detail"),
    path("categories/", views.category_list, name="category-list"),
    path("categories/<slug:slug>/", views.category_detail, name="category-detail"),
    # provider dashboard
    path("dashboard/", dash.home, name="dashboard"),
    path("dashboard/<slug:provider>/", dash.provider_overview, name="dashboard-provider"),
    path("dashboard/<slug:provider>/profile/", dash.profile_edit, name="dashboard-profile"),
    path("dashboard/<slug:provider>/services/new/", dash.service_create, name="dashboard-service-create"),
    path("dashboard/<slug:provider>/services/<int:pk>/", dash.service_edit, name="dashboard-service-edit"),
    path(
        "dashboard/<slug:provider>/services/<int:pk>/publish/", dash.service_publish, name="dashboard-service-publish"
    ),
    path(
        "dashboard/<slug:provider>/services/<int:pk>/archive/", dash.service_archive, name="dashboard-service-archive"
    ),
    path("dashboard/<slug:provider>/equipment/new/", dash.equipment_create, name="dashboard-equipment-create"),
    path("dashboard/<slug:provider>/equipment/<int:pk>/", dash.equipment_edit, name="dashboard-equipment-edit"),
    path("dashboard/<slug:provider>/export.<str:fmt>", dash.service_export, name="dashboard-export"),
    path("dashboard/<slug:provider>/import/", dash.import_upload, name="dashboard-import-upload"),
    path("dashboard/<slug:provider>/import/<int:pk>/", dash.import_detail, name="dashboard-import"),
    path("dashboard/<slug:provider>/import/<int:pk>/commit/", dash.import_commit, name="dashboard-import-commit"),
    path("dashboard/<slug:provider>/import/<int:pk>/file/", dash.import_file, name="dashboard-import-file"),
]
