"""Stored provinces and cities in their one official form ("浙江"/"Zhejiang" -> "浙江省", "宁波" -> "宁波市")."""

from django.db import migrations

from marketplace.regions import normalise_stored


def normalise(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    normalise_stored(apps.get_model("organizations", "Organization"))


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
