"""API shapes of campaigns and their plan; every write calls a service."""

from decimal import Decimal

from django.core.validators import RegexValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.errors import rule_error
from accounts.api.fields import NOT_NEGATIVE, PERCENT, OrganizationCodeField, currency_field
from accounts.api.serializers import ServiceModelSerializer
from accounts.api.strict import SPACES, StrictSerializer, StrictTypesMixin
from accounts.models import Brand, BrandHandle, Platform
from campaigns import services
from campaigns.budget import sheet_cost
from campaigns.models import (
    CHECKLIST,
    Campaign,
    DeliverableType,
    Goal,
    GoalMeasurement,
    Idea,
    IdeaComment,
    ShortlistEntry,
    ShortlistStatus,
    TermSheet,
)
from campaigns.progress import Forecast, goal_progress
from influencers.models import SocialAccount


class CampaignSerializer(ServiceModelSerializer):
    """A campaign of one of the organisation's brands, with its budget."""

    brand = OrganizationCodeField(
        Brand, "brand", help_text="The code of one of your organisation's brands."
    )
    brand_name = serializers.CharField(source="brand.name", read_only=True)
    budget_currency = currency_field(required=False)

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
        extra_kwargs = {"budget_amount": NOT_NEGATIVE}

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


class GoalSerializer(ServiceModelSerializer):
    """A goal in, its absolute target and measured progress out."""

    campaign = OrganizationCodeField(Campaign, "campaign", help_text="The code of the campaign.")
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    brand_handle = OrganizationCodeField(
        BrandHandle,
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
        # A specific, measurable goal has all three: the schema requires them.
        extra_kwargs = {
            name: {"error_messages": {"required": message, "null": message}}
            for name, message in services.GOAL_NEEDS.items()
        }
        extra_kwargs["baseline"] |= NOT_NEGATIVE

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
            raise rule_error({"campaign": "A goal stays with its campaign."})
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

    goal = OrganizationCodeField(Goal, "goal", help_text="The code of the goal.")
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
        extra_kwargs = {"value": NOT_NEGATIVE}
        validators = []  # a second value for the same day replaces the first (the service)

    def save_through_service(self, measurement, data):
        return services.goal_measurement_record(
            goal=data["goal"], measured_on=data["measured_on"], value=data["value"]
        )


def _merged(instance, data, defaults):
    """The service's arguments: sent values, else the row's (on update), else the defaults."""
    return {
        name: data[name] if name in data else getattr(instance, name) if instance else default
        for name, default in defaults.items()
    }


class _StaysWithCampaign:
    def validate(self, data):
        row = self.instance
        if row and "campaign" in data and data["campaign"].pk != row.campaign_id:
            raise rule_error({"campaign": "It stays with its campaign."})
        return data


def _text_list(**kwargs):
    return serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, **kwargs
    )


class IdeaCommentSerializer(StrictTypesMixin, serializers.ModelSerializer):
    """A member's comment on an idea."""

    author = serializers.EmailField(source="author.email", read_only=True, allow_null=True)

    class Meta:
        model = IdeaComment
        fields = ["code", "author", "text", "created_at"]
        read_only_fields = ["code", "author", "created_at"]
        first = "Write a comment first."
        extra_kwargs = {"text": {"error_messages": {"blank": first, "required": first}}}


# A campaign's hashtag as the idea stores it: no #, no spaces.
BARE_HASHTAG = RegexValidator(
    rf"^[^#{SPACES}\u0000]+$", "Write the hashtag without # and without spaces, e.g. glowlaunch."
)


