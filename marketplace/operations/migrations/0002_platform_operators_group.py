"""The "Platform operators" group: exactly what the console and the admin pages operators use need.

No user or group administration, no editing of orders or payments (those change only through services),
no CMS rights (editors have their own groups).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Platform operators"
PERMISSIONS = {
    "operations": ["view_providerapplication", "change_providerapplication", "view_applicationdocument"],
    "catalog": [
        "view_provider",
        "change_provider",
        "view_accreditation",
        "change_accreditation",
        "view_service",
        "view_equipment",
        "view_serviceimport",
        "view_industryfield",
        "view_servicecategory",
    ],
    "organizations": ["view_organization", "change_organization", "view_membership"],
    "orders": ["view_order", "view_quoterequest", "view_quote", "view_report", "view_review", "view_message"],
    "audit": ["view_auditentry"],
}


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are otherwise only created after all migrations
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    wanted = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codenames in PERMISSIONS.items()
        for codename in codenames
    ]
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0007_provider_suspended_english_fields_accreditation_files"),
        ("organizations", "0001_initial"),
        ("orders", "0005_booking_no_overlap"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
