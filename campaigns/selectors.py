"""Reads of campaigns and their plan, each scoped to one organisation."""

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import Campaign, Goal, GoalMeasurement
from campaigns.progress import Progress, goal_progress


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
    return (
        Campaign.objects.filter(organization=organization)
        .select_related("brand", "owner")
        .prefetch_related(Prefetch("goals", queryset=goals))
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