class IdeaSerializer(_StaysWithCampaign, ServiceModelSerializer):
    """An idea of the board (step 2), with its votes and comments."""

    campaign = OrganizationCodeField(Campaign, "campaign", help_text="The code of the campaign.")
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    channels = serializers.ListField(
        child=serializers.ChoiceField(
            choices=Platform.choices,
            error_messages={
                "invalid_choice": f"Unknown channel “{{input}}”: use {', '.join(Platform.values)}."
            },
        ),
        required=False,
    )
    niches = _text_list()
    tiers = _text_list(help_text="Follower tier names.")
    locations = _text_list()
    vote_count = serializers.SerializerMethodField()
    comments = IdeaCommentSerializer(many=True, read_only=True)

    class Meta:
        model = Idea
        fields = [
            "code",
            "campaign",
            "campaign_name",
            "title",
            "description",
            "campaign_type",
            "channels",
            "niches",
            "tiers",
            "locations",
            "followers_min",
            "followers_max",
            "min_engagement_rate",
            "campaign_hashtag",
            "disclosure_hashtag",
            "estimated_cost",
            "chosen",
            "vote_count",
            "comments",
            "created_at",
        ]
        read_only_fields = ["code", "campaign_name", "chosen", "created_at"]
        hashtag = {"validators": [BARE_HASHTAG]}
        extra_kwargs = {
            "min_engagement_rate": PERCENT,
            "estimated_cost": NOT_NEGATIVE,
            "campaign_hashtag": hashtag,
            "disclosure_hashtag": hashtag,
        }

    def get_vote_count(self, idea) -> int:
        count = getattr(idea, "vote_count", None)  # annotated by the view's queryset
        return idea.votes.count() if count is None else count

    def save_through_service(self, idea, data):
        fields = _merged(
            idea,
            data,
            {
                "title": "",
                "description": "",
                "campaign_type": "",
                "channels": None,
                "niches": None,
                "tiers": None,
                "locations": None,
                "followers_min": None,
                "followers_max": None,
                "min_engagement_rate": None,
                "campaign_hashtag": "",
                "disclosure_hashtag": "ad",
                "estimated_cost": None,
            },
        )
        return services.idea_save(
            campaign=idea.campaign if idea else data["campaign"],
            idea=idea,
            created_by=self.context["membership"].user,
            **fields,
        )


class IdeaVoteSerializer(serializers.Serializer):
    """Whether the caller now votes for the idea, and its votes."""

    voted = serializers.BooleanField(help_text="Whether you now vote for the idea.")
    vote_count = serializers.IntegerField()


class IdeaChooseSerializer(StrictSerializer):
    """Choose an idea for its campaign, or un-choose it."""

    chosen = serializers.BooleanField(help_text="Choose the idea (true) or un-choose it (false).")


class DeliverableSerializer(StrictSerializer):
    """What an influencer delivers: so many posts of a type on a platform."""

    count = serializers.IntegerField(min_value=1)
    type = serializers.ChoiceField(choices=DeliverableType.choices)
    platform = serializers.ChoiceField(choices=Platform.choices)


MONEY = {"max_digits": None, "decimal_places": 2, "allow_null": True, "read_only": True}


class TermSheetSerializer(_StaysWithCampaign, ServiceModelSerializer):
    """The terms offered to a group of influencers (step 4), with their planned cost."""

    campaign = OrganizationCodeField(Campaign, "campaign", help_text="The code of the campaign.")
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    currency = currency_field(
        required=False, allow_blank=True, help_text="Empty for the campaign budget's currency."
    )
    deliverables = DeliverableSerializer(many=True, required=False)
    required_hashtags = _text_list(help_text="Without #.")
    required_mentions = _text_list(help_text="Without @.")
    usage_rights_channels = _text_list()
    cost_per_influencer = serializers.SerializerMethodField()
    planned_total = serializers.SerializerMethodField()

    class Meta:
        model = TermSheet
        fields = [
            "code",
            "campaign",
            "campaign_name",
            "name",
            "deliverables",
            "compensation_model",
            "fee_amount",
            "currency",
            "product_value",
            "commission_rate",
            "required_hashtags",
            "required_mentions",
            "disclosure",
            "content_guidelines",
            "usage_rights_days",
            "usage_rights_channels",
            "exclusivity_days",
            "exclusivity_competitors",
            "posting_window_start",
            "posting_window_end",
            "relationship_months",
            "drafts_need_approval",
            "influencers_planned",
            "cost_per_influencer",
            "planned_total",
            "created_at",
        ]
        read_only_fields = ["code", "campaign_name", "created_at"]
        extra_kwargs = {
            "fee_amount": NOT_NEGATIVE,
            "product_value": NOT_NEGATIVE,
            "commission_rate": PERCENT,
        }

    def _cost(self, sheet):
        return sheet_cost(sheet, budget_currency=sheet.campaign.budget_currency)

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_cost_per_influencer(self, sheet):
        return _money(self._cost(sheet).per_influencer)

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_planned_total(self, sheet):
        return _money(self._cost(sheet).planned_total)

    def save_through_service(self, sheet, data):
        fields = _merged(
            sheet,
            data,
            {
                "name": "",
                "deliverables": None,
                "compensation_model": "",
                "fee_amount": None,
                "currency": "",
                "product_value": None,
                "commission_rate": None,
                "required_hashtags": None,
                "required_mentions": None,
                "disclosure": "#ad",
                "content_guidelines": "",
                "usage_rights_days": None,
                "usage_rights_channels": None,
                "exclusivity_days": None,
                "exclusivity_competitors": "",
                "posting_window_start": None,
                "posting_window_end": None,
                "relationship_months": None,
                "drafts_need_approval": True,
                "influencers_planned": 0,
            },
        )
        if fields["deliverables"] is not None:
            fields["deliverables"] = [dict(item) for item in fields["deliverables"]]
        return services.term_sheet_save(
            campaign=sheet.campaign if sheet else data["campaign"], term_sheet=sheet, **fields
        )


