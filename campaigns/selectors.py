"""Reads of campaigns and their plan, each scoped to one organisation."""

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import Campaign, Goal, GoalMeasurement, Idea, IdeaComment, TermSheet
from campaigns.progress import Progress, goal_progress
from influencers.fit import TargetProfile


def campaign_list(*, organization: Organization) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(organization=organization)
        .select_related("brand")
        .annotate(goal_count=Count("goals"))
        .order_by("-created_at")
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
    return (
        Campaign.objects.filter(organization=organization)
        .select_related("brand", "owner")
        .prefetch_related(
            Prefetch("goals", queryset=goals),
            Prefetch("ideas", queryset=ideas),
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
