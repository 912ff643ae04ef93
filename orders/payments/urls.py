from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [path("", views.stripe_webhook, name="stripe-webhook")]
