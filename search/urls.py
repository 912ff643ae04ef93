from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("suggest", views.suggest_options, name="suggest-options"),
    path("api/services", views.services_api, name="api-services"),
    path("api/suggest", views.suggest_api, name="api-suggest"),
]
