"""Which organisation a request acts in, and the only way views load organisation rows.

A request acts in one organisation: the one chosen in the switcher (kept in the session), or
the user's first. Views load objects with `get_for_member`, which answers 404 for another
organisation's object, exactly as for a missing one, and 403 when the member's role does not
allow what the view is about to do.
"""

from functools import wraps
from typing import TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404, redirect

from accounts.models import Capability, Membership, Organization

SESSION_KEY = "organization_code"
M = TypeVar("M", bound=Model)


def memberships_for_user(user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )


def current_membership(request) -> Membership | None:
    """The membership the request acts through, cached on the request."""
    if not hasattr(request, "_membership"):
        request._membership = _resolve_membership(request)
    return request._membership


def _resolve_membership(request) -> Membership | None:
    if not request.user.is_authenticated:
        return None
    memberships = memberships_for_user(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        membership = memberships.filter(organization__code=chosen).first()
        if membership:
            return membership
    return memberships.first()


def switch_organization(request, organization: Organization) -> Membership:
    """Make `organization` the one the session acts in; 404 unless the user is a member."""
    membership = get_object_or_404(memberships_for_user(request.user), organization=organization)
    request.session[SESSION_KEY] = str(organization.code)
    request._membership = membership
    return membership


def member_required(view):
    """Require a signed-in member; sets `request.membership`.

    Signed-in users without an organisation are sent to create or join one.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = current_membership(request)
        if membership is None:
            return redirect("accounts-onboarding")
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapper


def require(membership: Membership, capability: Capability) -> None:
    """403 unless the member's role grants `capability`."""
    if not membership.can(capability):
        raise PermissionDenied(f"Your role does not allow you to {capability.label}.")


def get_for_member(
    queryset: QuerySet[M] | type[M],
    membership: Membership,
    *,
    capability: Capability = Capability.READ,
    **lookup,
) -> M:
    """Load one row of the member's organisation.

    404 when it is missing or belongs to another organisation (the same answer, so ids never
    leak), then 403 when the member's role lacks `capability`.
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    obj = get_object_or_404(queryset, organization=membership.organization, **lookup)
    require(membership, capability)
    return obj