def _money(amount):
    return None if amount is None else str(amount.quantize(Decimal("0.01")))


class DirectoryAccountField(OrganizationCodeField):
    """An account of the organisation's directory, named by its code."""

    def __init__(self, **kwargs):
        super().__init__(SocialAccount, "account", **kwargs)

    def unknown_message(self) -> str:
        return "Choose an account from your organisation's directory."


@extend_schema_field(
    {"type": "string", "enum": ShortlistStatus.values}, component_name="ShortlistStatus"
)
class ShortlistStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ShortlistStatus.choices, **kwargs)


CHECKLIST_FIELDS = [name for item, _ in CHECKLIST for name in (item, f"{item}_note")]


class ShortlistEntrySerializer(ServiceModelSerializer):
    """An account on a campaign's shortlist (step 3): the decision and the deep-dive checklist.

    Created as a candidate; decided through `decide`, checked through `checklist`.
    """

    campaign = OrganizationCodeField(Campaign, "campaign", help_text="The code of the campaign.")
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    account = DirectoryAccountField(help_text="The code of a social account of the directory.")
    platform = serializers.CharField(source="account.platform", read_only=True)
    handle = serializers.CharField(source="account.handle", read_only=True)
    influencer = serializers.UUIDField(source="account.influencer.code", read_only=True)
    influencer_name = serializers.CharField(source="account.influencer.name", read_only=True)
    status = ShortlistStatusField(read_only=True)
    decided_by = serializers.EmailField(source="decided_by.email", read_only=True, allow_null=True)

    class Meta:
        model = ShortlistEntry
        fields = [
            "code",
            "campaign",
            "campaign_name",
            "account",
            "platform",
            "handle",
            "influencer",
            "influencer_name",
            "status",
            "reason",
            "decided_by",
            "decided_at",
            *CHECKLIST_FIELDS,
            "created_at",
        ]
        read_only_fields = ["code", "status", "reason", "decided_at", *CHECKLIST_FIELDS]
        read_only_fields += ["created_at"]
        validators = []  # adding an account already there returns its entry (the service)

    def save_through_service(self, entry, data):
        return services.shortlist_add(
            campaign=data["campaign"],
            account=data["account"],
            added_by=self.context["membership"].user,
        )


class ShortlistDecisionSerializer(StrictSerializer):
    """A decision on a candidate, with the reason."""

    status = ShortlistStatusField()
    reason = serializers.CharField(
        help_text="Why, for the record.",
        error_messages={"required": services.SAY_WHY, "blank": services.SAY_WHY},
    )


class ShortlistChecklistSerializer(StrictSerializer):
    """The deep-dive checklist; items not sent keep their value."""

    content_quality = serializers.BooleanField(required=False)
    content_quality_note = serializers.CharField(required=False, allow_blank=True)
    niche_fit = serializers.BooleanField(required=False)
    niche_fit_note = serializers.CharField(required=False, allow_blank=True)
    audience_fit = serializers.BooleanField(required=False)
    audience_fit_note = serializers.CharField(required=False, allow_blank=True)
    comments_genuine = serializers.BooleanField(required=False)
    comments_genuine_note = serializers.CharField(required=False, allow_blank=True)
