"""Reads of campaigns and their plan, each scoped to one organisation."""

from functools import reduce
from operator import or_

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, Organization
from accounts.sections import Section
from campaigns.budget import BudgetPlan, budget_plan
from campaigns.models import (
    Campaign,
    CampaignStatus,
    Goal,
    GoalMeasurement,
    Idea,
    IdeaComment,
    ShortlistEntry,
    TermSheet,
)
from campaigns.progress import Progress, goal_progress
from campaigns.rail import campaign_rail, open_steps
from influencers.fit import Candidate, Fit, TargetProfile, fit_score
from influencers.models import Influencer, Niche, SocialAccount
from influencers.places import country_codes
from influencers.selectors import DirectoryFilters, directory_accounts


def campaign_list(*, organization: Organization, archived: bool = False) -> QuerySet[Campaign]:
    """The campaign list: archived campaigns are kept apart, under their own filter."""
    campaigns = Campaign.objects.filter(organization=organization)
    if archived:
        campaigns = campaigns.filter(status=CampaignStatus.ARCHIVED)
    else:
        campaigns = campaigns.exclude(status=CampaignStatus.ARCHIVED)
    return (
        campaigns.select_related("brand")
        .annotate(goal_count=Count("goals"))
        .order_by("-created_at", "-pk")  # the primary key keeps pages stable
    )


def campaign_detail(*, organization: Organization) -> QuerySet[Campaign]:
    """Campaigns with everything their page shows, for `get_for_member`."""
    goals = Goal.objects.select_related("brand_handle").prefetch_related(
        Prefetch("measurements", queryset=GoalMeasurement.objects.order_by("measured_on"))
    )
    ideas = Idea.objects.select_related("created_by").prefetch_related(
        "votes",
        Prefetch("comments", queryset=IdeaComment.objects.select_related("author")),
    )
    shortlist = ShortlistEntry.objects.select_related(
        "account__influencer", "account__tier", "account__benchmark", "decided_by"
    ).prefetch_related(Prefetch("account__influencer__niches", queryset=Niche.objects.all()))
    return (
        Campaign.objects.filter(organization=organization)
        .select_related("brand", "owner")
        .prefetch_related(
            Prefetch("goals", queryset=goals),
            Prefetch("ideas", queryset=ideas),
            Prefetch("shortlist", queryset=shortlist),
            Prefetch("term_sheets", queryset=TermSheet.objects.order_by("created_at", "pk")),
        )
    )


def goal_progress_of(goal: Goal) -> Progress:
    """Progress of a goal whose measurements are loaded (campaign_detail prefetches them)."""
    return goal_progress(
        baseline=goal.baseline,
        target=goal.target,
        deadline=goal.deadline,
        measurements=[(m.measured_on, m.value) for m in goal.measurements.all()],
        today=timezone.localdate(),
    )


def _union(lists: list[list[str]]) -> frozenset[str]:
    # An idea without a restriction accepts anyone, so the merge accepts anyone too.
    if any(not values for values in lists):
        return frozenset()
    return frozenset(value for values in lists for value in values)


def _widest(values: list, pick):
    return None if any(value is None for value in values) else pick(values)


def campaign_target_profile(campaign: Campaign) -> TargetProfile | None:
    """The chosen ideas' target profiles merged into one, or None while no idea is chosen.

    Everyone any chosen idea would accept passes: the union of channels, niches, tiers and
    locations, the widest follower range and the lowest minimum engagement rate.
    """
    ideas = list(
        Idea.objects.filter(
            organization_id=campaign.organization_id, campaign=campaign, chosen=True
        ).order_by("created_at", "pk")
    )
    if not ideas:
        return None
    return TargetProfile(
        channels=_union([idea.channels for idea in ideas]),
        niches=_union([idea.niches for idea in ideas]),
        tiers=_union([idea.tiers for idea in ideas]),
        locations=_union([idea.locations for idea in ideas]),
        followers_min=_widest([idea.followers_min for idea in ideas], min),
        followers_max=_widest([idea.followers_max for idea in ideas], max),
        min_engagement_rate=_widest([idea.min_engagement_rate for idea in ideas], min),
    )


