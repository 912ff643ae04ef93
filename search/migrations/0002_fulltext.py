"""Engine-specific full-text structures: a GIN index on PostgreSQL, an FTS5 trigram table on SQLite."""

from django.db import migrations

PG_FORWARD = "CREATE INDEX IF NOT EXISTS searchdoc_vector_gin ON search_servicedocument USING gin (search_vector)"
PG_BACKWARD = "DROP INDEX IF EXISTS searchdoc_vector_gin"
SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_servicedocument_fts "
    "USING fts5(title, standards, summary, body, tokenize='trigram')"
)
SQLITE_BACKWARD = "DROP TABLE IF EXISTS search_servicedocument_fts"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
