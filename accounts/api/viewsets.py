"""The base of every organisation-scoped API resource, and its filters by code."""

from contextlib import ExitStack

from django.db import transaction
from django.db.models import QuerySet
from django_scopes import scope, scopes_disabled
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS

from accounts.api.fields import UUID_RE
from accounts.models import Capability


class OrganizationScopedMixin:
    """A resource whose rows belong to the requesting member's organisation.

    Rows are looked up by `code` in the member's organisation only, so another organisation's
    row is a 404. Writes need `write_capability`; managers, who only read, get a 403.
    """

    lookup_field = "code"
    write_capability = Capability.EDIT_WORKFLOW
    writing = False  # true for the length of a write's transaction

    def base_queryset(self) -> QuerySet:
        """The resource's rows, with their joins and order; the organisation is added here.

        A method, not DRF's class-level `queryset`: that would be made when the module is
        imported, outside any scope, where the scoped manager refuses to build a query.
        """
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            with scopes_disabled():  # it needs the model only, never a row
                return self.base_queryset().none()
        return self.base_queryset().filter(organization=self.request.membership.organization)

    def get_object(self):
        if self.writing:
            # A write holds its row until it commits: a delete at the same moment waits, or
            # came first and the write answers 404; it never saves a row back from deletion.
            # The row alone is locked, by a query of its own: the resource's queryset may
            # aggregate (vote counts), and FOR UPDATE cannot.
            rows = self.get_queryset().model._default_manager.filter(
                organization=self.request.membership.organization
            )
            value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            get_object_or_404(rows.select_for_update(), **{self.lookup_field: value})
        return super().get_object()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Authenticated, and the permission found the membership: the rest of the request
        # runs in its organisation's scope, until `dispatch` returns.
        self.scopes.enter_context(scope(organization=request.membership.organization))

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self.scopes:
            return self._dispatch(request, *args, **kwargs)

    def _dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            self.writing = True
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                # The error handler answered instead of raising: undo what the write did.
                transaction.set_rollback(True)
            return response

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["membership"] = getattr(self.request, "membership", None)
        return context


def code_filter_parameter(name: str) -> OpenApiParameter:
    """The `?<name>=<code>` filter of a list, as the schema declares it."""
    return OpenApiParameter(
        name, OpenApiTypes.UUID, description=f"The code of a {name}: only its rows."
    )


def filter_by_code(queryset, request, name: str, lookup: str):
    """Rows of `queryset` whose `lookup` is the code given as `?<name>=`, if one is given."""
    codes = request.query_params.getlist(name)
    if not codes:
        return queryset
    if len(codes) > 1 or not UUID_RE.fullmatch(codes[0]):
        raise ValidationError({name: [f"Give one {name} code."]})
    return queryset.filter(**{lookup: codes[0]})
