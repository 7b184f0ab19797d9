from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from accounts import services
from accounts.models import Brand, Membership, Organization, Platform, Role


def raise_as_api_error(error: DjangoValidationError):
    """Re-raise a service's validation error in DRF's shape, field by field."""
    if hasattr(error, "error_dict"):
        raise ValidationError({field: msgs for field, msgs in error.message_dict.items()})
    raise ValidationError({"non_field_errors": error.messages})


class ServiceModelSerializer(serializers.ModelSerializer):
    """A serializer whose writes go through a service, never through `Model.save()`.

    Subclasses implement `save_through_service(instance, validated_data)` (instance is None
    on create); the service's validation errors come back as 400s, field by field.
    """

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


class HandlesField(serializers.DictField):
    """A brand's handles as {platform: handle}, read from and written to BrandHandle rows."""

    child = serializers.CharField(max_length=100, allow_blank=True)

    def to_representation(self, handles):
        return {handle.platform: handle.handle for handle in handles.all()}


class BrandSerializer(ServiceModelSerializer):
    hashtags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    handles = HandlesField(
        required=False,
        help_text="Handle per platform (instagram, tiktok, youtube, other), without the @.",
    )

    class Meta:
        model = Brand
        fields = ["code", "name", "website", "hashtags", "handles", "created_at"]
        read_only_fields = ["code", "created_at"]

    def validate_handles(self, handles):
        unknown = sorted(set(handles) - set(Platform.values))
        if unknown:
            raise ValidationError(f"Unknown platform(s): {', '.join(unknown)}.")
        return handles

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
