"""API shapes of influencers, their social accounts, tiers and benchmarks; writes call services."""

from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.errors import rule_error
from accounts.api.fields import NOT_NEGATIVE, OrganizationCodeField, currency_field, handle_field
from accounts.api.serializers import ServiceModelSerializer
from influencers import services
from influencers.models import (
    Benchmark,
    DataSource,
    EngagementFormula,
    FollowerTier,
    Influencer,
    SocialAccount,
)


# Choice sets used under several field names get one named schema component each, so the
# OpenAPI schema (and clients generated from it) have one enum per set, not one per field.
@extend_schema_field(
    {"type": "string", "enum": EngagementFormula.values}, component_name="EngagementFormula"
)
class EngagementFormulaField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=EngagementFormula.choices, **kwargs)


class CountryCodeField(serializers.ChoiceField):
    """An ISO 3166 code in and out ("" when unknown), never django-countries' Country."""

    def __init__(self, **kwargs):
        super().__init__(choices=list(countries), **kwargs)

    def to_representation(self, value):
        return getattr(value, "code", value) or ""


@extend_schema_field({"type": "string", "enum": DataSource.values}, component_name="DataSource")
class DataSourceField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=DataSource.choices, **kwargs)


class NicheNamesField(serializers.ListField):
    child = serializers.CharField(max_length=60)

    def to_representation(self, niches):
        return [niche.name for niche in niches.all()]


class AccountSummarySerializer(serializers.ModelSerializer):
    """An influencer's account, in short."""

    class Meta:
        model = SocialAccount
        fields = ["code", "platform", "handle", "followers", "engagement_rate", "benchmark_ratio"]
        read_only_fields = fields


