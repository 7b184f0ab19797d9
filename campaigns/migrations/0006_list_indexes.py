from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_comment_length"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="campaign",
            index=models.Index(fields=["organization", "created_at", "id"], name="campaign_list"),
        ),
        migrations.AddIndex(
            model_name="goal",
            index=models.Index(fields=["organization", "deadline", "id"], name="goal_list"),
        ),
        migrations.AddIndex(
            model_name="goalmeasurement",
            index=models.Index(
                fields=["organization", "measured_on", "id"], name="goal_measurement_list"
            ),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(fields=["organization", "created_at", "id"], name="idea_list"),
        ),
        migrations.AddIndex(
            model_name="shortlistentry",
            index=models.Index(fields=["organization", "created_at", "id"], name="shortlist_list"),
        ),
        migrations.AddIndex(
            model_name="termsheet",
            index=models.Index(fields=["organization", "created_at", "id"], name="term_sheet_list"),
        ),
    ]
