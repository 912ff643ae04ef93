from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/<slug:slug>/", views.provider_detail, name="provider-detail"),
    path("providers/<slug:provider>/services/<slug:slug>/", views.service_detail, name="service-detail"),
    path("categories/", views.category_list, name="category-list"),
    path("categories/<slug:slug>/", views.category_detail, name="category-detail"),
]
