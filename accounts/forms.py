from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError

from accounts import selectors
from accounts.models import HANDLE_MESSAGE, HANDLE_RE, Platform, Role, validate_organization_name


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form, where an address is taken only when an account holds it.

    An address someone merely added to their account does not stop its owner signing up (see
    `selectors.email_address_is_taken`). A taken address gets the same page as a free one
    (enumeration prevention emails the owner instead) and, here, takes the same time.
    """

    def validate_unique_email(self, value):
        self.account_already_exists = selectors.email_address_is_taken(email=value)
        return get_adapter().validate_unique_email(value)

    def try_save(self, request):
        if self.account_already_exists:
            # A new account's password is hashed when it is saved, which is most of the time a
            # sign-up takes; hash this one too, and throw it away, so that the answer takes as
            # long for a taken address as for a free one.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)

    def save(self, request):
        user = super().save(request)
        # allauth leaves out an address that another account holds unverified; that address
        # belongs to nobody, so the new account gets it, to verify like any other sign-up.
        if not EmailAddress.objects.filter(user=user).exists():
            address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
            EmailAddress.objects.fill_cache_for_user(user, [address])
        return user


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """A reset link goes only to the account the address belongs to (see
    `selectors.user_get_for_email`), never to an account it was merely added to."""

    def clean_email(self):
        email = super().clean_email()
        user = selectors.user_get_for_email(email=email)
        self.users = [user] if user is not None and user.is_active else []
        return email


class OrganizationRowChoiceField(forms.ModelChoiceField):
    """One of the rows of `model` that belong to the organisation the request acts in.

    Forms choose related rows with it, so another organisation's row is refused by
    construction, with the same answer as a made-up one. The choices are read through the
    model's scoped manager when a form is made, inside the request's scope (outside one, making
    the form raises `ScopeError`); a form may narrow them (a brand's handles), never widen them.
    """

    def __init__(self, model, **kwargs):
        self.model = model
        # The field is made with its form class, outside any scope: the rows come per form.
        super().__init__(queryset=None, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code == "invalid_choice":
                raise
            # A value that cannot even be a key (not a UUID) is no row of the organisation.
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self.model.objects.all()
        return result

    def _set_queryset(self, queryset):
        if queryset is not None:
            queryset = queryset & self.model.objects.all()
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class OrganizationForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        validators=[validate_organization_name],
        help_text="Your brand or agency, as your team knows it.",
    )


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
            if handle and not HANDLE_RE.fullmatch(handle):
                self.add_error(platform, HANDLE_MESSAGE)
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
