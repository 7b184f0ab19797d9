from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns (goals, ideas, shortlist, terms)"

    def ready(self):
        from campaigns.selectors import influencer_campaigns_section
        from influencers.sections import register

        register(influencer_campaigns_section)
