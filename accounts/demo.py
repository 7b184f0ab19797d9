"""The demo workspace: one organisation with a brand and one user per role.

Later parts of the product add their own demo data on top of what this creates.
"""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts import services
from accounts.models import Brand, Membership, Organization, Role, User

DEMO_ORGANIZATION_SLUG = "demo-glow-co"
DEMO_PASSWORD = "demo-glow-2026"
DEMO_USERS = {
    Role.OWNER: "owner@demo.example",
    Role.MARKETER: "marketer@demo.example",
    Role.MANAGER: "manager@demo.example",
}


def _demo_user(email: str) -> User:
    user, created = User.objects.get_or_create(email=email)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    # allauth requires a verified address before anyone signs in.
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def demo_workspace_ensure() -> tuple[Organization, bool]:
    """Create the demo workspace unless it exists; returns it and whether it was created."""
    organization = Organization.objects.filter(slug=DEMO_ORGANIZATION_SLUG).first()
    if organization is not None:
        return organization, False
    organization = services.organization_create(
        name="Glow & Co (demo)", slug=DEMO_ORGANIZATION_SLUG
    )
    for role, email in DEMO_USERS.items():
        Membership.objects.create(organization=organization, user=_demo_user(email), role=role)
    if not Brand.objects.filter(organization=organization).exists():
        services.brand_save(
            organization=organization,
            name="Glow & Co",
            website="https://glow.example",
            hashtags=["glowco", "scrubup"],
            handles={"instagram": "glowco", "tiktok": "glowco"},
        )
    return organization, True
