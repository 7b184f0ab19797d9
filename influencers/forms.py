import dataclasses
import uuid

from django import forms
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from accounts.models import HANDLE_MESSAGE, HANDLE_RE, Platform
from influencers.engagement import Verdict
from influencers.models import EngagementFormula, RelationshipStatus
from influencers.selectors import MISSING, SORTS, DirectoryFilters


def _comma_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.replace(";", ",").split(",") if item.strip()]


# Longer than any name, handle or place; a search text past it is a mistake or an attack, and
# an unbounded LIKE pattern is refused by SQLite ("pattern too complex").
SEARCH_MAX_LENGTH = 200


def search_field(label: str) -> forms.CharField:
    return forms.CharField(required=False, label=label, max_length=SEARCH_MAX_LENGTH)


class SearchForm(forms.Form):
    """A name-or-handle search from the query string."""

    q = search_field("Name or handle")

    def query(self) -> str:
        """The valid search text, or "" while the field has an error."""
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class DirectoryFilterForm(forms.Form):
    """The directory's filters, read from the query string; bad values get a field error."""

    q = search_field("Name or handle")
    platform = forms.ChoiceField(required=False, choices=[("", "Any platform"), *Platform.choices])
    tier = forms.ChoiceField(required=False, choices=[("", "Any tier")])
    niche = forms.ChoiceField(required=False, choices=[("", "Any niche")])
    location = search_field("Location")
    followers_min = forms.IntegerField(required=False, min_value=0, label="Followers from")
    followers_max = forms.IntegerField(required=False, min_value=0, label="to")
    verdict = forms.ChoiceField(
        required=False,
        label="Engagement vs benchmark",
        choices=[
            ("", "Any"),
            (Verdict.ABOVE, "Above benchmark"),
            (Verdict.AT, "At benchmark"),
            (Verdict.BELOW, "Below benchmark"),
            (MISSING, "Not measured"),
        ],
    )
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *RelationshipStatus.choices]
    )
    archived = forms.BooleanField(required=False, label="Archived only")
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for name in SORTS for key in (name, f"-{name}")]
    )

    def __init__(self, *args, tiers=(), niches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [("", "Any tier")] + [
            (str(tier.code), f"{tier.name} ({tier.range_label})") for tier in tiers
        ]
        self.fields["niche"].choices = [("", "Any niche")] + [(n.name, n.name) for n in niches]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("followers_min"), cleaned.get("followers_max")
        if low is not None and high is not None and low > high:
            self.add_error("followers_max", "Must be at least the lower bound.")
        return cleaned

    def filters(self) -> DirectoryFilters:
        """The valid filters; a field with an error is left out rather than guessed."""
        self.is_valid()  # cleaned_data then holds only the fields without errors
        known = {field.name for field in dataclasses.fields(DirectoryFilters)}
        return DirectoryFilters(
            **{
                name: value
                for name, value in self.cleaned_data.items()
                if name in known and value not in ("", None)
            }
        )

    def ordering(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort") or "name"


class InfluencerForm(forms.Form):
    name = forms.CharField(max_length=120)
    email = forms.EmailField(required=False)
    country = LazyTypedChoiceField(
        choices=[("", "—"), *countries],
        required=False,
        help_text="Target profiles match influencers by country.",
    )
    location = forms.CharField(label="City", max_length=120, required=False)
    languages = forms.CharField(required=False, help_text="Separated by commas: English, German")
    niches = forms.CharField(required=False, help_text="Separated by commas: skincare, coffee")
    status = forms.ChoiceField(choices=RelationshipStatus.choices)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_languages(self):
        return _comma_list(self.cleaned_data["languages"])

    def clean_niches(self):
        return _comma_list(self.cleaned_data["niches"])

    @staticmethod
    def initial_for(influencer) -> dict:
        return {
            "name": influencer.name,
            "email": influencer.email,
            "country": influencer.country.code or "",
            "location": influencer.location,
            "languages": ", ".join(influencer.languages),
            "niches": ", ".join(niche.name for niche in influencer.niches.all()),
            "status": influencer.status,
            "notes": influencer.notes,
        }


class SocialAccountForm(forms.Form):
    platform = forms.ChoiceField(choices=Platform.choices)
    handle = forms.CharField(max_length=100, help_text="Without the @.")
    profile_url = forms.URLField(required=False, assume_scheme="https", widget=forms.TextInput)
    followers = forms.IntegerField(required=False, min_value=0)
    following = forms.IntegerField(required=False, min_value=0)
    posts_count = forms.IntegerField(required=False, min_value=0, label="Posts")
    avg_likes = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, label="Average likes per post"
    )
    avg_comments = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, label="Average comments per post"
    )
    avg_saves = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, label="Average saves per post"
    )
    avg_shares = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, label="Average shares per post"
    )
    avg_reach = forms.IntegerField(required=False, min_value=0, label="Average reach per post")
    avg_views = forms.IntegerField(required=False, min_value=0, label="Average views per post")
    engagement_sample_size = forms.IntegerField(
        required=False,
        min_value=1,
        label="Posts averaged",
        help_text="How many recent posts the averages cover.",
    )
    engagement_formula = forms.ChoiceField(
        choices=[("", "The platform's usual"), *EngagementFormula.choices],
        required=False,
        label="Engagement rate formula",
        help_text=(
            "The platform's usual is what its benchmarks divide by: views on TikTok and YouTube "
            "(when average views are given), followers on Instagram. Or divide by reach."
        ),
    )
    bio = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_handle(self):
        handle = self.cleaned_data["handle"].strip().lstrip("@")
        if not HANDLE_RE.fullmatch(handle):
            raise forms.ValidationError(HANDLE_MESSAGE)
        return handle

    def clean(self):
        cleaned = super().clean()
        denominators = {"reach": "avg_reach", "views": "avg_views"}
        needed = denominators.get(cleaned.get("engagement_formula"))
        if needed and cleaned.get(needed) is None:
            self.add_error(needed, "The chosen formula divides by this number: enter it.")
        return cleaned

    @staticmethod
    def initial_for(account) -> dict:
        return {name: getattr(account, name) for name in SocialAccountForm.base_fields}


class MergeForm(forms.Form):
    other = forms.CharField(
        max_length=120,
        label="The other record",
        help_text="One of its account handles (e.g. @anna.s) or its exact name.",
    )


class BulkActionForm(forms.Form):
    """Tag the selected influencers with a niche, or set their status; the checkboxes carry
    influencer codes."""

    ACTIONS = [("tag", "Tag with niche"), ("status", "Set status")]

    action = forms.ChoiceField(choices=ACTIONS)
    selected = forms.MultipleChoiceField(
        error_messages={"required": "Select at least one influencer, then choose an action."}
    )
    niche = forms.CharField(required=False, max_length=60)
    status = forms.ChoiceField(required=False, choices=[("", "—"), *RelationshipStatus.choices])

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        if data is not None:
            self.fields["selected"].choices = [(code, code) for code in data.getlist("selected")]

    def clean_selected(self):
        try:
            return [uuid.UUID(code) for code in self.cleaned_data["selected"]]
        except ValueError as error:
            raise forms.ValidationError("The selection is not valid: select again.") from error

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "tag" and not cleaned.get("niche", "").strip():
            self.add_error("niche", "Enter the niche to tag with.")
        if cleaned.get("action") == "status" and not cleaned.get("status"):
            self.add_error("status", "Choose the status to set.")
        return cleaned
