from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns (goals, ideas, shortlist, terms)"

    def ready(self):
        from accounts.sections import register
        from campaigns.selectors import influencer_campaigns_section, live_campaigns_section

        register("home", live_campaigns_section)
        register("influencer", influencer_campaigns_section)
