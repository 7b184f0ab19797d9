"""Reads of accounts data, each scoped to one organisation."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import ApiToken, Brand, BrandHandle, Invitation, Membership, Organization


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


def invitation_list_for_email(*, email: str) -> QuerySet[Invitation]:
    """Usable invitations addressed to `email`, across organisations: shown to that person."""
    return Invitation.objects.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("organization", "invited_by")


def api_token_list(*, membership: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organization=membership.organization, user=membership.user)
