"""The demo campaign: Glow & Co launches a coffee scrub with many micro-influencers."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Brand, BrandHandle, Membership, Organization, Platform, Role
from campaigns import services
from campaigns.models import (
    Campaign,
    CampaignStatus,
    CampaignType,
    CompensationModel,
    DeliverableType,
    GoalMetric,
    TargetKind,
)
from influencers.models import DataSource, SocialAccount

DEMO_CAMPAIGN_NAME = "Coffee scrub launch"
DEMO_DESCRIPTION = (
    "Glow & Co's new coffee scrub, launched with many micro-influencers who love skincare "
    "and coffee. Posts use the campaign hashtag #scrubup and are marked as advertising "
    "with #ad."
)
FOLLOWER_BASELINE = Decimal(12_000)
# (weeks ago, value): followers grow week by week, so the page shows a forecast.
FOLLOWER_MEASUREMENTS = [(6, 12_180), (4, 12_420), (2, 12_650), (0, 12_900)]
SALES_MEASUREMENTS = [(3, 1_250), (0, 3_400)]


def demo_year_end(today: date) -> date:
    """31 December of this year, or of next year once this year's has come."""
    year_end = date(today.year, 12, 31)
    return year_end if year_end > today else date(today.year + 1, 12, 31)


@transaction.atomic
def demo_campaign_ensure(*, organization: Organization) -> Campaign | None:
    """Create the demo campaign and its two goals unless the workspace has campaigns.

    Checking for any campaign, not this name, keeps a renamed demo campaign from coming back.
    """
    if Campaign.objects.filter(organization=organization).exists():
        return None
    brand = Brand.objects.filter(organization=organization, name="Glow & Co").first()
    if brand is None:
        return None
    today = timezone.localdate()
    year_end = demo_year_end(today)
    campaign = services.campaign_save(
        organization=organization,
        brand=brand,
        name=DEMO_CAMPAIGN_NAME,
        description=DEMO_DESCRIPTION,
        status=CampaignStatus.RECRUITING,
        # Started when the measurements below began, a few weeks ago.
        start_date=today - timedelta(weeks=max(weeks for weeks, _ in FOLLOWER_MEASUREMENTS)),
        end_date=year_end,
        budget_amount=Decimal(6_000),
        budget_currency="EUR",
    )
    goals = []
    instagram = BrandHandle.objects.filter(brand=brand, platform=Platform.INSTAGRAM).first()
    if instagram is not None:  # a user may have removed it from the demo brand
        followers = services.goal_save(
            campaign=campaign,
            metric=GoalMetric.FOLLOWER_GROWTH,
            brand_handle=instagram,
            baseline=FOLLOWER_BASELINE,
            target_kind=TargetKind.PERCENT,
            target_value=Decimal(30),
            deadline=year_end,
        )
        goals.append((followers, FOLLOWER_MEASUREMENTS))
    sales = services.goal_save(
        campaign=campaign,
        metric=GoalMetric.ATTRIBUTED_REVENUE,
        baseline=Decimal(0),
        target_kind=TargetKind.ABSOLUTE,
        target_value=Decimal(20_000),
        deadline=year_end,
    )
    goals.append((sales, SALES_MEASUREMENTS))
    for goal, measurements in goals:
        for weeks_ago, value in measurements:
            services.goal_measurement_record(
                goal=goal,
                measured_on=today - timedelta(weeks=weeks_ago),
                value=Decimal(value),
                source=DataSource.SANDBOX,
            )
    _demo_ideas(campaign, today)
    _demo_shortlist(campaign)
    _demo_term_sheets(campaign, today)
    return campaign


# handle -> (decision, reason); None leaves the candidate undecided.
DEMO_SHORTLIST = {
    "anna.scrub": ("approved", "2.5 times the micro benchmark; posts about scrubs already."),
    "ellabotanics": ("approved", "Above benchmark, skincare and vegan audience in Zurich."),
    "benbrews": ("rejected", "Below the benchmark; comments look like giveaway hunters."),
    "claraglow": ("rejected", "Engagement well below the micro benchmark."),
    "finntok": None,
}


