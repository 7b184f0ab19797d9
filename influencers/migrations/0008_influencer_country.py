import django_countries.fields
from django.db import migrations, models


def recognise_countries(apps, schema_editor):
    """Split free-text locations that end in a country: "Vienna, Austria" -> Vienna, AT."""
    from influencers.places import split_location

    Influencer = apps.get_model("influencers", "Influencer")
    for influencer in Influencer.objects.exclude(location="").filter(country=""):
        city, code = split_location(influencer.location)
        if code:
            Influencer.objects.filter(pk=influencer.pk).update(location=city, country=code)


class Migration(migrations.Migration):
    dependencies = [("influencers", "0007_influencer_archived")]

    operations = [
        migrations.AddField(
            model_name="influencer",
            name="country",
            field=django_countries.fields.CountryField(blank=True, max_length=2),
        ),
        migrations.AlterField(
            model_name="influencer",
            name="location",
            field=models.CharField(blank=True, max_length=120, verbose_name="city"),
        ),
        migrations.RunPython(recognise_countries, migrations.RunPython.noop),
    ]
