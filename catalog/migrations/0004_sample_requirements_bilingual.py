from django.db import migrations, models


class Migration(migrations.Migration):
    """Sample requirements in both languages, like title, summary and description; existing text is Chinese."""

    dependencies = [
        ("catalog", "0003_field_validators"),
    ]

    operations = [
        migrations.RenameField(model_name="service", old_name="sample_requirements", new_name="sample_requirements_zh"),
        migrations.AlterField(
            model_name="service",
            name="sample_requirements_zh",
            field=models.TextField(blank=True, verbose_name="sample requirements (Chinese)"),
        ),
        migrations.AddField(
            model_name="service",
            name="sample_requirements_en",
            field=models.TextField(blank=True, verbose_name="sample requirements (English)"),
        ),
    ]
