"""API resources of the influencer directory: influencers, social accounts, tiers, benchmarks.

The same rules as the screens: rows of the caller's organisation only (another's is 404),
marketers and owners write influencers and accounts, only owners write tiers and benchmarks.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from accounts.api.errors import raise_as_api_error
from accounts.api.viewsets import (
    OrganizationScopedMixin,
    code_filter_parameter,
    filter_by_code,
)
from accounts.models import Capability
from influencers import services
from influencers.api.serializers import (
    BenchmarkSerializer,
    InfluencerSerializer,
    SocialAccountSerializer,
    TierSerializer,
)
from influencers.models import Benchmark, FollowerTier, Influencer, Niche, SocialAccount


class InfluencerViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """Influencers with their niches and a summary of their accounts."""

    serializer_class = InfluencerSerializer

    def base_queryset(self):
        return Influencer.objects.prefetch_related(
            Prefetch("niches", queryset=Niche.objects.order_by("name")),
            Prefetch("accounts", queryset=SocialAccount.objects.order_by("platform", "handle")),
        ).order_by("name", "pk")

    def perform_destroy(self, influencer):
        services.influencer_delete(influencer=influencer)


@extend_schema_view(list=extend_schema(parameters=[code_filter_parameter("influencer")]))
class SocialAccountViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """Social accounts; `?influencer=<code>` lists one influencer's.

    Engagement rate, tier and benchmark ratio are computed from the numbers sent.
    """

    serializer_class = SocialAccountSerializer

    def base_queryset(self):
        return SocialAccount.objects.select_related("influencer", "tier", "benchmark").order_by(
            "platform", "handle", "pk"
        )

    def get_queryset(self):
        return filter_by_code(
            super().get_queryset(), self.request, "influencer", "influencer__code"
        )

    def perform_destroy(self, account):
        services.social_account_delete(account=account)


class TierViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """The follower-tier table, with cost-per-post guidance; owners change it.

    Each change is checked against the whole table (no overlaps, unique names) and
    places every account in its tier again.
    """

    serializer_class = TierSerializer

    def base_queryset(self):
        return FollowerTier.objects.order_by("lower")

    write_capability = Capability.ADMINISTER

    def perform_destroy(self, tier):
        try:
            services.tier_delete(tier=tier)
        except DjangoValidationError as error:
            raise_as_api_error(error)


class BenchmarkViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """Expected engagement rates per platform, tier and formula, each with its source."""

    serializer_class = BenchmarkSerializer

    def base_queryset(self):
        return Benchmark.objects.select_related("tier")

    write_capability = Capability.ADMINISTER

    def perform_destroy(self, benchmark):
        services.benchmark_delete(benchmark=benchmark)
