"""Database settings built from DATABASE_URL (marketplace.settings.base.database)."""

import pytest
from django.db import connection

from marketplace.settings.base import database


def test_postgresql_urls_get_jit_off_and_keep_their_own_options():
    settings = database("postgres://u:p@db.example:5432/market?options=-c%20statement_timeout%3D5000")
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert settings["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"
    assert settings["ATOMIC_REQUESTS"] is False
    assert "options" not in database("sqlite:////tmp/demo.sqlite3").get("OPTIONS", {})


@pytest.mark.django_db
def test_the_connection_runs_without_jit_on_postgresql():
    if connection.vendor != "postgresql":
        assert connection.settings_dict["OPTIONS"].get("options") is None
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
