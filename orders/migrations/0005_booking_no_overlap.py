"""Two active bookings of one instrument can never overlap, even under concurrency (PostgreSQL only).

An exclusion constraint over (equipment, [starts_at, occupied_until)) for held and confirmed bookings,
with btree_gist for the equality part. SQLite (the embedded demo) has no exclusion constraints: there the
booking service enforces the same rule itself inside a write transaction (orders/booking.py).
"""

from django.db import migrations

CONSTRAINT = "booking_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE orders_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(equipment_id WITH =, tstzrange(starts_at, occupied_until, '[)') WITH &&) "
        "WHERE (status IN ('held', 'confirmed'))"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE orders_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("orders", "0004_booking")]
    operations = [migrations.RunPython(add_constraint, drop_constraint)]
