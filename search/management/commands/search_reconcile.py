from typing import Any

from django.core.management.base import BaseCommand

from search import api


class Command(BaseCommand):
    help = "Compare the search index with the catalog and repair what differs (what the nightly task does)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = api.reconcile_index()
        if report.repaired:
            api.warm_landing_search()
        self.stdout.write(
            f"Checked {report.checked} public services: {report.missing} missing (indexed), "
            f"{report.stale} stale (re-indexed), {report.extra} no longer public (removed)."
        )
        for kind, ids in report.sample.items():
            if ids:
                self.stdout.write(f"  {kind}: {', '.join(map(str, ids))}")
