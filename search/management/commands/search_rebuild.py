from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search import api
from search.backends import get_backend
from search.documents import all_public_service_data, count_public_services


class Command(BaseCommand):
    help = "Rebuild the search index from every public service (zero downtime on Elasticsearch)."

    def handle(self, *args: Any, **options: Any) -> None:
        total = count_public_services()
        documents = tqdm(all_public_service_data(), total=total, unit="service", file=self.stderr)
        get_backend().rebuild(documents)
        api.warm_landing_search()
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} public services."))
