from accounts.tenancy import current_membership, memberships_for_user


def organisation(request):
    """The organisation switcher's data, for the base layout."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_membership": current_membership(request),
        "all_memberships": memberships_for_user(request.user),
    }