def _demo_shortlist(campaign: Campaign) -> None:
    """Five candidates from the demo directory, four decided with their reasons."""
    members = {
        m.role: m.user for m in Membership.objects.filter(organization=campaign.organization)
    }
    accounts = SocialAccount.objects.filter(
        organization=campaign.organization, handle__in=list(DEMO_SHORTLIST)
    )
    for account in accounts:
        entry = services.shortlist_add(
            campaign=campaign, account=account, added_by=members.get(Role.MARKETER)
        )
        decision = DEMO_SHORTLIST[account.handle]
        if decision:
            status, reason = decision
            services.shortlist_decide(
                entry=entry, status=status, reason=reason, user=members.get(Role.MANAGER)
            )
        if account.handle == "anna.scrub":
            services.shortlist_checklist_save(
                entry=entry,
                content_quality=True,
                content_quality_note="Bright, well-lit routine videos.",
                niche_fit=True,
                niche_fit_note="Skincare with a coffee habit.",
                audience_fit=True,
                audience_fit_note="Mostly women 20-35 in Germany.",
                comments_genuine=True,
                comments_genuine_note="Questions about products, few emoji-only comments.",
            )


def _demo_ideas(campaign: Campaign, today: date) -> None:
    """Three ideas from the brainstorm; the seeding wave is chosen, with the team's votes."""
    members = {
        m.role: m.user for m in Membership.objects.filter(organization=campaign.organization)
    }
    seeding = services.idea_save(
        campaign=campaign,
        title="Coffee-lovers seeding wave",
        description="Send the scrub to micro-influencers who post about skincare and coffee.",
        campaign_type=CampaignType.GIFTING,
        channels=["instagram", "tiktok"],
        niches=["skincare", "coffee"],
        tiers=["micro"],
        locations=["Germany", "Austria", "Switzerland"],
        followers_min=1_000,
        followers_max=10_000,
        min_engagement_rate=Decimal(3),
        campaign_hashtag="scrubup",
        disclosure_hashtag="ad",
        estimated_cost=Decimal(4_000),
    )
    services.idea_save(
        campaign=campaign,
        title="Morning-routine giveaway",
        campaign_type=CampaignType.GIVEAWAY,
        channels=["instagram"],
        niches=["skincare"],
        campaign_hashtag="scrubup",
        estimated_cost=Decimal(1_500),
    )
    services.idea_save(
        campaign=campaign,
        title="Barista takeover",
        campaign_type=CampaignType.TAKEOVER,
        channels=["instagram"],
        niches=["coffee"],
        estimated_cost=Decimal(2_000),
    )
    for user in members.values():
        services.idea_vote_toggle(idea=seeding, user=user)
    if Role.MANAGER in members:
        services.idea_comment_add(
            idea=seeding,
            author=members[Role.MANAGER],
            text="Approved direction: micro accounts with real comments, not follower counts.",
        )
    services.idea_choose(idea=seeding)


def _demo_term_sheets(campaign: Campaign, today: date) -> None:
    """Two ways of working with influencers: paid ambassadors and a gifting wave."""
    deliverable = {"count": 2, "type": DeliverableType.REEL, "platform": "instagram"}
    services.term_sheet_save(
        campaign=campaign,
        name="Micro ambassadors",
        deliverables=[
            deliverable,
            {"count": 3, "type": DeliverableType.STORY, "platform": "instagram"},
        ],
        compensation_model=CompensationModel.HYBRID,
        fee_amount=Decimal(250),
        product_value=Decimal(35),
        commission_rate=Decimal(10),
        required_hashtags=["scrubup"],
        required_mentions=["glowco"],
        disclosure="#ad",
        usage_rights_days=90,
        usage_rights_channels=["instagram"],
        exclusivity_days=30,
        exclusivity_competitors="Other body-scrub brands",
        posting_window_start=today + timedelta(days=7),
        posting_window_end=today + timedelta(days=28),
        relationship_months=3,
        influencers_planned=12,
    )
    services.term_sheet_save(
        campaign=campaign,
        name="Gifting wave",
        deliverables=[{"count": 1, "type": DeliverableType.FEED_POST, "platform": "instagram"}],
        compensation_model=CompensationModel.PRODUCT_ONLY,
        product_value=Decimal(35),
        required_hashtags=["scrubup"],
        disclosure="#ad",
        drafts_need_approval=False,
        influencers_planned=40,
    )
