"""Every write to organisations, brands, memberships, invitations and API tokens."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_scopes import scope, scopes_disabled

from accounts import selectors
from accounts.models import (
    CONFLICT,
    ApiToken,
    Brand,
    BrandHandle,
    Invitation,
    Membership,
    Organization,
    Platform,
    Role,
)

# Invitations that ended (accepted, revoked or expired) this long ago are deleted.
STALE_INVITATION_AGE = timedelta(days=30)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "organisation"
    slug, suffix = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


# What a new organisation needs before anyone opens a page: the apps below accounts register
# a function here from their AppConfig.ready(), for example influencers its tier table,
# benchmarks and engagement settings. A registry rather than a module that imports every app:
# the sign-up, the demo, the admin and the API all create organisations from accounts, which
# must not import the apps below it (DESIGN.md), and an explicit registry is greppable where
# a signal receiver is not.
_ORGANIZATION_DEFAULTS: list[Callable[..., None]] = []


def organization_defaults_register(create: Callable[..., None]) -> None:
    """Have `create(organization=...)` called for every organisation, in its creation."""
    if create not in _ORGANIZATION_DEFAULTS:
        _ORGANIZATION_DEFAULTS.append(create)


@transaction.atomic
def organization_setup(*, organization: Organization) -> None:
    """Give a saved organisation every app's defaults; each creates only what is missing.

    Inside the organisation's own tenancy scope: sign-up and the admin create organisations
    from outside any scope, and the defaults act for this organisation only.
    """
    with scope(organization=organization):
        for create in _ORGANIZATION_DEFAULTS:
            create(organization=organization)


@transaction.atomic
def organization_create(*, name: str, user=None, slug: str = "") -> Organization:
    """Create an organisation with its defaults, and `user` as its first owner when given.

    The one way an organisation comes to exist (sign-up, demo, admin, tests), so that no
    page ever has to create a missing default while someone reads it.
    """
    organization = Organization(name=name.strip(), slug=slug or _unique_slug(name))
    organization.full_clean()
    organization.save()
    if user is not None:
        Membership.objects.create(organization=organization, user=user, role=Role.OWNER)
    organization_setup(organization=organization)
    return organization


def organization_update(*, organization: Organization, name: str) -> Organization:
    organization.name = name.strip()
    organization.full_clean()
    organization.save(update_fields=["name"])
    return organization


def normalize_handle(handle: str) -> str:
    return handle.strip().lstrip("@").strip()


def normalize_hashtags(hashtags: list[str]) -> list[str]:
    """Lower-case, without '#', without duplicates, in the order given."""
    seen: dict[str, None] = {}
    for tag in hashtags:
        cleaned = tag.strip().lstrip("#").strip().lower()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


@transaction.atomic
def brand_save(
    *,
    organization: Organization,
    brand: Brand | None = None,
    name: str,
    website: str = "",
    hashtags: list[str] = (),
    handles: dict[str, str] | None = None,
) -> Brand:
    """Create a brand, or update `brand`, with its hashtags and one handle per platform.

    A platform whose handle is empty loses its handle.
    """
    brand = brand or Brand(organization=organization)
    brand.name = name.strip()
    brand.website = website
    brand.hashtags = normalize_hashtags(list(hashtags))
    duplicate = (
        Brand.objects.filter(organization=organization, name__iexact=brand.name)
        .exclude(pk=brand.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {"name": ValidationError("Another brand in this organisation has this name.", CONFLICT)}
        )
    unknown = sorted(set(handles or {}) - set(Platform.values))
    if unknown:
        raise ValidationError({"handles": f"Unknown platform(s): {', '.join(unknown)}."})
    brand.full_clean()
    brand.save()
    for platform, raw in (handles or {}).items():
        handle = normalize_handle(raw)
        if handle:
            BrandHandle.objects.update_or_create(
                brand=brand,
                platform=platform,
                defaults={"organization": organization, "handle": handle},
            )
        else:
            _brand_handle_remove(brand, platform)
    return brand


def _brand_handle_remove(brand: Brand, platform: str) -> None:
    handle = BrandHandle.objects.filter(brand=brand, platform=platform).first()
    if handle is None:
        return
    try:
        with transaction.atomic():
            handle.delete()
    except ProtectedError as error:
        raise ValidationError(
            {
                "handles": ValidationError(
                    f"@{handle.handle} is still used by {_rows_named(error)}: change those "
                    "before removing the handle.",
                    CONFLICT,
                )
            }
        ) from None


def brand_delete(*, brand: Brand) -> None:
    """Delete a brand that nothing uses; one that campaigns use is refused, naming them."""
    try:
        with transaction.atomic():
            brand.delete()
    except ProtectedError as error:
        raise ValidationError(
            f"{brand.name} is still used by {_rows_named(error)}: delete those first.", CONFLICT
        ) from None


def _rows_named(error: ProtectedError, shown: int = 3) -> str:
    """'2 campaigns (“Spring”, “Summer”)': the rows that kept a delete from happening, by kind."""
    kinds: dict[type, list] = {}
    for row in error.protected_objects:
        kinds.setdefault(type(row), []).append(row)
    named = []
    for model, rows in kinds.items():
        kind = model._meta.verbose_name if len(rows) == 1 else model._meta.verbose_name_plural
        names = ", ".join(f"“{row}”" for row in rows[:shown])
        more = f" and {len(rows) - shown} more" if len(rows) > shown else ""
        named.append(f"{len(rows)} {kind} ({names}{more})")
    return " and ".join(named)


def _owner_count(organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Role.OWNER).count()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """Give a member another role; an organisation always keeps at least one owner."""
    # Lock the organisation's owners so two owners demoting each other cannot both succeed.
    list(
        Membership.objects.select_for_update().filter(
            organization=membership.organization, role=Role.OWNER
        )
    )
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, marketer or manager."})
    if membership.role == Role.OWNER and role != Role.OWNER:
        if _owner_count(membership.organization) == 1:
            raise ValidationError(
                {"role": "This is the only owner. Make someone else an owner first."}
            )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    list(
        Membership.objects.select_for_update().filter(
            organization=membership.organization, role=Role.OWNER
        )
    )
    if membership.role == Role.OWNER and _owner_count(membership.organization) == 1:
        raise ValidationError("This is the only owner and cannot be removed.")
    ApiToken.objects.filter(organization=membership.organization, user=membership.user).delete()
    membership.delete()


@transaction.atomic
def invitation_create(
    *, organization: Organization, invited_by, email: str, role: str, site_url: str = ""
) -> Invitation:
    """Invite `email` with `role`; replaces an earlier open invitation to the same address.

    The email is sent by a worker once the transaction commits; its link starts with
    `site_url` (see `accounts.navigation.site_url`).
    """
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError({"email": "This person is already a member."})
    _invitation_check_daily_limit(organization)
    Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now())
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        invited_by=invited_by,
        token=secrets.token_urlsafe(32),
    )
    invitation.full_clean()
    invitation.save()

    from accounts.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.delay(invitation.id, organization.id, site_url))
    return invitation


def _invitation_check_daily_limit(organization: Organization) -> None:
    """Refuse an invitation beyond the organisation's allowance for 24 hours.

    Invitations are emails the product sends to any address, carrying words the organisation
    chose (its name); the allowance keeps one organisation from using the product to mail
    strangers in bulk. Every invitation created counts, revoked and replaced ones too.
    """
    # Two owners inviting at the same moment must not both take the last one.
    list(Organization.objects.select_for_update().filter(pk=organization.pk))
    allowed = settings.INVITATIONS_PER_DAY
    since = timezone.now() - timedelta(hours=24)
    sent = Invitation.objects.filter(organization=organization, created_at__gt=since).count()
    if sent >= allowed:
        raise ValidationError(
            {
                "email": ValidationError(
                    f"This organisation has sent {allowed} invitations in the last 24 hours, "
                    "the most it may. Try again tomorrow.",
                    code="invitation_limit",
                )
            }
        )


def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def invitation_link(invitation: Invitation, site_url: str = "") -> str:
    base = site_url or settings.SITE_URL
    return base + reverse("accounts-invitation", args=[invitation.token])


def invitation_send(*, invitation_id: int, site_url: str = "") -> bool:
    """Email an open invitation once. Safe to run twice: a sent invitation is skipped.

    Returns whether an email went out. A deleted, revoked or accepted invitation is a quiet
    no-op.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.sent_at or not invitation.is_usable:
            return False
        context = {
            "invitation": invitation,
            "link": invitation_link(invitation, site_url),
            "inviter": invitation.invited_by,
        }
        subject = render_to_string("emails/invitation-subject.html", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/invitation-body-text.html", context),
            to=[invitation.email],
        )
        message.attach_alternative(
            render_to_string("emails/invitation-body-html.html", context), "text/html"
        )
        message.send()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


