import uuid

import django.db.models.deletion
from django.db import migrations, models


def read_unimported_jobs_again(apps, schema_editor):
    """Jobs not yet imported have no stored rows: they wait to be read again.

    Their page offers to start the read (a job waiting this long counts as stalled).
    """
    ImportJob = apps.get_model("influencers", "ImportJob")
    ImportJob.objects.exclude(status="done").update(status="uploaded", error="", total_rows=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_site_name"),
        ("influencers", "0002_handle_key_and_wide_rates"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="columns",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="importjob",
            name="preview",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="importjob",
            name="problem_rows",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("uploaded", "Reading the file…"),
                    ("reading", "Reading the file…"),
                    ("unreadable", "Could not be read"),
                    ("checking", "Checking the rows…"),
                    ("checked", "Checked"),
                    ("queued", "Waiting to import"),
                    ("running", "Importing…"),
                    ("done", "Imported"),
                    ("failed", "Import failed"),
                ],
                default="uploaded",
                max_length=16,
            ),
        ),
        migrations.CreateModel(
            name="ImportProblem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("number", models.PositiveIntegerField()),
                ("messages", models.JSONField(default=list)),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="problems",
                        to="influencers.importjob",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organization",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("job", "number"), name="import_problem_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="ImportRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("number", models.PositiveIntegerField()),
                ("cells", models.JSONField(default=list)),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="influencers.importjob",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organization",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("job", "number"), name="import_row_unique")
                ],
            },
        ),
        migrations.RunPython(read_unimported_jobs_again, migrations.RunPython.noop),
    ]
