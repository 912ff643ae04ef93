from django.urls import URLPattern, URLResolver

app_name = "cms"
urlpatterns: list[URLPattern | URLResolver] = []