def shortlist_candidates(
    campaign: Campaign, profile: TargetProfile | None, q: str = ""
) -> QuerySet[SocialAccount]:
    """The directory's accounts the campaign's target profile accepts, minus those already on
    its shortlist; with no profile (no idea chosen yet) every account, searched by `q`.

    Influencers, tiers, benchmarks and niches are loaded with the accounts, so a page of
    results costs the same few queries whatever its length.
    """
    accounts = directory_accounts(
        organization=campaign.organization, filters=DirectoryFilters(q=q), sort="name"
    ).exclude(shortlist_entries__campaign=campaign)
    if profile is None:
        return accounts
    if profile.channels:
        accounts = accounts.filter(platform__in=profile.channels)
    if profile.tiers:
        accounts = accounts.filter(tier__name__in=profile.tiers)
    if profile.niches:
        # A subquery rather than a join, so an influencer with two wanted niches is one row.
        with_niche = Influencer.objects.filter(
            organization_id=campaign.organization_id, niches__name__in=profile.niches
        )
        accounts = accounts.filter(influencer__in=with_niche.values("pk"))
    if profile.locations:
        # Countries by their code ("Germany, Austria" finds Berlin, DE), and every place
        # within the city as typed. The same rule as the fit score's.
        countries = country_codes(profile.locations)
        wanted = [Q(influencer__location__icontains=place) for place in profile.locations]
        if countries:
            wanted.append(Q(influencer__country__in=countries))
        accounts = accounts.filter(reduce(or_, wanted))
    if profile.followers_min is not None:
        accounts = accounts.filter(followers__gte=profile.followers_min)
    if profile.followers_max is not None:
        accounts = accounts.filter(followers__lte=profile.followers_max)
    if profile.min_engagement_rate is not None:
        accounts = accounts.filter(engagement_rate__gte=profile.min_engagement_rate)
    return accounts


def account_fit(account: SocialAccount, profile: TargetProfile) -> Fit:
    """How well an account fits the profile; its influencer, tier and niches must be loaded."""
    candidate = Candidate(
        niches=frozenset(niche.name.lower() for niche in account.influencer.niches.all()),
        tier=account.tier.name if account.tier else None,
        location=account.influencer.location,
        country=account.influencer.country.code or "",
        followers=account.followers,
        engagement_rate=account.engagement_rate,
    )
    return fit_score(candidate, profile)


def influencer_campaigns_section(influencer: Influencer) -> Section:
    """The influencer page's "Campaigns": every shortlist entry of the person's accounts,
    newest campaign first, with the decision and who made it."""
    entries = (
        ShortlistEntry.objects.filter(
            organization=influencer.organization, account__influencer=influencer
        )
        .select_related("campaign", "account", "decided_by")
        .order_by("-campaign__created_at", "campaign__name", "pk")
    )
    return Section("Campaigns", "campaigns/_influencer_campaigns.html", list(entries))


# Campaigns still being worked on, shown on the home page with their next action.
LIVE_STATUSES = (CampaignStatus.PLANNING, CampaignStatus.RECRUITING, CampaignStatus.LIVE)
HOME_CAMPAIGNS = 10


def campaign_budget(campaign: Campaign) -> BudgetPlan:
    """The budget planner's figures, from term sheets `campaign_detail` prefetched."""
    return budget_plan(
        campaign.term_sheets.all(),
        budget=campaign.budget_amount,
        budget_currency=campaign.budget_currency,
    )


def live_campaigns_section(membership: Membership) -> Section:
    """The home page's "Live campaigns", newest first, each with its next action."""
    campaigns = list(
        campaign_detail(organization=membership.organization)
        .filter(status__in=LIVE_STATUSES)
        .order_by("-created_at", "-pk")[:HOME_CAMPAIGNS]
    )
    for campaign in campaigns:
        rail = campaign_rail(
            [goal_progress_of(goal) for goal in campaign.goals.all()],
            list(campaign.ideas.all()),
            campaign_budget(campaign),
            list(campaign.shortlist.all()),
        )
        campaign.next_action = next(iter(open_steps(rail)), None)
    return Section("Live campaigns", "campaigns/_home_campaigns.html", campaigns)
