from django.contrib import admin

from campaigns.models import Campaign, Goal, GoalMeasurement


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
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "organization", "status", "start_date", "end_date"]
    list_filter = ["status", "organization"]
    search_fields = ["name"]
    raw_id_fields = ["brand", "owner"]
    inlines = [GoalInline]


class GoalMeasurementInline(AddThroughTheAppInline):
    model = GoalMeasurement
    fields = ["measured_on", "value", "source"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["campaign", "metric", "baseline", "target_value", "deadline", "organization"]
    list_filter = ["metric", "organization"]
    raw_id_fields = ["campaign", "brand_handle"]
    inlines = [GoalMeasurementInline]
