"""Development only: ask localstripe to deliver Stripe events to this site's webhook endpoint."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from orders.payments import stripe_client


class Command(BaseCommand):
    help = "Register this site's webhook URL with localstripe (the fake Stripe API used in development)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", default="http://127.0.0.1:8000", help="where this site is served")

    def handle(self, *args: Any, site: str, **options: Any) -> None:
        url = site.rstrip("/") + "/payments/stripe/webhook/"
        stripe_client.register_local_webhook(url)
        self.stdout.write(f"localstripe will deliver payment events to {url}")
