"""API resources of campaigns and their plan: campaigns, goals and goal measurements.

The same rules as the screens: rows of the caller's organisation only (another's is 404),
related rows named by code within that organisation, marketers and owners write.
"""

import uuid

from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError

from accounts.api.viewsets import OrganizationScopedMixin
from campaigns import services
from campaigns.api.serializers import (
    CampaignSerializer,
    GoalMeasurementSerializer,
    GoalSerializer,
)
from campaigns.models import Campaign, Goal, GoalMeasurement


def _filter_by_code(queryset, request, param, lookup):
    code = request.query_params.get(param)
    if not code:
        return queryset
    try:
        return queryset.filter(**{lookup: uuid.UUID(code)})
    except ValueError:
        raise ValidationError({param: f"Not a {param} code."}) from None


class CampaignViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """Campaigns of the organisation's brands, newest first."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.select_related("brand").order_by("-created_at", "-pk")

    def perform_destroy(self, campaign):
        services.campaign_delete(campaign=campaign)


class GoalViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """Goals with their absolute target and progress; `?campaign=<code>` lists one campaign's.

    Vague goals (no deadline, no change from the baseline, …) are refused field by field.
    """

    serializer_class = GoalSerializer
    queryset = (
        Goal.objects.select_related("campaign", "brand_handle")
        .prefetch_related("measurements")
        .order_by("deadline", "pk")
    )

    def get_queryset(self):
        return _filter_by_code(super().get_queryset(), self.request, "campaign", "campaign__code")

    def perform_destroy(self, goal):
        services.goal_delete(goal=goal)


class GoalMeasurementViewSet(
    OrganizationScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Measured values of goals; `?goal=<code>` lists one goal's.

    There is no update: recording a value for a day that has one replaces it.
    """

    serializer_class = GoalMeasurementSerializer
    queryset = GoalMeasurement.objects.select_related("goal__campaign").order_by(
        "measured_on", "pk"
    )

    def get_queryset(self):
        return _filter_by_code(super().get_queryset(), self.request, "goal", "goal__code")

    def perform_destroy(self, measurement):
        services.goal_measurement_delete(measurement=measurement)
