"""The demo campaign: Glow & Co launches a coffee scrub with many micro-influencers."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Brand, BrandHandle, Organization, Platform
from campaigns import services
from campaigns.models import Campaign, CampaignStatus, GoalMetric, TargetKind
from influencers.models import DataSource

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
    return campaign
