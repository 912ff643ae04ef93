"""Rewrite search/data/domain_words.txt from the standard titles and the catalog's category and field names."""

from typing import Any

from django.core.management.base import BaseCommand

from catalog.models import IndustryField, ServiceCategory
from search import dictionary


class Command(BaseCommand):
    help = "Rebuild the search dictionary (standard titles, category and field names); re-index afterwards."

    def handle(self, *args: Any, **options: Any) -> None:
        names = [*ServiceCategory.objects.values_list("name_zh", flat=True)]
        names += IndustryField.objects.values_list("name_zh", flat=True)
        words = dictionary.build(names)
        dictionary.WORDS.write_text("".join(f"{w}\n" for w in words), encoding="utf-8")
        self.stdout.write(f"{len(words)} words written to {dictionary.WORDS}; run search_reconcile to re-index.")
