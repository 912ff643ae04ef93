"""Providers' provinces and cities in their one official form (as organizations 0002); the search index takes
the new values at its next reconciliation."""

from django.db import migrations

from marketplace.regions import normalise_stored


def normalise(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    normalise_stored(apps.get_model("catalog", "Provider"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_service_import_language_and_stale_rows")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
