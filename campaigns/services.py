"""Every write to campaigns, goals and goal measurements."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Brand, BrandHandle, Organization
from campaigns.models import Campaign, Goal, GoalMeasurement, GoalMetric, TargetKind

# Metrics measured on one of the brand's own accounts.
ACCOUNT_METRICS = {GoalMetric.FOLLOWER_GROWTH}
PERCENT_METRICS = {GoalMetric.ENGAGEMENT_RATE}


@transaction.atomic
def campaign_save(
    *,
    organization: Organization,
    campaign: Campaign | None = None,
    brand: Brand,
    name: str,
    description: str = "",
    status: str | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    budget_amount: Decimal | None = None,
    budget_currency: str = "EUR",
    owner=None,
) -> Campaign:
    if brand.organization_id != organization.pk:
        raise ValidationError({"brand": "Choose one of your organisation's brands."})
    errors = {}
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = "The campaign cannot end before it starts."
    if budget_amount is not None and budget_amount < 0:
        errors["budget_amount"] = "A budget cannot be negative."
    if campaign and campaign.brand_id != brand.pk and campaign.goals.exclude(brand_handle=None):
        errors["brand"] = (
            f"Goals of this campaign are measured on {campaign.brand}'s accounts: "
            "change or delete those goals first."
        )
    if errors:
        raise ValidationError(errors)
    campaign = campaign or Campaign(organization=organization, owner=owner)
    campaign.brand = brand
    campaign.name = name.strip()
    campaign.description = description
    if status:
        campaign.status = status
    campaign.start_date, campaign.end_date = start_date, end_date
    campaign.budget_amount = budget_amount
    campaign.budget_currency = budget_currency.upper()
    campaign.full_clean()
    campaign.save()
    return campaign


def campaign_delete(*, campaign: Campaign) -> None:
    campaign.delete()


def goal_errors(
    *,
    campaign: Campaign,
    metric: str,
    brand_handle: BrandHandle | None,
    baseline: Decimal | None,
    target_kind: str,
    target_value: Decimal | None,
    deadline: date | None,
    today: date,
) -> dict[str, str]:
    """Why a goal is not specific and measurable, field by field (empty when it is)."""
    errors = {}
    if target_value is None:
        errors["target_value"] = "A goal needs a target number: how much, exactly?"
    if deadline is None:
        errors["deadline"] = "A goal needs a deadline: by when?"
    elif deadline <= today:
        errors["deadline"] = "The deadline must be in the future, or the goal cannot be reached."
    if baseline is None:
        errors["baseline"] = "Enter today's value, so progress can be measured from it."
    elif baseline < 0:
        errors["baseline"] = "A baseline cannot be negative."
    if target_value is not None and baseline is not None:
        if target_kind == TargetKind.PERCENT:
            if target_value == 0:
                errors["target_value"] = "A change of 0% is no goal: say how much should change."
            elif target_value <= -100:
                errors["target_value"] = "A decrease of 100% or more is impossible."
        elif target_value == baseline:
            errors["target_value"] = "The target equals the baseline: say how much should change."
        elif target_value < 0:
            errors["target_value"] = "A target cannot be negative."
    if metric in PERCENT_METRICS:
        for field, value in (("baseline", baseline), ("target_value", target_value)):
            if target_kind == TargetKind.ABSOLUTE and value is not None and value > 100:
                errors.setdefault(field, "An engagement rate is a percentage: at most 100.")
    if metric in ACCOUNT_METRICS:
        if brand_handle is None:
            errors["brand_handle"] = "Choose the brand account whose followers this goal counts."
        elif brand_handle.brand_id != campaign.brand_id:
            errors["brand_handle"] = f"Choose one of {campaign.brand}'s accounts."
    elif brand_handle is not None and brand_handle.brand_id != campaign.brand_id:
        errors["brand_handle"] = f"Choose one of {campaign.brand}'s accounts."
    return errors


@transaction.atomic
def goal_save(
    *,
    campaign: Campaign,
    goal: Goal | None = None,
    metric: str,
    baseline: Decimal | None,
    target_kind: str,
    target_value: Decimal | None,
    deadline: date | None,
    brand_handle: BrandHandle | None = None,
) -> Goal:
    """Create or change a goal; vague goals are refused with the reason at each field."""
    errors = goal_errors(
        campaign=campaign,
        metric=metric,
        brand_handle=brand_handle,
        baseline=baseline,
        target_kind=target_kind,
        target_value=target_value,
        deadline=deadline,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    goal = goal or Goal(organization=campaign.organization, campaign=campaign)
    goal.metric, goal.brand_handle = metric, brand_handle
    goal.baseline, goal.target_kind, goal.target_value = baseline, target_kind, target_value
    goal.deadline = deadline
    goal.full_clean()
    goal.save()
    return goal


def goal_delete(*, goal: Goal) -> None:
    goal.delete()


@transaction.atomic
def goal_measurement_record(
    *, goal: Goal, measured_on: date, value: Decimal, source: str = "manual"
) -> GoalMeasurement:
    """Record the metric's value on a day; a second value for the same day replaces the first."""
    errors = {}
    if measured_on > timezone.localdate():
        errors["measured_on"] = "A measurement cannot be in the future."
    if value < 0:
        errors["value"] = "A measured value cannot be negative."
    if errors:
        raise ValidationError(errors)
    measurement, _ = GoalMeasurement.objects.update_or_create(
        goal=goal,
        measured_on=measured_on,
        defaults={"organization": goal.organization, "value": value, "source": source},
    )
    return measurement


def goal_measurement_delete(*, measurement: GoalMeasurement) -> None:
    measurement.delete()
