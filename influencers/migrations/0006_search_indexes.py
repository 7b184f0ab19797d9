"""Indexes for the directory's text search and sorts, and for the API's lists.

Django's `icontains` reads `UPPER(column::text) LIKE UPPER('%term%')` on PostgreSQL, so the
trigram indexes are on that very expression: a search or location filter then reads the
index instead of every organisation's rows. The directory sorts descending with missing
numbers last (`DESC NULLS LAST`), an order a plain index read backwards does not give.
SQLite has neither trigram indexes nor NULLS LAST in an index: it keeps scanning, which is
fine at the sizes it serves.
"""

from django.db import migrations, models

TRIGRAM = [
    ("influencer_name_trgm", "influencers_influencer", "name"),
    ("influencer_location_trgm", "influencers_influencer", "location"),
    ("account_handle_trgm", "influencers_socialaccount", "handle"),
]
DESCENDING = [
    ("account_followers_desc", "followers"),
    ("account_engagement_desc", "engagement_rate"),
    ("account_ratio_desc", "benchmark_ratio"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
    for name, column in DESCENDING:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON influencers_socialaccount "
            f"(organization_id, {column} DESC NULLS LAST, id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, *_ in TRIGRAM + DESCENDING:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("influencers", "0005_stryde_source")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="socialaccount",
            index=models.Index(
                fields=["organization", "platform", "handle", "id"], name="account_list"
            ),
        ),
        migrations.RemoveIndex(model_name="influencer", name="influencers_organiz_ba4c17_idx"),
        migrations.AddIndex(
            model_name="influencer",
            index=models.Index(fields=["organization", "name", "id"], name="influencer_list"),
        ),
        migrations.AddIndex(
            model_name="socialaccount",
            index=models.Index(
                fields=["influencer", "organization", "id"], name="account_by_influencer"
            ),
        ),
    ]
