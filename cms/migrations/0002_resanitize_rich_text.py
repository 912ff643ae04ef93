"""Run the nh3 sanitizer over bodies stored by the previous, hand-written one (issue 16, item 7).

That sanitizer let parser-confusion payloads such as `<![CDATA[><img src=x onerror=...>]]>` through,
and a live page's body is rendered as stored: re-cleaning on the next save is not enough.
Drafts and old revisions are cleaned when they are published (`BulletinPage.clean`).
"""

from django.db import migrations

from cms.rich_text import sanitize_body

BODY_FIELDS = ("body", "body_en")


def resanitize_bodies(apps, schema_editor):
    for model_name in ("BulletinPage", "StandardPage"):
        model = apps.get_model("cms", model_name)
        for pk, *bodies in model.objects.values_list("pk", *BODY_FIELDS).iterator():
            cleaned = {field: sanitize_body(body) for field, body in zip(BODY_FIELDS, bodies, strict=True)}
            if any(cleaned[field] != body for field, body in zip(BODY_FIELDS, bodies, strict=True)):
                model.objects.filter(pk=pk).update(**cleaned)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(resanitize_bodies, migrations.RunPython.noop),
    ]
