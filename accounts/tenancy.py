"""Which organisation a request acts in, and the only way views load organisation rows.

A request acts in one organisation: the one chosen in the switcher (kept in the session), or
the user's first. Views load objects with `get_for_member`, which answers 404 for another
organisation's object, exactly as for a missing one, and 403 when the member's role does not
allow what the view is about to do.

Tenancy fails closed (django-scopes): every request starts outside any organisation's scope
(`TenancyScopeMiddleware`), where a query on an organisation-owned model raises `ScopeError`.
`member_required` runs the view inside its membership's organisation's scope, where such
queries see that organisation's rows only; the API does the same once DRF has authenticated
(`accounts.api.viewsets.OrganizationScopedMixin`) and tasks once they start
(`accounts.tasks.OrganizationTask`). Code that must see several organisations says so with
`scopes_disabled()`: grep for it.
"""

from dataclasses import dataclass
from functools import wraps
from typing import TypeVar

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import F, ForeignKey, ManyToManyField, Model, QuerySet
from django.shortcuts import get_object_or_404, redirect
from django_scopes import scope

from accounts.models import Capability, Membership, Organization, OrganizationOwned

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
        # Queries on organisation-owned models inside the view see this organisation only.
        with scope(organization=membership.organization):
            return view(request, *args, **kwargs)

    return wrapper


class TenancyScopeMiddleware:
    """Starts every request outside any organisation's scope, so that a query on an
    organisation-owned model that no view has scoped raises instead of answering for every
    organisation, whatever the thread ran before (a test's setup, an earlier request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope():
            return self.get_response(request)


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


def organization_owned_models() -> list[type[OrganizationOwned]]:
    return [model for model in apps.get_models() if issubclass(model, OrganizationOwned)]


def parent_fields(model: type[Model]) -> list[ForeignKey]:
    """The foreign keys of `model` to another organisation-owned model: its parents, whose
    organisation must be its own."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey)
        and field.name != "organization"
        and issubclass(field.related_model, OrganizationOwned)
    ]


def shared_fields(model: type[Model]) -> list[ManyToManyField]:
    """The many-to-many fields of `model` to another organisation-owned model (an
    influencer's niches): every row on the other side must be of the same organisation."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, ManyToManyField) and issubclass(field.related_model, OrganizationOwned)
    ]


@dataclass
class RelationCheck:
    """One relation between organisation-owned models, and its rows that cross organisations."""

    relation: str
    count: int  # rows whose organisation differs from the one of the row they point at
    examples: list[str]  # the first few of them, by code (or pair of codes)


def tenancy_check_all_organisations(*, shown: int = 10) -> list[RelationCheck]:
    """Every relation between organisation-owned models, each with the rows whose
    organisation is not the one of the row they point at (there should be none).

    Found from the models' `_meta`, so a model added later is checked without listing it here.
    Reads every organisation's rows: the caller opts out of scopes.
    """
    checks = []
    for model in organization_owned_models():
        for field in parent_fields(model):
            rows = model.objects.filter(**{f"{field.name}__isnull": False}).exclude(
                organization=F(f"{field.name}__organization")
            )
            checks.append(
                RelationCheck(
                    f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}",
                    rows.count(),
                    [str(code) for code in rows.values_list("code", flat=True)[:shown]],
                )
            )
        for field in shared_fields(model):
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            pairs = through._base_manager.exclude(
                **{f"{source}__organization": F(f"{target}__organization")}
            )
            checks.append(
                RelationCheck(
                    f"{model._meta.label}.{field.name} <-> {field.related_model._meta.label}",
                    pairs.count(),
                    [
                        f"{a} / {b}"
                        for a, b in pairs.values_list(f"{source}__code", f"{target}__code")[:shown]
                    ],
                )
            )
    return checks
