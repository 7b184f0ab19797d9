"""Name where the playbook's micro figures were published, on rows seeded before it was named."""

from django.db import migrations

OLD = "The product's micro-influencer playbook"
NEW = (
    "Stryde, 'What Are Micro-Influencers and Why Should You Work With Them?' "
    "(article; no study or year named)"
)


def name_the_source(apps, schema_editor):
    # Only rows still carrying the seeded label: a source an organisation typed stays as typed.
    FollowerTier = apps.get_model("influencers", "FollowerTier")
    Benchmark = apps.get_model("influencers", "Benchmark")
    FollowerTier.objects.filter(source=OLD).update(source=NEW)
    FollowerTier.objects.filter(cost_source=OLD).update(cost_source=NEW)
    Benchmark.objects.filter(source=f"{OLD} (~4,000 followers)").update(
        source=f"{NEW} (~4,000 followers)"
    )


class Migration(migrations.Migration):
    dependencies = [("influencers", "0004_organization_defaults_fill")]

    operations = [migrations.RunPython(name_the_source, migrations.RunPython.noop)]
