from django.apps import AppConfig


class InfluencersConfig(AppConfig):
    name = "influencers"
    verbose_name = "Influencers"

    def ready(self):
        from accounts.services import organization_defaults_register
        from influencers.services import organization_defaults_create

        # Every new organisation gets its tier table, benchmarks and engagement settings in
        # the transaction that creates it; see accounts.services for why this is a registry.
        organization_defaults_register(organization_defaults_create)
