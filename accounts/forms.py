from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Platform, Role


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="Your brand or agency, as your team knows it.")


class BrandForm(forms.Form):
    name = forms.CharField(max_length=120)
    # A text input, not type="url": browsers would refuse "glow.example" before the form's
    # own cleaning adds the https:// it lacks.
    website = forms.URLField(
        required=False, assume_scheme="https", widget=forms.TextInput(attrs={"inputmode": "url"})
    )
    hashtags = forms.CharField(
        required=False,
        help_text="The brand's own hashtags, separated by spaces or commas, e.g. #glowco #scrubup",
    )
    instagram = forms.CharField(required=False, max_length=100, label="Instagram handle")
    tiktok = forms.CharField(required=False, max_length=100, label="TikTok handle")
    youtube = forms.CharField(required=False, max_length=100, label="YouTube handle")

    HANDLE_FIELDS = (Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE)

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = read_only

    def clean_hashtags(self):
        raw = self.cleaned_data["hashtags"].replace(",", " ")
        tags = [tag for tag in raw.split() if tag.strip("#")]
        for tag in tags:
            if not tag.lstrip("#").replace("_", "").isalnum():
                raise forms.ValidationError(
                    f"“{tag}” is not a hashtag: use letters, digits and underscores only."
                )
        return tags

    def clean(self):
        cleaned = super().clean()
        for platform in self.HANDLE_FIELDS:
            handle = cleaned.get(platform, "").strip().lstrip("@")
            if handle and not all(ch.isalnum() or ch in "._-" for ch in handle):
                self.add_error(
                    platform, "A handle has letters, digits, dots, dashes and underscores only."
                )
        return cleaned

    def handles(self) -> dict[str, str]:
        return {
            platform.value: self.cleaned_data.get(platform, "") for platform in self.HANDLE_FIELDS
        }

    @classmethod
    def initial_for(cls, brand) -> dict:
        initial = {
            "name": brand.name,
            "website": brand.website,
            "hashtags": " ".join(f"#{tag}" for tag in brand.hashtags),
        }
        initial.update({handle.platform: handle.handle for handle in brand.handles.all()})
        return initial


class InvitationForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MARKETER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="What the token is for, e.g. “reporting script”."
    )


class SwitchOrganizationForm(forms.Form):
    organization = forms.UUIDField()


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation error on the form: at the field it names when the form has
    that field, above the form otherwise (services may name fields the form does not show)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def save_form(form: forms.Form, save):
    """Validate `form`, then save with `save(cleaned_data)`, a service call.

    Returns what the service returned, or None with the errors shown on the form: the form's
    own, or the service's (at their fields where the form has them).
    """
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
