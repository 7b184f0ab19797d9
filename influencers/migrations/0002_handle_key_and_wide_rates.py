from django.db import migrations, models


def fill_handle_keys(apps, schema_editor):
    SocialAccount = apps.get_model("influencers", "SocialAccount")
    accounts = list(SocialAccount.objects.only("pk", "handle"))
    for account in accounts:
        account.handle_key = account.handle.strip().lstrip("@").strip().casefold()
    SocialAccount.objects.bulk_update(accounts, ["handle_key"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("influencers", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="socialaccount",
            name="handle_key",
            field=models.CharField(default="", editable=False, max_length=100),
            preserve_default=False,
        ),
        migrations.RunPython(fill_handle_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="socialaccount", name="account_handle_unique_ci"),
        migrations.AddConstraint(
            model_name="socialaccount",
            constraint=models.UniqueConstraint(
                fields=("organization", "platform", "handle_key"), name="account_handle_unique"
            ),
        ),
        migrations.AlterField(
            model_name="socialaccount",
            name="engagement_rate",
            field=models.DecimalField(blank=True, decimal_places=3, max_digits=20, null=True),
        ),
        migrations.AlterField(
            model_name="socialaccount",
            name="benchmark_ratio",
            field=models.DecimalField(blank=True, decimal_places=3, max_digits=20, null=True),
        ),
    ]
