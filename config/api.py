"""The REST API, version 1: every app registers its resources here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api.views import BrandViewSet, MembershipViewSet, OrganizationViewSet
from campaigns.api.views import (
    CampaignViewSet,
    GoalMeasurementViewSet,
    GoalViewSet,
    IdeaViewSet,
    ShortlistEntryViewSet,
    TermSheetViewSet,
)
from influencers.api.views import (
    BenchmarkViewSet,
    InfluencerViewSet,
    SocialAccountViewSet,
    TierViewSet,
)

router = DefaultRouter()
router.register("organisations", OrganizationViewSet, basename="organisation")
router.register("brands", BrandViewSet, basename="brand")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("influencers", InfluencerViewSet, basename="influencer")
router.register("social-accounts", SocialAccountViewSet, basename="social-account")
router.register("tiers", TierViewSet, basename="tier")
router.register("benchmarks", BenchmarkViewSet, basename="benchmark")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("goals", GoalViewSet, basename="goal")
router.register("goal-measurements", GoalMeasurementViewSet, basename="goal-measurement")
router.register("ideas", IdeaViewSet, basename="idea")
router.register("shortlist", ShortlistEntryViewSet, basename="shortlist-entry")
router.register("term-sheets", TermSheetViewSet, basename="term-sheet")

urlpatterns = [path("", include(router.urls))]
