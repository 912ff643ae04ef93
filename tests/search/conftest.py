import os

import pytest

from search import api
from tests.factories import search_catalog


def _backend_params() -> list:
    es_skip = pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"), reason="set ELASTICSEARCH_URL to run the Elasticsearch backend"
    )
    return [pytest.param("database", id="database"), pytest.param("elasticsearch", id="elasticsearch", marks=es_skip)]


@pytest.fixture(params=_backend_params())
def backend_name(request, settings):
    """Every available backend in turn; the Elasticsearch index is per xdist worker."""
    settings.SEARCH_BACKEND = request.param
    settings.SEARCH_INDEX_ALIAS = f"services-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    return request.param


@pytest.fixture
def catalog(db, backend_name):
    """The search test catalog, indexed by the backend under test."""
    data = search_catalog()
    api.rebuild_index()
    return data
