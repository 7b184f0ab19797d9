from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accounts import services
from accounts.api.errors import raise_as_api_error
from accounts.api.serializers import BrandSerializer, MembershipSerializer, OrganizationSerializer
from accounts.api.viewsets import OrganizationScopedMixin
from accounts.models import Brand, Capability, Membership, Organization
from accounts.tenancy import memberships_for_user


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The organisations the caller belongs to (with a token: only the token's)."""

    serializer_class = OrganizationSerializer
    lookup_field = "code"
    write_capability = Capability.ADMINISTER

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        if getattr(self.request.auth, "membership", None):
            return Organization.objects.filter(pk=self.request.membership.organization_id)
        return Organization.objects.filter(
            pk__in=Membership.objects.filter(user=self.request.user).values("organization")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["roles"] = {
                m.organization_id: m.role for m in memberships_for_user(self.request.user)
            }
        return context

    def get_object(self):
        organization = super().get_object()
        # Writing needs the owner role in *that* organisation, not only in the current one.
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            membership = Membership.objects.get(organization=organization, user=self.request.user)
            if not membership.can(self.write_capability):
                self.permission_denied(self.request, message="Only owners may change this.")
        return organization


class BrandViewSet(OrganizationScopedMixin, viewsets.ModelViewSet):
    """The organisation's brands, with their hashtags and one handle per platform."""

    serializer_class = BrandSerializer

    def base_queryset(self):
        return Brand.objects.prefetch_related("handles")

    def perform_destroy(self, brand):
        try:
            services.brand_delete(brand=brand)
        except DjangoValidationError as error:
            raise_as_api_error(error)


class MembershipViewSet(
    OrganizationScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members and their roles; owners change roles and remove members.

    People join by invitation, so there is no create.
    """

    serializer_class = MembershipSerializer

    def base_queryset(self):
        return Membership.objects.select_related("user")

    write_capability = Capability.ADMINISTER

    def perform_destroy(self, membership):
        try:
            services.membership_remove(membership=membership)
        except DjangoValidationError as error:
            raise_as_api_error(error)


class NotFoundView(APIView):
    """Any path under /api/ that no resource answers: a 404 in the API's error shape."""

    authentication_classes = []
    permission_classes = [AllowAny]
    schema = None

    def initial(self, request, *args, **kwargs):
        raise NotFound("No API resource has this address.")
