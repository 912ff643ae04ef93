"""The first synonym groups, and on SQLite the FTS5 table's columns for the weighted texts: title, summary (with
the standards), body (description), provider (the provider's name, its own low-weight column).

The old rows are copied (standards into summary; provider names stay in body until the document is indexed
again: the analysis version changed, so the nightly reconciliation, or `search_reconcile`, re-indexes every one).
"""

from django.db import migrations

GROUPS = [
    ("寿命, 耐久, 耐久性", "life tests are also called endurance tests"),
    ("life, endurance, durability", ""),
    ("固废, 固体废物", ""),
    ("盐雾, salt spray, salt mist, salt fog", ""),
    ("电磁兼容, EMC", ""),
    ("无损检测, 无损探伤, NDT, non-destructive testing", ""),
    ("探伤, 无损检测", ""),
    ("挥发性有机物, VOC, VOCs", ""),
    ("有害物质, 限用物质, RoHS", ""),
    ("老化, 耐候, aging, ageing, weathering", ""),
]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_servicedocument_fts_new USING fts5(title, summary, body, provider, tokenize='trigram')",
    "INSERT INTO search_servicedocument_fts_new (rowid, title, summary, body, provider) "
    "SELECT rowid, title, standards || ' ' || summary, body, '' FROM search_servicedocument_fts",
    "DROP TABLE search_servicedocument_fts",
    "ALTER TABLE search_servicedocument_fts_new RENAME TO search_servicedocument_fts",
]
SQLITE_BACKWARD = [
    "CREATE VIRTUAL TABLE search_servicedocument_fts_old USING fts5(title, standards, summary, body, tokenize='trigram')",
    "INSERT INTO search_servicedocument_fts_old (rowid, title, standards, summary, body) "
    "SELECT rowid, title, '', summary, body || ' ' || provider FROM search_servicedocument_fts",
    "DROP TABLE search_servicedocument_fts",
    "ALTER TABLE search_servicedocument_fts_old RENAME TO search_servicedocument_fts",
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for words, note in GROUPS:
        SynonymGroup.objects.get_or_create(words=words, defaults={"note": note})


def fts_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def fts_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_synonym_group")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(fts_forward, fts_backward),
    ]
