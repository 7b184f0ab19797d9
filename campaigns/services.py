"""Every write to campaigns, goals, goal measurements, ideas, the shortlist and term sheets."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Brand, BrandHandle, Organization, Platform
from campaigns.models import (
    Campaign,
    CompensationModel,
    DeliverableType,
    Goal,
    GoalMeasurement,
    GoalMetric,
    Idea,
    IdeaComment,
    IdeaVote,
    ShortlistEntry,
    ShortlistStatus,
    TargetKind,
    TermSheet,
)
from influencers.models import SocialAccount
from influencers.selectors import tier_list

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


# What a goal cannot do without: a specific, measurable goal has all three.
GOAL_NEEDS = {
    "target_value": "A goal needs a target number: how much, exactly?",
    "deadline": "A goal needs a deadline: by when?",
    "baseline": "Enter today's value, so progress can be measured from it.",
}


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
    kept_deadline: date | None = None,
) -> dict[str, str]:
    """Why a goal is not specific and measurable, field by field (empty when it is).

    `kept_deadline` is the deadline an edited goal already has: it may stay as it is once
    passed, so a finished goal can still be corrected.
    """
    errors = {}
    if target_value is None:
        errors["target_value"] = GOAL_NEEDS["target_value"]
    if deadline is None:
        errors["deadline"] = GOAL_NEEDS["deadline"]
    elif deadline <= today and deadline != kept_deadline:
        errors["deadline"] = "The deadline must be in the future, or the goal cannot be reached."
    if baseline is None:
        errors["baseline"] = GOAL_NEEDS["baseline"]
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
        kept_deadline=goal.deadline if goal else None,
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


def _clean_list(values, *, lower=False) -> list[str]:
    """Trimmed, non-empty, de-duplicated entries in their first order."""
    cleaned = []
    for value in values or []:
        value = str(value).strip()
        if lower:
            value = value.lower()
        if value and value not in cleaned:
            cleaned.append(value)
    return cleaned


def _clean_hashtag(value: str) -> str:
    return (value or "").strip()


def idea_errors(
    *,
    channels: list[str],
    followers_min: int | None,
    followers_max: int | None,
    min_engagement_rate: Decimal | None,
    estimated_cost: Decimal | None,
    campaign_hashtag: str,
    disclosure_hashtag: str,
    tiers: list[str] = (),
    known_tiers: list[str] = (),
) -> dict[str, str]:
    """Why an idea cannot be saved, field by field (empty when it can).

    A tier must be one of the organisation's (`known_tiers`): an unknown one would match no
    account, silently.
    """
    errors = {}
    unknown_tiers = [tier for tier in tiers if tier not in known_tiers]
    if unknown_tiers:
        errors["tiers"] = (
            f"Unknown tier: {', '.join(unknown_tiers)}. "
            f"Use your tier table's: {', '.join(known_tiers)}."
        )
    unknown = [channel for channel in channels if channel not in Platform.values]
    if unknown:
        errors["channels"] = (
            f"Unknown channel: {', '.join(unknown)}. Use {', '.join(Platform.values)}."
        )
    for field, value in (("followers_min", followers_min), ("followers_max", followers_max)):
        if value is not None and value < 0:
            errors[field] = "A follower count cannot be negative."
    if (
        followers_min is not None
        and followers_max is not None
        and "followers_min" not in errors
        and followers_min > followers_max
    ):
        errors["followers_max"] = "The maximum followers must be at least the minimum."
    if min_engagement_rate is not None and not 0 <= min_engagement_rate <= 100:
        errors["min_engagement_rate"] = "An engagement rate is a percentage: from 0 to 100."
    if estimated_cost is not None and estimated_cost < 0:
        errors["estimated_cost"] = "A cost cannot be negative."
    for field, value in (
        ("campaign_hashtag", campaign_hashtag),
        ("disclosure_hashtag", disclosure_hashtag),
    ):
        if "#" in value or any(character.isspace() for character in value):
            errors[field] = "Write the hashtag without # and without spaces, e.g. glowlaunch."
    return errors


@transaction.atomic
def idea_save(
    *,
    campaign: Campaign,
    idea: Idea | None = None,
    title: str,
    description: str = "",
    campaign_type: str,
    channels: list[str] | None = None,
    niches: list[str] | None = None,
    tiers: list[str] | None = None,
    locations: list[str] | None = None,
    followers_min: int | None = None,
    followers_max: int | None = None,
    min_engagement_rate: Decimal | None = None,
    campaign_hashtag: str = "",
    disclosure_hashtag: str = "ad",
    estimated_cost: Decimal | None = None,
    created_by=None,
) -> Idea:
    """Create or change an idea; impossible values are refused with the reason at each field."""
    channels = _clean_list(channels, lower=True)
    campaign_hashtag = _clean_hashtag(campaign_hashtag)
    disclosure_hashtag = _clean_hashtag(disclosure_hashtag)
    known_tiers = [tier.name for tier in tier_list(organization=campaign.organization)]
    # Written as the tier table writes them, whatever the case typed ("Micro" is micro).
    tiers = [
        next((known for known in known_tiers if known.lower() == tier.lower()), tier)
        for tier in _clean_list(tiers)
    ]
    errors = idea_errors(
        tiers=tiers,
        known_tiers=known_tiers,
        channels=channels,
        followers_min=followers_min,
        followers_max=followers_max,
        min_engagement_rate=min_engagement_rate,
        estimated_cost=estimated_cost,
        campaign_hashtag=campaign_hashtag,
        disclosure_hashtag=disclosure_hashtag,
    )
    if errors:
        raise ValidationError(errors)
    idea = idea or Idea(
        organization_id=campaign.organization_id, campaign=campaign, created_by=created_by
    )
    idea.title, idea.description = title.strip(), description
    idea.campaign_type, idea.channels = campaign_type, channels
    idea.niches = _clean_list(niches, lower=True)
    idea.tiers, idea.locations = tiers, _clean_list(locations)
    idea.followers_min, idea.followers_max = followers_min, followers_max
    idea.min_engagement_rate = min_engagement_rate
    idea.campaign_hashtag, idea.disclosure_hashtag = campaign_hashtag, disclosure_hashtag
    idea.estimated_cost = estimated_cost
    idea.full_clean()
    idea.save()
    return idea


def idea_delete(*, idea: Idea) -> None:
    idea.delete()


def idea_vote_toggle(*, idea: Idea, user) -> bool:
    """Vote for the idea, or take the vote back; returns whether the user now votes for it.

    The unique (idea, user) key keeps one vote per member even when two requests race.
    """
    deleted, _ = IdeaVote.objects.filter(idea=idea, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            IdeaVote.objects.create(organization_id=idea.organization_id, idea=idea, user=user)
    except IntegrityError:
        pass  # a concurrent request already recorded this member's vote
    return True


def idea_comment_add(*, idea: Idea, author, text: str) -> IdeaComment:
    comment = IdeaComment(
        organization_id=idea.organization_id, idea=idea, author=author, text=text.strip()
    )
    if not comment.text:
        raise ValidationError({"text": "Write a comment first."})
    comment.full_clean()
    comment.save()
    return comment


def idea_choose(*, idea: Idea) -> None:
    """Mark the idea chosen; several ideas of a campaign may be chosen."""
    Idea.objects.filter(pk=idea.pk).update(chosen=True)
    idea.chosen = True


def idea_unchoose(*, idea: Idea) -> None:
    Idea.objects.filter(pk=idea.pk).update(chosen=False)
    idea.chosen = False


FEE_MODELS = {CompensationModel.FLAT_FEE, CompensationModel.HYBRID}
COMMISSION_MODELS = {CompensationModel.COMMISSION, CompensationModel.HYBRID}


def _deliverable_errors(deliverables: list[dict]) -> tuple[list[dict], list[str]]:
    """The deliverables cleaned, and one message per bad line ("Line 2: …")."""
    cleaned, problems = [], []
    for number, item in enumerate(deliverables, start=1):
        count = item.get("count")
        kind = str(item.get("type", "")).strip().lower()
        platform = str(item.get("platform", "")).strip().lower()
        line = []
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            line.append("the count must be a whole number of at least 1")
        if kind not in DeliverableType.values:
            line.append(f"unknown type “{kind}” (use {', '.join(DeliverableType.values)})")
        if platform not in Platform.values:
            line.append(f"unknown platform “{platform}” (use {', '.join(Platform.values)})")
        if line:
            problems.append(f"Line {number}: {'; '.join(line)}.")
        else:
            cleaned.append({"count": count, "type": kind, "platform": platform})
    return cleaned, problems


def term_sheet_errors(
    *,
    name: str,
    deliverable_problems: list[str],
    compensation_model: str,
    fee_amount: Decimal | None,
    currency: str,
    product_value: Decimal | None,
    commission_rate: Decimal | None,
    usage_rights_days: int | None,
    exclusivity_days: int | None,
    posting_window_start: date | None,
    posting_window_end: date | None,
    relationship_months: int | None,
    influencers_planned: int | None,
) -> dict[str, str]:
    """Why a term sheet cannot be saved, field by field (empty when it can)."""
    errors = {}
    if not name:
        errors["name"] = "Name the sheet, e.g. “micro ambassadors”."
    if deliverable_problems:
        errors["deliverables"] = " ".join(deliverable_problems)
    if compensation_model not in CompensationModel.values:
        errors["compensation_model"] = "Choose how the influencers are paid."
    if fee_amount is not None and fee_amount < 0:
        errors["fee_amount"] = "A fee cannot be negative."
    elif fee_amount is None and compensation_model in FEE_MODELS:
        label = CompensationModel(compensation_model).label
        errors["fee_amount"] = f"{label} needs the fee per influencer."
    if product_value is not None and product_value < 0:
        errors["product_value"] = "A product value cannot be negative."
    elif product_value is None and compensation_model == CompensationModel.PRODUCT_ONLY:
        errors["product_value"] = "Product only needs the value of the product sent."
    if commission_rate is not None and not 0 <= commission_rate <= 100:
        errors["commission_rate"] = "A commission is a percentage: from 0 to 100."
    elif commission_rate is None and compensation_model in COMMISSION_MODELS:
        label = CompensationModel(compensation_model).label
        errors["commission_rate"] = f"{label} needs the commission rate (%)."
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = "Use a three-letter currency code, e.g. EUR."
    for field, value, what in (
        ("usage_rights_days", usage_rights_days, "Usage rights days"),
        ("exclusivity_days", exclusivity_days, "Exclusivity days"),
        ("relationship_months", relationship_months, "The length of the relationship"),
        ("influencers_planned", influencers_planned, "The number of influencers planned"),
    ):
        if value is not None and value < 0:
            errors[field] = f"{what} cannot be negative."
    if posting_window_start and posting_window_end and posting_window_end < posting_window_start:
        errors["posting_window_end"] = "The posting window cannot end before it starts."
    return errors


@transaction.atomic
def term_sheet_save(
    *,
    campaign: Campaign,
    term_sheet: TermSheet | None = None,
    name: str,
    deliverables: list[dict] | None = None,
    compensation_model: str,
    fee_amount: Decimal | None = None,
    currency: str = "",
    product_value: Decimal | None = None,
    commission_rate: Decimal | None = None,
    required_hashtags: list[str] | None = None,
    required_mentions: list[str] | None = None,
    disclosure: str = "#ad",
    content_guidelines: str = "",
    usage_rights_days: int | None = None,
    usage_rights_channels: list[str] | None = None,
    exclusivity_days: int | None = None,
    exclusivity_competitors: str = "",
    posting_window_start: date | None = None,
    posting_window_end: date | None = None,
    relationship_months: int | None = None,
    drafts_need_approval: bool = True,
    influencers_planned: int | None = 0,
) -> TermSheet:
    """Create or change a term sheet; impossible terms are refused with the reason at each
    field. The currency defaults to the campaign budget's."""
    name = (name or "").strip()
    currency = (currency or campaign.budget_currency).strip().upper()
    cleaned_deliverables, problems = _deliverable_errors(deliverables or [])
    errors = term_sheet_errors(
        name=name,
        deliverable_problems=problems,
        compensation_model=compensation_model,
        fee_amount=fee_amount,
        currency=currency,
        product_value=product_value,
        commission_rate=commission_rate,
        usage_rights_days=usage_rights_days,
        exclusivity_days=exclusivity_days,
        posting_window_start=posting_window_start,
        posting_window_end=posting_window_end,
        relationship_months=relationship_months,
        influencers_planned=influencers_planned,
    )
    if errors:
        raise ValidationError(errors)
    sheet = term_sheet or TermSheet(organization_id=campaign.organization_id, campaign=campaign)
    sheet.name, sheet.deliverables = name, cleaned_deliverables
    sheet.compensation_model, sheet.currency = compensation_model, currency
    sheet.fee_amount, sheet.product_value = fee_amount, product_value
    sheet.commission_rate = commission_rate
    sheet.required_hashtags = [tag.lstrip("#") for tag in _clean_list(required_hashtags)]
    sheet.required_mentions = [m.lstrip("@") for m in _clean_list(required_mentions)]
    sheet.disclosure = (disclosure or "").strip()
    sheet.content_guidelines = content_guidelines
    sheet.usage_rights_days = usage_rights_days
    sheet.usage_rights_channels = _clean_list(usage_rights_channels)
    sheet.exclusivity_days = exclusivity_days
    sheet.exclusivity_competitors = exclusivity_competitors
    sheet.posting_window_start, sheet.posting_window_end = posting_window_start, posting_window_end
    sheet.relationship_months = relationship_months
    sheet.drafts_need_approval = drafts_need_approval
    sheet.influencers_planned = influencers_planned or 0
    sheet.full_clean()
    sheet.save()
    return sheet


