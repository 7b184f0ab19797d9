"""The base of every organisation-scoped API resource."""

from accounts.models import Capability


class OrganizationScopedMixin:
    """A resource whose rows belong to the requesting member's organisation.

    Rows are looked up by `code` in the member's organisation only, so another organisation's
    row is a 404. Writes need `write_capability`; managers, who only read, get a 403.
    """

    lookup_field = "code"
    write_capability = Capability.EDIT_WORKFLOW

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no member
            return super().get_queryset().none()
        return super().get_queryset().filter(organization=self.request.membership.organization)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["membership"] = getattr(self.request, "membership", None)
        return context
