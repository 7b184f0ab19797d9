from django import forms

from accounts.forms import OrganizationRowChoiceField
from accounts.models import Brand, BrandHandle, Platform
from campaigns.models import (
    CampaignStatus,
    CampaignType,
    CompensationModel,
    DeliverableType,
    GoalMetric,
    IdeaComment,
    ShortlistStatus,
    TargetKind,
)
from influencers.models import SocialAccount


class DateInput(forms.DateInput):
    """The browser's date picker, which takes and gives ISO dates whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    brand = OrganizationRowChoiceField(Brand, empty_label=None)
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(choices=CampaignStatus.choices)
    start_date = forms.DateField(required=False, widget=DateInput)
    end_date = forms.DateField(required=False, widget=DateInput)
    budget_amount = forms.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2, label="Budget"
    )
    budget_currency = forms.CharField(min_length=3, max_length=3, initial="EUR", label="Currency")

    @staticmethod
    def initial_for(campaign) -> dict:
        return {name: getattr(campaign, name) for name in CampaignForm.base_fields}


class GoalForm(forms.Form):
    """Every field is optional here so that a vague goal reaches the service, which says why
    it is vague; the form itself only checks types."""

    metric = forms.ChoiceField(choices=GoalMetric.choices)
    brand_handle = OrganizationRowChoiceField(
        BrandHandle,
        required=False,
        label="Measured on the brand account",
        help_text="Needed for follower growth.",
    )
    baseline = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, help_text="The value today."
    )
    target_kind = forms.ChoiceField(choices=TargetKind.choices, label="The target is")
    target_value = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        label="Target",
        help_text="E.g. 30 with “a percentage change” for +30%, or 20000 as an absolute number.",
    )
    deadline = forms.DateField(required=False, widget=DateInput)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand_handle"].queryset = BrandHandle.objects.filter(brand=campaign.brand)

    @staticmethod
    def initial_for(goal) -> dict:
        return {name: getattr(goal, name) for name in GoalForm.base_fields}


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(widget=DateInput, label="Date")
    value = forms.DecimalField(max_digits=14, decimal_places=2)


class CommaListField(forms.CharField):
    """A list typed as comma-separated text: "skincare, beauty" -> ["skincare", "beauty"]."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [part.strip() for part in text.split(",") if part.strip()]


