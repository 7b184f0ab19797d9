from django.contrib import admin

from accounts.admin import OrganizationOwnedAdmin
from influencers.models import (
    Benchmark,
    EngagementSettings,
    FollowerTier,
    ImportJob,
    Influencer,
    Niche,
    SocialAccount,
)


class SocialAccountInline(admin.TabularInline):
    model = SocialAccount
    extra = 0
    fields = ["platform", "handle", "followers", "engagement_rate", "benchmark_ratio", "tier"]
    readonly_fields = ["engagement_rate", "benchmark_ratio", "tier"]
    show_change_link = True


@admin.register(Influencer)
class InfluencerAdmin(OrganizationOwnedAdmin):
    list_display = ["name", "organization", "status", "location", "updated_at"]
    list_filter = ["status", "organization"]
    search_fields = ["name", "email", "accounts__handle"]
    filter_horizontal = ["niches"]
    inlines = [SocialAccountInline]


@admin.register(SocialAccount)
class SocialAccountAdmin(OrganizationOwnedAdmin):
    list_display = [
        "handle",
        "platform",
        "organization",
        "followers",
        "engagement_rate",
        "benchmark_ratio",
        "tier",
    ]
    list_filter = ["platform", "organization"]
    search_fields = ["handle", "influencer__name"]
    raw_id_fields = ["influencer"]
    # Derived by the services from the organisation's own tables; never edited by hand.
    readonly_fields = [
        "handle_key",
        "engagement_rate",
        "engagement_interactions",
        "tier",
        "benchmark",
        "benchmark_ratio",
    ]


@admin.register(FollowerTier)
class FollowerTierAdmin(OrganizationOwnedAdmin):
    list_display = ["name", "organization", "lower", "upper", "cost_min", "cost_max"]
    list_filter = ["organization"]


@admin.register(Benchmark)
class BenchmarkAdmin(OrganizationOwnedAdmin):
    list_display = ["platform", "tier", "formula", "rate", "source", "year", "organization"]
    list_filter = ["platform", "formula", "organization"]


@admin.register(Niche)
class NicheAdmin(OrganizationOwnedAdmin):
    list_display = ["name", "organization"]
    search_fields = ["name"]


@admin.register(EngagementSettings)
class EngagementSettingsAdmin(OrganizationOwnedAdmin):
    list_display = ["organization", "include_saves", "include_shares", "tier_scheme"]


@admin.register(ImportJob)
class ImportJobAdmin(OrganizationOwnedAdmin):
    list_display = ["original_name", "organization", "status", "total_rows", "created_at"]
    list_filter = ["status", "organization"]
