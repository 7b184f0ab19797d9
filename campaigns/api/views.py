"""API resources of campaigns and their plan: campaigns, goals, goal measurements, ideas,
the shortlist and term sheets.

The same rules as the screens: rows of the caller's organisation only (another's is 404),
related rows named by code within that organisation, marketers and owners write.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api.errors import raise_as_api_error
from accounts.api.viewsets import (
    OrganizationScopedMixin,
    code_filter_parameter,
    filter_by_code,
)
from accounts.models import Capability
from campaigns import services
from campaigns.api.serializers import (
    CampaignSerializer,
    GoalMeasurementSerializer,
    GoalSerializer,
    IdeaChooseSerializer,
    IdeaCommentSerializer,
    IdeaSerializer,
    IdeaVoteSerializer,
    ShortlistChecklistSerializer,
    ShortlistDecisionSerializer,
    ShortlistEntrySerializer,
    TermSheetSerializer,
)
from campaigns.models import (
    Campaign,
    Goal,
    GoalMeasurement,
    Idea,
    IdeaComment,
    ShortlistEntry,
    TermSheet,
)


class CampaignViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """Campaigns of the organisation's brands, newest first."""

    serializer_class = CampaignSerializer

    def base_queryset(self):
        return Campaign.objects.select_related("brand").order_by("-created_at", "-pk")

    def perform_destroy(self, campaign):
        services.campaign_delete(campaign=campaign)


BY_CAMPAIGN = code_filter_parameter("campaign")


@extend_schema_view(list=extend_schema(parameters=[BY_CAMPAIGN]))
class GoalViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """Goals with their absolute target and progress; `?campaign=<code>` lists one campaign's.

    Vague goals (no deadline, no change from the baseline, …) are refused field by field.
    """

    serializer_class = GoalSerializer

    def base_queryset(self):
        return (
            Goal.objects.select_related("campaign", "brand_handle")
            .prefetch_related("measurements")
            .order_by("deadline", "pk")
        )

    def get_queryset(self):
        return filter_by_code(super().get_queryset(), self.request, "campaign", "campaign__code")

    def perform_destroy(self, goal):
        services.goal_delete(goal=goal)


@extend_schema_view(list=extend_schema(parameters=[code_filter_parameter("goal")]))
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

    def base_queryset(self):
        return GoalMeasurement.objects.select_related("goal__campaign").order_by(
            "measured_on", "pk"
        )

    def get_queryset(self):
        return filter_by_code(super().get_queryset(), self.request, "goal", "goal__code")

    def perform_destroy(self, measurement):
        services.goal_measurement_delete(measurement=measurement)


def _through_service(call, *args, **kwargs):
    """Run a service; its validation errors come back field by field (see api.errors)."""
    try:
        return call(*args, **kwargs)
    except DjangoValidationError as error:
        raise_as_api_error(error)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _ByCampaign:
    def get_queryset(self):
        return filter_by_code(super().get_queryset(), self.request, "campaign", "campaign__code")


@extend_schema_view(list=extend_schema(parameters=[BY_CAMPAIGN]))
class IdeaViewSet(_ByCampaign, OrganizationScopedMixin, viewsets.ModelViewSet):
    """Ideas of the campaigns' boards, with votes and comments; `?campaign=<code>` lists one
    campaign's. Managers may vote and comment; choosing and editing need the workflow role."""

    serializer_class = IdeaSerializer

    def base_queryset(self):
        return (
            Idea.objects.select_related("campaign")
            .annotate(vote_count=Count("votes", distinct=True))
            .prefetch_related(
                Prefetch("comments", queryset=IdeaComment.objects.select_related("author"))
            )
            .order_by("created_at", "pk")
        )

    def perform_destroy(self, idea):
        services.idea_delete(idea=idea)

    @extend_schema(request=None, responses=IdeaVoteSerializer)
    @action(detail=True, methods=["post"], write_capability=Capability.REVIEW)
    def vote(self, request, code=None):
        """Vote for the idea, or take your vote back."""
        idea = self.get_object()
        voted = services.idea_vote_toggle(idea=idea, user=request.user)
        return Response({"voted": voted, "vote_count": idea.votes.count()})

    @extend_schema(request=IdeaCommentSerializer, responses={201: IdeaCommentSerializer})
    @action(detail=True, methods=["post"], write_capability=Capability.REVIEW)
    def comment(self, request, code=None):
        """Comment on the idea."""
        idea = self.get_object()
        text = _valid(IdeaCommentSerializer, request)["text"]
        comment = _through_service(
            services.idea_comment_add, idea=idea, author=request.user, text=text
        )
        return Response(IdeaCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IdeaChooseSerializer, responses=IdeaSerializer)
    @action(detail=True, methods=["post"])
    def choose(self, request, code=None):
        """Choose the idea for the campaign, or un-choose it."""
        idea = self.get_object()
        if _valid(IdeaChooseSerializer, request)["chosen"]:
            services.idea_choose(idea=idea)
        else:
            services.idea_unchoose(idea=idea)
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema_view(list=extend_schema(parameters=[BY_CAMPAIGN]))
class ShortlistEntryViewSet(
    _ByCampaign,
    OrganizationScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Accounts on the campaigns' shortlists; `?campaign=<code>` lists one campaign's.

    Adding an account already on the shortlist returns its entry. Managers may approve or
    reject (`decide`); adding, the checklist and removing need the workflow role.
    """

    serializer_class = ShortlistEntrySerializer

    def base_queryset(self):
        return ShortlistEntry.objects.select_related(
            "campaign", "account__influencer", "decided_by"
        ).order_by("created_at", "pk")

    def perform_destroy(self, entry):
        services.shortlist_remove(entry=entry)

    @extend_schema(request=ShortlistDecisionSerializer, responses=ShortlistEntrySerializer)
    @action(detail=True, methods=["post"], write_capability=Capability.REVIEW)
    def decide(self, request, code=None):
        """Approve or reject the candidate (or put it back), with the reason."""
        entry = self.get_object()
        data = _valid(ShortlistDecisionSerializer, request)
        _through_service(services.shortlist_decide, entry=entry, user=request.user, **data)
        return Response(self.get_serializer(entry).data)

    @extend_schema(request=ShortlistChecklistSerializer, responses=ShortlistEntrySerializer)
    @action(detail=True, methods=["post"])
    def checklist(self, request, code=None):
        """Record the deep-dive checklist; items not sent keep their value."""
        entry = self.get_object()
        data = _valid(ShortlistChecklistSerializer, request)
        names = ShortlistChecklistSerializer().fields
        fields = {name: data.get(name, getattr(entry, name)) for name in names}
        services.shortlist_checklist_save(entry=entry, **fields)
        return Response(self.get_serializer(entry).data)


@extend_schema_view(list=extend_schema(parameters=[BY_CAMPAIGN]))
class TermSheetViewSet(_ByCampaign, OrganizationScopedMixin, viewsets.ModelViewSet):
    """Term sheets of the campaigns with their planned cost; `?campaign=<code>` lists one
    campaign's. Impossible terms are refused field by field."""

    serializer_class = TermSheetSerializer

    def base_queryset(self):
        return TermSheet.objects.select_related("campaign").order_by("created_at", "pk")

    def perform_destroy(self, sheet):
        services.term_sheet_delete(term_sheet=sheet)
