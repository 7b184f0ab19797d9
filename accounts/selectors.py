"""Reads of accounts data, each scoped to one organisation (addresses, which are global, aside)."""

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import (
    ApiToken,
    Brand,
    BrandHandle,
    Invitation,
    Membership,
    Organization,
    User,
)


def brand_list(*, organization: Organization) -> QuerySet[Brand]:
    return Brand.objects.filter(organization=organization).prefetch_related(
        Prefetch("handles", queryset=BrandHandle.objects.order_by("platform"))
    )


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user", "organization")
        .order_by("user__email")
    )


def invitation_list_open(*, organization: Organization) -> QuerySet[Invitation]:
    """Invitations not yet accepted or revoked, the expired ones included (shown as such)."""
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def invitation_list_for_email(*, email: str) -> list[Invitation]:
    """Usable invitations addressed to `email`, across organisations: shown to that person,
    who is not a member of them yet (so no organisation's scope applies)."""
    with scopes_disabled():
        return list(
            Invitation.objects.filter(
                email__iexact=email,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            ).select_related("organization", "invited_by")
        )


def api_token_list(*, membership: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organization=membership.organization, user=membership.user)


def _users_by_email(email: str) -> QuerySet[User]:
    # A user's address is unique in lower case (user_email_unique_ci), and allauth stores its
    # addresses in lower case.
    return User.objects.annotate(email_lower=Lower("email")).filter(email_lower=email.lower())


def user_get_for_email(*, email: str) -> User | None:
    """The account an email address belongs to, or None; not scoped, as addresses are global.

    Only that account may sign in with the address, get a password-reset link at it, or accept
    an invitation sent to it. An address belongs to the account that verified it. One that
    nobody has verified belongs to the account that signed up with it and has never signed in
    (which it cannot do before verifying): nobody can have used that account, and a password
    reset is how the address's owner recovers a sign-up someone else started with it. An
    address added to an account and not yet verified belongs to nobody.
    """
    verified = (
        EmailAddress.objects.filter(email=email.lower(), verified=True)
        .select_related("user")
        .first()
    )
    if verified is not None:
        return verified.user
    return _users_by_email(email).filter(last_login__isnull=True).first()


def email_address_is_taken(*, email: str, except_user: User | None = None) -> bool:
    """Whether an account other than `except_user` holds the address: verified it, or signs in
    with it (`User.email`, which is unique). An address merely added to an account is not
    held: it reserves nothing, so its owner can still sign up with it."""
    verified = EmailAddress.objects.filter(email=email.lower(), verified=True)
    users = _users_by_email(email)
    if except_user is not None:
        verified = verified.exclude(user=except_user)
        users = users.exclude(pk=except_user.pk)
    return verified.exists() or users.exists()
