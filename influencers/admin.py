from django.contrib import admin
from django.db import models

from accounts.admin import OrganizationOwnedAdmin
from influencers import services
from influencers.models import (
    Benchmark,
    DataSource,
    EngagementSettings,
    FollowerTier,
    ImportJob,
    Influencer,
    Niche,
    SocialAccount,
)


class ReadOnlyAdmin:
    """Shown, never changed here: the owners' settings page checks the whole table and
    re-derives every account's tier, benchmark and ratio; a row edited here would not."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SocialAccountInline(ReadOnlyAdmin, admin.TabularInline):
    """Listed with their person; each is changed on its own page, through the service."""

    model = SocialAccount
    extra = 0
    fields = ["platform", "handle", "followers", "engagement_rate", "benchmark_ratio", "tier"]
    readonly_fields = fields
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
    exclude = ["organization"]  # the influencer's
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the product's form
    # Derived by the services from the numbers and the organisation's own tables, or stamped
    # by them with the numbers; never edited by hand.
    readonly_fields = [
        "handle_key",
        "audience_source",
        "audience_updated_at",
        "engagement_rate",
        "engagement_interactions",
        "engagement_source",
        "engagement_computed_at",
        "audience_flags",
        "tier",
        "benchmark",
        "benchmark_ratio",
    ]

    def get_readonly_fields(self, request, obj=None):
        # An account stays with its influencer (and so its organisation); merge instead.
        return self.readonly_fields + (["influencer"] if obj else [])

    def save_model(self, request, obj, form, change):
        # Through the one write path, as the form and the API: a number's source and time
        # move only with it, and rate, tier, benchmark and ratio are derived.
        stored = SocialAccount.objects.get(pk=obj.pk) if change else None
        values = {
            f: form.cleaned_data[f] for f in services.ACCOUNT_FIELDS if f in form.cleaned_data
        }
        saved = services.social_account_save(
            influencer=stored.influencer if stored else form.cleaned_data["influencer"],
            account=stored,
            source=DataSource.MANUAL,
            **values,
        )
        obj.pk, obj._state.adding = saved.pk, False


@admin.register(FollowerTier)
class FollowerTierAdmin(ReadOnlyAdmin, OrganizationOwnedAdmin):
    list_display = ["name", "organization", "lower", "upper", "cost_min", "cost_max"]
    list_filter = ["organization"]


@admin.register(Benchmark)
class BenchmarkAdmin(ReadOnlyAdmin, OrganizationOwnedAdmin):
    list_display = ["platform", "tier", "formula", "rate", "source", "year", "organization"]
    list_filter = ["platform", "formula", "organization"]


@admin.register(Niche)
class NicheAdmin(OrganizationOwnedAdmin):
    list_display = ["name", "organization"]
    search_fields = ["name"]


@admin.register(EngagementSettings)
class EngagementSettingsAdmin(ReadOnlyAdmin, OrganizationOwnedAdmin):
    list_display = ["organization", "include_saves", "include_shares", "tier_scheme"]


@admin.register(ImportJob)
class ImportJobAdmin(OrganizationOwnedAdmin):
    list_display = ["original_name", "organization", "status", "total_rows", "created_at"]
    list_filter = ["status", "organization"]