class IdeaForm(forms.Form):
    """Types only; the service checks ranges and hashtags and says why at each field."""

    title = forms.CharField(max_length=160)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    campaign_type = forms.ChoiceField(choices=CampaignType.choices, label="Type")
    channels = forms.MultipleChoiceField(
        choices=Platform.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    niches = CommaListField(required=False, help_text="Comma-separated, e.g. skincare, beauty.")
    tiers = CommaListField(required=False, help_text="Comma-separated tier names, e.g. micro.")
    locations = CommaListField(
        required=False,
        help_text="Countries or cities, comma-separated: “Germany, Austria” finds Berlin.",
    )
    followers_min = forms.IntegerField(required=False, label="Followers from")
    followers_max = forms.IntegerField(required=False, label="Followers up to")
    min_engagement_rate = forms.DecimalField(
        required=False, max_digits=6, decimal_places=3, label="Minimum engagement rate (%)"
    )
    campaign_hashtag = forms.CharField(max_length=100, required=False, help_text="Without #.")
    disclosure_hashtag = forms.CharField(
        max_length=30, required=False, initial="ad", help_text="Without #, e.g. ad."
    )
    estimated_cost = forms.DecimalField(required=False, max_digits=12, decimal_places=2)

    def __init__(self, *args, tiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        if tiers:
            names = ", ".join(tier.name for tier in tiers)
            self.fields["tiers"].help_text = f"Comma-separated, from your tier table: {names}."

    @staticmethod
    def initial_for(idea) -> dict:
        return {name: getattr(idea, name) for name in IdeaForm.base_fields}


class IdeaCommentForm(forms.Form):
    # Optional here so that an empty comment reaches the service, which says what is missing.
    text = forms.CharField(
        required=False,
        label="Comment",
        max_length=IdeaComment._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeliverablesField(forms.CharField):
    """Deliverables typed one a line as "count type platform": "2 reel instagram".

    A type of two words may keep its space ("1 feed post instagram"). Lines that cannot be
    read are refused here with their number; the service checks the types, platforms and
    counts of the lines that can.
    """

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(f"{d['count']} {d['type']} {d['platform']}" for d in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        deliverables, problems = [], []
        lines = [line.strip() for line in text.splitlines()]
        for number, line in enumerate([line for line in lines if line], start=1):
            words = line.replace("×", " ").replace(" x ", " ").replace(" on ", " ").split()
            if len(words) < 3:
                problems.append(
                    f"Line {number} (“{line}”): write count, type and platform, "
                    "e.g. “2 reel instagram”."
                )
                continue
            try:
                count = int(words[0])
            except ValueError:
                problems.append(f"Line {number} (“{line}”): start with a count, e.g. “2”.")
                continue
            kind = "_".join(words[1:-1]).lower().replace("-", "_")
            deliverables.append({"count": count, "type": kind, "platform": words[-1].lower()})
        if problems:
            raise forms.ValidationError(problems)
        return deliverables


class TermSheetForm(forms.Form):
    """Types only; the service checks amounts, rates, dates and deliverables and says why at
    each field."""

    name = forms.CharField(max_length=120, help_text="E.g. micro ambassadors, gifting wave.")
    deliverables = DeliverablesField(
        required=False,
        help_text="One a line: count, type and platform, e.g. “2 reel instagram”. Types: "
        + ", ".join(DeliverableType.values)
        + ".",
    )
    compensation_model = forms.ChoiceField(choices=CompensationModel.choices, label="Compensation")
    fee_amount = forms.DecimalField(
        required=False, max_digits=12, decimal_places=2, label="Fee per influencer"
    )
    currency = forms.CharField(max_length=3, required=False, help_text="E.g. EUR.")
    product_value = forms.DecimalField(
        required=False, max_digits=12, decimal_places=2, label="Product value per influencer"
    )
    commission_rate = forms.DecimalField(
        required=False, max_digits=5, decimal_places=2, label="Commission rate (%)"
    )
    required_hashtags = CommaListField(required=False, help_text="Comma-separated, e.g. glowscrub.")
    required_mentions = CommaListField(required=False, help_text="Comma-separated, e.g. @glowco.")
    disclosure = forms.CharField(max_length=60, required=False, initial="#ad")
    content_guidelines = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    usage_rights_days = forms.IntegerField(required=False, label="Usage rights (days)")
    usage_rights_channels = CommaListField(
        required=False, help_text="Comma-separated, e.g. website, paid social."
    )
    exclusivity_days = forms.IntegerField(required=False, label="Exclusivity (days)")
    exclusivity_competitors = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    posting_window_start = forms.DateField(required=False, widget=DateInput)
    posting_window_end = forms.DateField(required=False, widget=DateInput)
    relationship_months = forms.IntegerField(required=False, label="Relationship (months)")
    drafts_need_approval = forms.BooleanField(required=False, initial=True)
    influencers_planned = forms.IntegerField(required=False, initial=0)

    @staticmethod
    def initial_for(sheet) -> dict:
        return {name: getattr(sheet, name) for name in TermSheetForm.base_fields}


class ShortlistAddForm(forms.Form):
    account = OrganizationRowChoiceField(
        SocialAccount,
        to_field_name="code",
        # Another organisation's account is answered exactly as a missing one.
        error_messages={"invalid_choice": "Choose an account from your organisation's directory."},
    )


class ShortlistDecideForm(forms.Form):
    status = forms.ChoiceField(choices=ShortlistStatus.choices)
    # Required by the service, which says why when it is missing.
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ShortlistChecklistForm(forms.Form):
    content_quality = forms.BooleanField(required=False)
    content_quality_note = forms.CharField(required=False)
    niche_fit = forms.BooleanField(required=False)
    niche_fit_note = forms.CharField(required=False)
    audience_fit = forms.BooleanField(required=False)
    audience_fit_note = forms.CharField(required=False)
    comments_genuine = forms.BooleanField(required=False)
    comments_genuine_note = forms.CharField(required=False)
