"""The REST API, version 1: every app registers its resources here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api.views import BrandViewSet, MembershipViewSet, OrganizationViewSet

router = DefaultRouter()
router.register("organisations", OrganizationViewSet, basename="organisation")
router.register("brands", BrandViewSet, basename="brand")
router.register("memberships", MembershipViewSet, basename="membership")

urlpatterns = [path("", include(router.urls))]
