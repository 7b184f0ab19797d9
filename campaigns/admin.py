from django.contrib import admin

from accounts.admin import OrganizationOwnedAdmin
from campaigns.models import (
    Campaign,
    Goal,
    GoalMeasurement,
    Idea,
    IdeaComment,
    IdeaVote,
    ShortlistEntry,
    TermSheet,
)


class AddThroughTheAppInline(admin.TabularInline):
    """Rows are added in the app, where they get their organisation and the goal rules."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class GoalInline(AddThroughTheAppInline):
    model = Goal
    fields = ["metric", "baseline", "target_kind", "target_value", "deadline"]
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(OrganizationOwnedAdmin):
    list_display = ["name", "brand", "organization", "status", "start_date", "end_date"]
    list_filter = ["status", "organization"]
    search_fields = ["name"]
    raw_id_fields = ["brand", "owner"]
    inlines = [GoalInline]


class GoalMeasurementInline(AddThroughTheAppInline):
    model = GoalMeasurement
    fields = ["measured_on", "value", "source"]


@admin.register(Goal)
class GoalAdmin(OrganizationOwnedAdmin):
    list_display = ["campaign", "metric", "baseline", "target_value", "deadline", "organization"]
    list_filter = ["metric", "organization"]
    raw_id_fields = ["campaign", "brand_handle"]
    inlines = [GoalMeasurementInline]


class IdeaVoteInline(AddThroughTheAppInline):
    model = IdeaVote
    fields = ["user"]
    readonly_fields = ["user"]


class IdeaCommentInline(AddThroughTheAppInline):
    model = IdeaComment
    fields = ["author", "text", "created_at"]
    readonly_fields = ["author", "created_at"]


@admin.register(Idea)
class IdeaAdmin(OrganizationOwnedAdmin):
    list_display = ["title", "campaign", "campaign_type", "chosen", "organization"]
    list_filter = ["campaign_type", "chosen", "organization"]
    search_fields = ["title"]
    raw_id_fields = ["campaign", "created_by"]
    inlines = [IdeaVoteInline, IdeaCommentInline]


@admin.register(ShortlistEntry)
class ShortlistEntryAdmin(OrganizationOwnedAdmin):
    list_display = ["account", "campaign", "status", "decided_by", "decided_at", "organization"]
    list_filter = ["status", "organization"]
    raw_id_fields = ["campaign", "account", "decided_by", "added_by"]


@admin.register(TermSheet)
class TermSheetAdmin(OrganizationOwnedAdmin):
    list_display = ["name", "campaign", "compensation_model", "influencers_planned", "organization"]
    list_filter = ["compensation_model", "organization"]
    raw_id_fields = ["campaign"]
