"""Load the demo data set. Safe to run any number of times."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent). Each app contributes a loader listed in DEMO_LOADERS."

    def handle(self, *args: Any, **options: Any) -> None:
        for dotted in settings.DEMO_LOADERS:
            self.stdout.write(f"Loading {dotted} ...")
            import_string(dotted)()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins are listed in README.md."))
