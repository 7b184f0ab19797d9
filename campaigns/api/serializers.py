"""API shapes of campaigns, goals and goal measurements; every write calls a service."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from accounts.api.serializers import ServiceModelSerializer
from accounts.models import Brand, BrandHandle
from campaigns import services
from campaigns.models import Campaign, Goal, GoalMeasurement
from campaigns.progress import Forecast, goal_progress
from influencers.api.serializers import OrganizationCodeField


class CampaignSerializer(ServiceModelSerializer):
    brand = OrganizationCodeField(
        Brand.objects.all(), "brand", help_text="The code of one of your organisation's brands."
    )
    brand_name = serializers.CharField(source="brand.name", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "code",
            "brand",
            "brand_name",
            "name",
            "description",
            "status",
            "start_date",
            "end_date",
            "budget_amount",
            "budget_currency",
            "created_at",
        ]
        read_only_fields = ["code", "brand_name", "created_at"]

    def save_through_service(self, campaign, data):
        def value(name, empty=None):
            if name in data:
                return data[name]
            return getattr(campaign, name) if campaign else empty

        return services.campaign_save(
            organization=self.context["membership"].organization,
            campaign=campaign,
            brand=value("brand"),
            name=value("name", ""),
            description=value("description", ""),
            status=value("status"),
            start_date=value("start_date"),
            end_date=value("end_date"),
            budget_amount=value("budget_amount"),
            budget_currency=value("budget_currency", "EUR"),
            owner=self.context["membership"].user,
        )


class ProgressSerializer(serializers.Serializer):
    """Where a goal stands, and where its measured trend leads by the deadline."""

    current = serializers.DecimalField(
        max_digits=None, decimal_places=2, allow_null=True, help_text="The latest measured value."
    )
    achieved_percent = serializers.DecimalField(
        max_digits=None,
        decimal_places=1,
        allow_null=True,
        help_text="How much of the way from baseline to target is done, in percent.",
    )
    pace_per_week = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        allow_null=True,
        help_text="The change needed each week from now to reach the target by the deadline.",
    )
    projected = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        allow_null=True,
        help_text="Where the trend of the measurements reaches by the deadline.",
    )
    forecast = serializers.ChoiceField(choices=[(f.value, f.value) for f in Forecast])
    method = serializers.CharField(help_text="How the forecast was made.")


# Empty means "not given" on create, so the service explains what a specific goal needs.
SERVICE_CHECKED = {"required": False, "allow_null": True}


class GoalSerializer(ServiceModelSerializer):
    """A goal in, its absolute target and measured progress out."""

    campaign = OrganizationCodeField(
        Campaign.objects.all(), "campaign", help_text="The code of the campaign."
    )
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    brand_handle = OrganizationCodeField(
        BrandHandle.objects.all(),
        "brand account",
        required=False,
        allow_null=True,
        help_text="The code of the brand's account whose followers a follower goal counts.",
    )
    target = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        read_only=True,
        help_text="The number to reach: the target value, or the baseline changed by it.",
    )
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "code",
            "campaign",
            "campaign_name",
            "metric",
            "brand_handle",
            "baseline",
            "target_kind",
            "target_value",
            "deadline",
            "target",
            "progress",
            "created_at",
        ]
        read_only_fields = ["code", "campaign_name", "created_at"]
        extra_kwargs = {
            "baseline": SERVICE_CHECKED,
            "target_value": SERVICE_CHECKED,
            "deadline": SERVICE_CHECKED,
        }

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, goal):
        # The view prefetches the measurements, so a list costs no query per goal.
        progress = goal_progress(
            baseline=goal.baseline,
            target=goal.target,
            deadline=goal.deadline,
            measurements=[(m.measured_on, m.value) for m in goal.measurements.all()],
            today=timezone.localdate(),
        )
        return ProgressSerializer(progress).data

    def validate(self, data):
        goal = self.instance
        if goal and "campaign" in data and data["campaign"].pk != goal.campaign_id:
            raise ValidationError({"campaign": "A goal stays with its campaign."})
        return data

    def save_through_service(self, goal, data):
        def value(name):
            if name in data:
                return data[name]
            return getattr(goal, name) if goal else None

        return services.goal_save(
            campaign=goal.campaign if goal else data["campaign"],
            goal=goal,
            metric=value("metric"),
            brand_handle=value("brand_handle"),
            baseline=value("baseline"),
            target_kind=value("target_kind"),
            target_value=value("target_value"),
            deadline=value("deadline"),
        )


class GoalMeasurementSerializer(ServiceModelSerializer):
    """A measured value of a goal's metric on a day; one per day, a second replaces the first."""

    goal = OrganizationCodeField(Goal.objects.all(), "goal", help_text="The code of the goal.")
    campaign = serializers.UUIDField(source="goal.campaign.code", read_only=True)
    campaign_name = serializers.CharField(source="goal.campaign.name", read_only=True)

    class Meta:
        model = GoalMeasurement
        fields = [
            "code",
            "goal",
            "campaign",
            "campaign_name",
            "measured_on",
            "value",
            "source",
            "created_at",
        ]
        read_only_fields = ["code", "campaign", "campaign_name", "source", "created_at"]

    def save_through_service(self, measurement, data):
        return services.goal_measurement_record(
            goal=data["goal"], measured_on=data["measured_on"], value=data["value"]
        )
