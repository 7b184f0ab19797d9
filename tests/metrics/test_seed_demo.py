from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, Organization
from campaigns.demo import demo_year_end
from campaigns.models import Campaign, CampaignStatus, Goal, GoalMetric
from campaigns.progress import goal_progress
from influencers.models import DataSource, SocialAccount


@pytest.mark.django_db
def test_seed_demo_creates_the_workspace_once_and_prints_the_logins(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "Created the demo workspace" in output and "Reusing the demo workspace" in output
    assert "owner@demo.example" in output and "demo-glow-2026" in output
    organization = Organization.objects.get()
    assert sorted(Membership.objects.values_list("role", flat=True)) == [
        "manager",
        "marketer",
        "owner",
    ]
    anna = SocialAccount.objects.get(organization=organization, handle="anna.scrub")
    assert (anna.engagement_rate, anna.benchmark_ratio) == (Decimal("14.850"), Decimal("2.475"))
    assert anna.engagement_source == DataSource.SANDBOX
    assert SocialAccount.objects.count() == 10


@pytest.mark.django_db
def test_seed_demo_creates_the_coffee_scrub_campaign_once_with_forecast_goals():
    call_command("seed_demo")
    call_command("seed_demo")
    campaign = Campaign.objects.get()
    today = timezone.localdate()
    assert campaign.name == "Coffee scrub launch" and campaign.brand.name == "Glow & Co"
    assert campaign.status == CampaignStatus.RECRUITING
    assert campaign.end_date == date(today.year, 12, 31) > today
    assert (campaign.budget_amount, campaign.budget_currency) == (Decimal(6000), "EUR")
    assert "#scrubup" in campaign.description and "#ad" in campaign.description
    followers = Goal.objects.get(metric=GoalMetric.FOLLOWER_GROWTH)
    assert followers.brand_handle.handle == "glowco"
    assert followers.brand_handle.platform == "instagram"
    assert (followers.baseline, followers.target) == (Decimal(12000), Decimal(15600))
    sales = Goal.objects.get(metric=GoalMetric.ATTRIBUTED_REVENUE)
    assert (sales.baseline, sales.target_kind, sales.target) == (0, "absolute", 20000)
    assert followers.deadline == sales.deadline == campaign.end_date
    assert followers.measurements.count() == 4 and sales.measurements.count() == 2
    for goal in (followers, sales):
        assert goal.measurements.filter(measured_on__lt=today).exists()
        progress = goal_progress(
            baseline=goal.baseline,
            target=goal.target,
            deadline=goal.deadline,
            measurements=list(goal.measurements.values_list("measured_on", "value")),
            today=today,
        )
        assert progress.projected is not None  # a forecast shows


def test_the_demo_campaign_ends_next_year_once_this_year_is_over():
    assert demo_year_end(date(2026, 11, 27)) == date(2026, 12, 31)
    assert demo_year_end(date(2026, 12, 31)) == date(2027, 12, 31)


@pytest.mark.django_db
def test_the_demo_campaign_has_three_ideas_one_chosen_and_two_term_sheets(client):
    from campaigns.models import Campaign

    call_command("seed_demo")
    campaign = Campaign.objects.get(name="Coffee scrub launch")
    ideas = list(campaign.ideas.order_by("title"))
    assert [idea.title for idea in ideas if idea.chosen] == ["Coffee-lovers seeding wave"]
    assert len(ideas) == 3
    assert sorted(sheet.name for sheet in campaign.term_sheets.all()) == [
        "Gifting wave",
        "Micro ambassadors",
    ]
    decisions = {e.account.handle: e.status for e in campaign.shortlist.select_related("account")}
    assert decisions == {
        "anna.scrub": "approved",
        "ellabotanics": "approved",
        "benbrews": "rejected",
        "claraglow": "rejected",
        "finntok": "candidate",
    }
    client.login(username="manager@demo.example", password="demo-glow-2026")
    page = client.get(f"/campaigns/{campaign.code}/ideas/").content.decode()
    assert "Coffee-lovers seeding wave" in page
    assert "Over budget" not in client.get(f"/campaigns/{campaign.code}/terms/").content.decode()


@pytest.mark.django_db
def test_the_demo_campaigns_dach_profile_finds_candidates_and_wants_berlin(client):
    call_command("seed_demo", stdout=StringIO())
    campaign = Campaign.objects.get()
    client.login(username="marketer@demo.example", password="demo-glow-2026")
    page = client.get(f"/campaigns/{campaign.code}/shortlist/search/").content.decode()
    # The chosen idea wants Germany, Austria and Switzerland: Berlin is in Germany.
    assert "2 accounts fit the target profile" in page
    assert "location Salzburg, Austria is wanted" in page
    assert "location Basel, Switzerland is wanted" in page
    shortlist = client.get(f"/campaigns/{campaign.code}/shortlist/").content.decode()
    assert "location Berlin, Germany is wanted" in shortlist
