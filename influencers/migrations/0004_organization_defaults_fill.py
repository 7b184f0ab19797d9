"""Give every organisation that lacks them its engagement settings and default tier table.

Pages used to create these on first visit; now the organisation's creation does, and pages
only read them. Creates only what is missing, so running it again changes nothing. Uses the
published scheme as this release ships it (influencers.defaults is plain data).
"""

from django.db import migrations


def fill(apps, schema_editor):
    from influencers.defaults import DEFAULT_SCHEME

    Organization = apps.get_model("accounts", "Organization")
    EngagementSettings = apps.get_model("influencers", "EngagementSettings")
    FollowerTier = apps.get_model("influencers", "FollowerTier")
    Benchmark = apps.get_model("influencers", "Benchmark")
    with_settings = set(EngagementSettings.objects.values_list("organization_id", flat=True))
    with_tiers = set(FollowerTier.objects.values_list("organization_id", flat=True))
    for organization in Organization.objects.order_by("pk"):
        if organization.pk not in with_settings:
            EngagementSettings.objects.create(
                organization=organization, tier_scheme=DEFAULT_SCHEME.key
            )
        if organization.pk in with_tiers:
            continue
        tiers = {}
        for spec in DEFAULT_SCHEME.tiers:
            cost_min, cost_max, cost_source = spec.cost or (None, None, "")
            tiers[spec.name] = FollowerTier.objects.create(
                organization=organization,
                name=spec.name,
                lower=spec.lower,
                upper=spec.upper,
                source=DEFAULT_SCHEME.source,
                cost_min=cost_min,
                cost_max=cost_max,
                cost_source=cost_source,
            )
        Benchmark.objects.bulk_create(
            Benchmark(
                organization=organization,
                platform=spec.platform,
                tier=tiers[spec.tier],
                formula=spec.formula,
                rate=spec.rate,
                source=spec.source,
                year=spec.year,
            )
            for spec in DEFAULT_SCHEME.benchmarks
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organization_name_rule"),
        ("influencers", "0003_import_rows"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