class InvitationError(Exception):
    """An invitation that cannot be accepted; the message says why, for the user."""


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """Join the organisation of the invitation at `token` as `user`.

    The invitation is claimed with a conditional update, so a link works exactly once even
    when clicked twice at the same moment.
    """
    # The link's token is all the user has; it says which organisation the invitation is for.
    with scopes_disabled():
        invitation = Invitation.objects.select_related("organization").filter(token=token).first()
    if invitation is None or invitation.revoked_at:
        raise InvitationError("This invitation link is not valid. Ask for a new invitation.")
    if invitation.accepted_at:
        raise InvitationError("This invitation has already been used.")
    if invitation.is_expired:
        raise InvitationError("This invitation has expired. Ask for a new invitation.")
    # The address must be this account's own, verified one: an address someone merely added
    # to their account belongs to nobody yet.
    if selectors.user_get_for_email(email=invitation.email) != user:
        raise InvitationError(
            f"This invitation is for {invitation.email}. Sign in with that address to accept it."
        )
    with scope(organization=invitation.organization):
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(accepted_at=timezone.now(), accepted_by=user)
    if not claimed:
        raise InvitationError("This invitation has already been used.")
    membership, _ = Membership.objects.get_or_create(
        organization=invitation.organization,
        user=user,
        defaults={"role": invitation.role},
    )
    return membership


