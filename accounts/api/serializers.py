from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from accounts import services
from accounts.api.errors import raise_as_api_error
from accounts.api.fields import HandlesField, WebAddressField, hashtag_list
from accounts.api.strict import StrictTypesMixin
from accounts.models import Brand, Membership, Organization, Role


class ServiceModelSerializer(StrictTypesMixin, serializers.ModelSerializer):
    """A serializer whose writes go through a service, never through `Model.save()`.

    Subclasses implement `save_through_service(instance, validated_data)` (instance is None
    on create); the service's validation errors come back field by field (see api.errors).
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: WebAddressField,
    }

    def save_through_service(self, instance, validated_data):
        raise NotImplementedError

    def create(self, validated_data):
        return self._through_service(None, validated_data)

    def update(self, instance, validated_data):
        return self._through_service(instance, validated_data)

    def _through_service(self, instance, validated_data):
        try:
            return self.save_through_service(instance, validated_data)
        except DjangoValidationError as error:
            raise_as_api_error(error)


class OrganizationSerializer(ServiceModelSerializer):
    """An organisation the caller belongs to, with the caller's role in it."""

    role = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["code", "name", "slug", "role", "created_at"]
        read_only_fields = ["code", "slug", "created_at"]

    def get_role(self, organization) -> str:
        return self.context["roles"].get(organization.pk, "")

    def save_through_service(self, organization, validated_data):
        return services.organization_update(
            organization=organization, name=validated_data.get("name", organization.name)
        )


class BrandSerializer(ServiceModelSerializer):
    """A brand, with its hashtags and one handle per platform."""

    hashtags = hashtag_list(default=list)
    handles = HandlesField(required=False)

    class Meta:
        model = Brand
        fields = ["code", "name", "website", "hashtags", "handles", "created_at"]
        read_only_fields = ["code", "created_at"]

    def save_through_service(self, brand, validated_data):
        return services.brand_save(
            organization=self.context["membership"].organization,
            brand=brand,
            name=validated_data.get("name", brand.name if brand else ""),
            website=validated_data.get("website", brand.website if brand else ""),
            hashtags=validated_data.get("hashtags", brand.hashtags if brand else []),
            handles=validated_data.get("handles"),
        )


class MembershipSerializer(ServiceModelSerializer):
    """A member of the organisation and their role."""

    email = serializers.EmailField(source="user.email", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["code", "email", "role", "created_at"]
        read_only_fields = ["code", "email", "created_at"]

    def save_through_service(self, membership, validated_data):
        return services.membership_change_role(
            membership=membership, role=validated_data.get("role", membership.role)
        )
