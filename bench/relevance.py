"""Relevance benchmark: nDCG@10 and recall@10 of every available backend on the judged queries.

Not a test (tests/search/test_relevance.py asserts floors). Creates a throwaway test database on whatever
DATABASE_URL points at (SQLite by default), loads the relevance corpus (tests/search/relevance/), and prints
the mean scores of the tuning set and of the held-out set per backend, plus the queries scoring lowest:

    .venv/bin/python bench/relevance.py            # database backend (SQLite unless DATABASE_URL is set)
    ELASTICSEARCH_URL=http://... .venv/bin/python bench/relevance.py   # Elasticsearch too
"""

import argparse
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from search.api import rebuild_index  # noqa: E402
from tests.search.relevance.evaluate import Scores, evaluate, load_corpus  # noqa: E402
from tests.search.relevance.heldout import HELD_OUT  # noqa: E402
from tests.search.relevance.judged import JUDGED  # noqa: E402


def backends() -> list[str]:
    return ["database", "elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else ["database"]


def report(name: str, scores: Scores, worst: int) -> None:
    print(f"  {name:<9} {len(scores.per_query):>3} queries  nDCG@10 {scores.ndcg:.3f}  recall@10 {scores.recall:.3f}")
    for q in sorted(scores.per_query, key=lambda q: q.ndcg)[:worst]:
        print(f"      {q.ndcg:.2f} {q.recall:.2f}  {q.query}  ->  {', '.join(q.ranked[:5])}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worst", type=int, default=5, help="list this many lowest-scoring queries per set")
    args = parser.parse_args()
    logging.getLogger("celery").setLevel(logging.WARNING)  # eager tasks log every run
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        keys = load_corpus()
        for backend in backends():
            settings.SEARCH_BACKEND = backend
            settings.SEARCH_INDEX_ALIAS = "services-relevance-bench"
            rebuild_index()
            print(f"{backend} ({connection.vendor if backend == 'database' else settings.ELASTICSEARCH_URL})")
            report("judged", evaluate(JUDGED, keys), args.worst)
            report("held-out", evaluate(HELD_OUT, keys), args.worst)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
