"""API permissions: members only; a write needs the view's `write_capability`."""

from rest_framework import permissions

from accounts.models import Capability, Membership
from accounts.tenancy import current_membership


def api_membership(request) -> Membership | None:
    """The membership an API request acts through: the token's, else the session's."""
    token_membership = getattr(request.auth, "membership", None)
    if token_membership is not None:
        return token_membership
    return current_membership(request)


class IsOrganisationMember(permissions.BasePermission):
    message = "You are not a member of an organisation, or your role does not allow this."

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        membership = api_membership(request)
        if membership is None:
            return False
        request.membership = membership
        if request.method in permissions.SAFE_METHODS:
            return True
        capability = getattr(view, "write_capability", Capability.EDIT_WORKFLOW)
        return membership.can(capability)
