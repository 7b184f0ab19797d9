"""Users, organisations, their brands, memberships with roles, invitations and API tokens."""

import re
import unicodedata
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_scopes import ScopedManager


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an email address; there are no usernames."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self):
        return self.email


# Codes of a ValidationError that say what kind of refusal it is, for the API to answer with
# the right status (accounts/api/errors.py): RULE, a rule of the product that the API schema
# cannot express (422); CONFLICT, a clash with rows that exist, such as a duplicate (409).
RULE = "rule"
CONFLICT = "conflict"

# An organisation's name reaches invitees inside emails the product sends, so it must read as
# a name: nothing an email client turns into a link, nothing that starts a line of its own.
# A link is a scheme ("https://") or a dotted host name ("evil.example", also inside
# "help@evil.example"): a letter or digit, a dot, then two letters. "St. Ives" and "No.7" pass;
# "J.Crew" has to be written "J. Crew".
_LINK_LIKE = re.compile(r"://|[^\W_]\.[^\W\d_]{2,}")
# Line breaks, control characters and invisible formatting (bidirectional overrides, zero-width
# spaces that hide a dot from the rule above); the zero-width joiner of emoji stays allowed.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
_ZERO_WIDTH_JOINER = "\u200d"
# Look-alikes of the characters that make a link, for names saved before the rule existed.
_LINK_BREAKERS = str.maketrans({".": "\u2024", ":": "\u2236", "/": "\u2215", "@": "\uff20"})


def _is_invisible(character: str) -> bool:
    return (
        unicodedata.category(character) in _INVISIBLE_CATEGORIES and character != _ZERO_WIDTH_JOINER
    )


def _link_like_word(text: str) -> str | None:
    for word in text.split():
        if _LINK_LIKE.search(word):
            return word.strip(".,;:!?()[]<>\"'“”‘’")
    return None


def validate_organization_name(name: str) -> None:
    """Refuse a name that an email could show as a link, or as lines of its own."""
    if any(_is_invisible(character) for character in name):
        raise ValidationError("Names cannot contain line breaks or control characters.", code=RULE)
    word = _link_like_word(name)
    if word:
        kind = "an email address" if "@" in word and "://" not in word else "a web address"
        raise ValidationError(
            f"“{word}” looks like {kind}, and names cannot contain web or email addresses. "
            "If it is part of the name, write it with a space after the dot.",
            code=RULE,
        )


class Organization(models.Model):
    """A brand or an agency: the boundary of all business data."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120, validators=[validate_organization_name])
    slug = models.SlugField(max_length=140, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def quoted_name(self) -> str:
        """The name as emails show it: in quotes, on one line, never as a link.

        Names saved before `validate_organization_name` existed may hold an address or line
        breaks; they are shown on one line, with look-alike characters no client links.
        """
        text = " ".join("".join(" " if _is_invisible(c) else c for c in self.name).split())
        if _link_like_word(text):
            text = text.translate(_LINK_BREAKERS)
        return f"“{text}”"


class OrganizationOwned(models.Model):
    """Base of every organisation-owned row: an indexed organisation and a public UUID code.

    URLs and the API name rows by `code`, never by primary key.

    Tenancy fails closed: the default manager answers only inside
    `django_scopes.scope(organization=...)`, with that organisation's rows; outside any scope a
    query raises `ScopeError` instead of answering for every organisation (see
    `accounts.tenancy`). Forward relations (`goal.campaign`), saves and deletes use Django's
    plain base manager and work anywhere.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=True
    )
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        abstract = True


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MARKETER = "marketer", "Marketer"
    MANAGER = "manager", "Manager"


class Capability(models.TextChoices):
    """What a member may do; each role grants a fixed set."""

    READ = "read", "read everything in the organisation"
    REVIEW = "review", "comment and approve"
    EDIT_WORKFLOW = "edit_workflow", "edit campaigns, influencers, outreach and brands"
    ADMINISTER = "administer", "manage members, settings and credentials"


ROLE_CAPABILITIES = {
    Role.OWNER: {
        Capability.READ,
        Capability.REVIEW,
        Capability.EDIT_WORKFLOW,
        Capability.ADMINISTER,
    },
    Role.MARKETER: {Capability.READ, Capability.REVIEW, Capability.EDIT_WORKFLOW},
    Role.MANAGER: {Capability.READ, Capability.REVIEW},
}


class Membership(OrganizationOwned):
    """A user's place in an organisation, with the role that decides what they may do."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not scoped: a request finds its membership (by user) before it knows its organisation,
    # and the membership is what decides the scope. Lookups always filter by user.
    objects = models.Manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]
        ordering = ["user__email"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) in {self.organization}"

    def can(self, capability: Capability) -> bool:
        return capability in ROLE_CAPABILITIES[Role(self.role)]

    # Shorthands for templates, which cannot pass arguments.
    @property
    def can_edit_workflow(self) -> bool:
        return self.can(Capability.EDIT_WORKFLOW)

    @property
    def can_administer(self) -> bool:
        return self.can(Capability.ADMINISTER)


class Platform(models.TextChoices):
    """Social platforms the product knows; shared by brands, influencers and metrics."""

    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    OTHER = "other", "Other"


# A handle as the platforms allow them: letters of any script, digits, dots, dashes and _.
HANDLE_PATTERN = r"[\w.-]+"
HANDLE_RE = re.compile(HANDLE_PATTERN)
HANDLE_MAX_LENGTH = 100
HANDLE_MESSAGE = "A handle has letters, digits, dots, dashes and underscores only."


class Brand(OrganizationOwned):
    """A brand the organisation runs campaigns for, with its hashtags and social handles."""

    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    hashtags = models.JSONField(
        default=list, blank=True, help_text="Hashtags without the leading #, in lower case."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("organization", Lower("name"), name="brand_name_unique_ci"),
        ]
        indexes = [models.Index(fields=["organization", "name"], name="brand_list")]
        ordering = ["name"]

    def __str__(self):
        return self.name


class BrandHandle(OrganizationOwned):
    """A brand's account on one platform, stored without the leading @."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="handles")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "platform"], name="brand_handle_one_per_platform"
            ),
        ]
        ordering = ["platform"]

    def __str__(self):
        return f"@{self.handle} on {self.get_platform_display()}"


def invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(OrganizationOwned):
    """A single-use link, sent by email, that lets one address join with one role."""

    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.email} to {self.organization}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class ApiToken(OrganizationOwned):
    """A personal API key: acts as its user, with that user's role, in one organisation.

    Only a SHA-256 digest of the key is stored; the key itself is shown once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
