import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection

from marketplace.organizations.demo import DEMO_PASSWORD, USERS

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(("django_session", "django_migrations")):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - introspected names
            counts[table] = cursor.fetchone()[0]
    return counts


def test_demo_command_is_idempotent():
    call_command("demo", verbosity=0)
    first = _row_counts()
    call_command("demo", verbosity=0)
    assert _row_counts() == first
    assert first["organizations_organization"] > 0


def test_demo_logins_work():
    call_command("demo", verbosity=0)
    for spec in USERS:
        assert authenticate(email=spec.email, password=DEMO_PASSWORD) is not None, spec.email