def term_sheet_delete(*, term_sheet: TermSheet) -> None:
    term_sheet.delete()


def shortlist_add(*, campaign: Campaign, account: SocialAccount, added_by=None) -> ShortlistEntry:
    """Put an account of the campaign's organisation on its shortlist as a candidate.

    Adding an account that is already there returns its entry unchanged, so a double click or
    a race adds it once (the unique (campaign, account) key decides).
    """
    if account.organization_id != campaign.organization_id:
        raise ValidationError({"account": "Choose an account from your organisation's directory."})
    existing = ShortlistEntry.objects.filter(campaign=campaign, account=account).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return ShortlistEntry.objects.create(
                organization_id=campaign.organization_id,
                campaign=campaign,
                account=account,
                added_by=added_by,
            )
    except IntegrityError:
        return ShortlistEntry.objects.get(campaign=campaign, account=account)


SAY_WHY = "Say why, for the record."


@transaction.atomic
def shortlist_decide(*, entry: ShortlistEntry, status: str, reason: str, user) -> ShortlistEntry:
    """Approve or reject a candidate (or put it back to candidate), with the reason on record."""
    reason = (reason or "").strip()
    errors = {}
    if status not in ShortlistStatus.values:
        errors["status"] = "Approve or reject the candidate."
    if not reason:
        errors["reason"] = SAY_WHY
    if errors:
        raise ValidationError(errors)
    entry.status, entry.reason = status, reason
    if status == ShortlistStatus.CANDIDATE:
        entry.decided_by, entry.decided_at = None, None
    else:
        entry.decided_by, entry.decided_at = user, timezone.now()
    entry.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return entry


def shortlist_checklist_save(
    *,
    entry: ShortlistEntry,
    content_quality: bool = False,
    content_quality_note: str = "",
    niche_fit: bool = False,
    niche_fit_note: str = "",
    audience_fit: bool = False,
    audience_fit_note: str = "",
    comments_genuine: bool = False,
    comments_genuine_note: str = "",
) -> ShortlistEntry:
    """Record the deep-dive checklist of a candidate: each item ticked or not, with a note."""
    values = {
        "content_quality": bool(content_quality),
        "content_quality_note": (content_quality_note or "").strip(),
        "niche_fit": bool(niche_fit),
        "niche_fit_note": (niche_fit_note or "").strip(),
        "audience_fit": bool(audience_fit),
        "audience_fit_note": (audience_fit_note or "").strip(),
        "comments_genuine": bool(comments_genuine),
        "comments_genuine_note": (comments_genuine_note or "").strip(),
    }
    for name, value in values.items():
        setattr(entry, name, value)
    entry.save(update_fields=list(values))
    return entry


def shortlist_remove(*, entry: ShortlistEntry) -> None:
    entry.delete()
