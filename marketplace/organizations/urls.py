from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invite/rotate/", views.rotate_invite, name="rotate-invite"),
]
