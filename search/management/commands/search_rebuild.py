from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search import api
from search.backends.base import ServiceData
from search.documents import count_public_services


class Command(BaseCommand):
    help = "Rebuild the search index from every public service (zero downtime on Elasticsearch)."

    def handle(self, *args: Any, **options: Any) -> None:
        total = count_public_services()

        def progress(documents: Iterator[ServiceData]) -> Iterable[ServiceData]:
            return tqdm(documents, total=total, unit="service", file=self.stderr)

        api.rebuild_index(progress)
        api.warm_landing_search()
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} public services."))