def invitations_purge_stale_all_organisations(*, now=None) -> int:
    """Delete invitations of every organisation that ended over 30 days ago."""
    cutoff = (now or timezone.now()) - STALE_INVITATION_AGE
    with scopes_disabled():  # every organisation's, by design
        stale = (
            Invitation.objects.filter(accepted_at__lt=cutoff)
            | Invitation.objects.filter(revoked_at__lt=cutoff)
            | Invitation.objects.filter(expires_at__lt=cutoff)
        )
        deleted, _ = stale.delete()
    return deleted


# How long a sent email is remembered, so that a task delivered twice sends it once.
SENT_EMAIL_MEMORY = timedelta(days=1)


def email_send_after_commit(*, message: EmailMultiAlternatives) -> None:
    """Hand a rendered email to a worker, which sends it once the transaction commits.

    allauth's emails (verification, password reset, "you already have an account") go this
    way: a request then takes the same time whichever email it sends, so its timing does not
    tell whether an address has an account, and a slow or failing mail server delays an email
    instead of failing the page.
    """
    payload = {
        "key": secrets.token_hex(16),
        "subject": message.subject,
        "body": message.body,
        "content_subtype": message.content_subtype,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in message.alternatives],
    }
    from accounts.tasks import send_email

    transaction.on_commit(lambda: send_email.delay(payload))


def email_send(*, payload: dict) -> bool:
    """Send an email handed over by `email_send_after_commit`; returns whether it went out.

    Safe to run twice: an email whose key was sent is skipped.
    """
    sent_key = f"accounts:email-sent:{payload['key']}"
    if cache.get(sent_key):
        return False
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        headers=payload["headers"],
    )
    message.content_subtype = payload["content_subtype"]
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    message.send()
    cache.set(sent_key, True, SENT_EMAIL_MEMORY.total_seconds())
    return True


def email_address_claim(*, email_address: EmailAddress) -> int:
    """Take a just-verified address off every other account that added it unverified.

    Those copies could never be verified now (an address is verified by one account only),
    and would only show their accounts a change that cannot happen. Returns how many went.
    """
    deleted, _ = (
        EmailAddress.objects.filter(email__iexact=email_address.email, verified=False)
        .exclude(user_id=email_address.user_id)
        .delete()
    )
    return deleted


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Create a token for the member; returns it with the key, which is never stored."""
    key = "mc_" + secrets.token_urlsafe(32)
    token = ApiToken(
        organization=membership.organization,
        user=membership.user,
        name=name.strip(),
        prefix=key[:10],
        digest=_digest(key),
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_authenticate(key: str) -> tuple[ApiToken, Membership] | None:
    """The token behind `key` and its user's current membership, or None.

    A token stops working when its user leaves the organisation.
    """
    # The key is all the request has: its token says which organisation it acts in.
    with scopes_disabled():
        token = (
            ApiToken.objects.select_related("user", "organization")
            .filter(digest=_digest(key))
            .first()
        )
    if token is None or not token.user.is_active:
        return None
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(organization=token.organization, user=token.user)
        .first()
    )
    if membership is None:
        return None
    now = timezone.now()
    # Written at most once a minute, so busy API clients do not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        with scope(organization=token.organization):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token, membership


def api_token_revoke(*, token: ApiToken) -> None:
    token.delete()