class InfluencerSerializer(ServiceModelSerializer):
    """An influencer, with their niches and a summary of their accounts."""

    languages = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, default=list
    )
    niches = NicheNamesField(required=False, default=list)
    country = CountryCodeField(
        required=False,
        allow_blank=True,
        help_text=(
            "ISO 3166 two-letter code. Left out, the country named at the end of `location` "
            '("Vienna, Austria"), which then keeps the city only.'
        ),
    )
    accounts = AccountSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Influencer
        fields = [
            "code",
            "name",
            "email",
            "country",
            "location",
            "languages",
            "niches",
            "status",
            "notes",
            "accounts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["code", "accounts", "created_at", "updated_at"]

    def save_through_service(self, influencer, data):
        def value(name, empty):
            if name in data:
                return data[name]
            if influencer is None:
                return empty
            if name == "niches":
                return [niche.name for niche in influencer.niches.all()]
            return getattr(influencer, name)

        return services.influencer_save(
            organization=self.context["membership"].organization,
            influencer=influencer,
            name=value("name", ""),
            email=value("email", ""),
            location=value("location", ""),
            country=value("country", ""),
            languages=value("languages", []),
            niches=value("niches", []),
            notes=value("notes", ""),
            status=value("status", None),
        )


class SocialAccountSerializer(ServiceModelSerializer):
    """An account: measured numbers in, computed rate, tier and benchmark ratio out."""

    influencer = OrganizationCodeField(
        Influencer,
        "influencer",
        help_text="The code of the influencer (of your organisation) who owns the account.",
    )
    handle = handle_field(help_text="The handle on the platform, with or without the @.")
    engagement_formula = EngagementFormulaField(
        required=False,
        help_text=(
            "What the rate divides by: followers, reach or views. Left out of a new account, "
            "the platform's usual: views on TikTok and YouTube when avg_views is given, "
            "followers otherwise."
        ),
    )
    engagement_source = DataSourceField(read_only=True)
    audience_source = DataSourceField(read_only=True)
    # An account without a tier or a benchmark says so with nulls; these are always sent.
    tier = serializers.CharField(source="tier.name", read_only=True, allow_null=True)
    tier_range = serializers.CharField(source="tier.range_label", read_only=True, allow_null=True)
    benchmark_rate = serializers.DecimalField(
        source="benchmark.rate", max_digits=6, decimal_places=3, read_only=True, allow_null=True
    )
    benchmark_source = serializers.CharField(
        source="benchmark.source", read_only=True, allow_null=True
    )
    benchmark_year = serializers.IntegerField(
        source="benchmark.year", read_only=True, allow_null=True
    )

    class Meta:
        model = SocialAccount
        computed = [
            "engagement_rate",
            "engagement_interactions",
            "engagement_computed_at",
            "engagement_source",
            "audience_source",
            "audience_updated_at",
            "benchmark_ratio",
            "created_at",
            "updated_at",
        ]
        # The measured fields are the ones the service accepts; the rest it derives.
        fields = [
            "code",
            "influencer",
            *services.ACCOUNT_FIELDS,
            *computed,
            "tier",
            "tier_range",
            "benchmark_rate",
            "benchmark_source",
            "benchmark_year",
        ]
        read_only_fields = ["code", *computed]
        extra_kwargs = {
            name: NOT_NEGATIVE for name in ("avg_likes", "avg_comments", "avg_saves", "avg_shares")
        } | {"engagement_sample_size": {"min_value": 1}}

    def validate(self, data):
        account = self.instance
        if account and "influencer" in data and data["influencer"].pk != account.influencer_id:
            raise rule_error(
                {"influencer": "An account stays with its influencer; merge influencers instead."}
            )
        formula = data.get("engagement_formula") or (
            account.engagement_formula
            if account
            else EngagementFormula.usual_for(data.get("platform"), data.get("avg_views"))
        )
        needed = {"reach": "avg_reach", "views": "avg_views"}.get(formula)
        if needed and data.get(needed, getattr(account, needed, None)) is None:
            raise rule_error({needed: "The chosen formula divides by this number: enter it."})
        return data

    def save_through_service(self, account, data):
        influencer = data.pop("influencer", None) or account.influencer
        return services.social_account_save(
            influencer=influencer, account=account, source=DataSource.MANUAL, **data
        )


class TierSerializer(ServiceModelSerializer):
    """A band of follower counts, with cost-per-post guidance and its source."""

    lower = serializers.IntegerField(min_value=0, max_value=services.TIER_BOUND_MAX)
    upper = serializers.IntegerField(
        min_value=0,
        max_value=services.TIER_BOUND_MAX,
        allow_null=True,
        required=False,
        help_text="Not included; null for the top tier.",
    )
    cost_currency = currency_field(required=False)

    class Meta:
        model = FollowerTier
        fields = [
            "code",
            "name",
            "lower",
            "upper",
            "source",
            "cost_min",
            "cost_max",
            "cost_currency",
            "cost_source",
        ]
        read_only_fields = ["code", "source"]
        extra_kwargs = {"cost_min": NOT_NEGATIVE, "cost_max": NOT_NEGATIVE}

    def save_through_service(self, tier, data):
        return services.tier_save(
            organization=self.context["membership"].organization, tier=tier, **data
        )


class BenchmarkSerializer(ServiceModelSerializer):
    """The expected engagement rate of a platform, tier and formula, with its source."""

    tier = OrganizationCodeField(FollowerTier, "tier", help_text="A tier's code.")
    tier_name = serializers.CharField(source="tier.name", read_only=True)
    formula = EngagementFormulaField(required=False)
    rate = serializers.DecimalField(
        max_digits=6, decimal_places=3, help_text="Expected engagement rate, in percent."
    )
    # The column's range, said here: on SQLite Django reports no limit for a small integer, so
    # a huge year would reach the service instead of being refused as malformed.
    year = serializers.IntegerField(min_value=0, max_value=32767, required=False, allow_null=True)

    class Meta:
        model = Benchmark
        fields = ["code", "platform", "tier", "tier_name", "formula", "rate", "source", "year"]
        read_only_fields = ["code", "tier_name"]
        extra_kwargs = {"source": {"allow_blank": True}}  # the service says what is missing

    def save_through_service(self, benchmark, data):
        def value(name):
            return data[name] if name in data else getattr(benchmark, name, None)

        return services.benchmark_save(
            organization=self.context["membership"].organization,
            benchmark=benchmark,
            platform=value("platform"),
            tier=value("tier"),
            formula=value("formula") or EngagementFormula.FOLLOWERS,
            rate=value("rate"),
            source=value("source") or "",
            year=value("year"),
        )
