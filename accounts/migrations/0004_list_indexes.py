from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organization_name_rule"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="brand",
            index=models.Index(fields=["organization", "name"], name="brand_list"),
        ),
    ]
