"""factory_boy factories for the rows tests need."""

import secrets

import factory
from allauth.account.models import EmailAddress

from accounts.models import ApiToken, Brand, Invitation, Membership, Organization, Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        user.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the one action that creates organisations, so tests see their defaults.
        from accounts.services import organization_create

        return organization_create(**kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MARKETER


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")
    hashtags = factory.LazyFunction(lambda: ["brandtag"])


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.MARKETER
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    name = "script"
    prefix = "mc_test"
    digest = factory.LazyFunction(lambda: secrets.token_hex(32))


class InfluencerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "influencers.Influencer"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Creator {n}")


def make_account(influencer, *, source="manual", **fields):
    """An account saved through the service, so rate, tier and ratio are derived as in use."""
    from influencers.services import social_account_save

    fields.setdefault("platform", "instagram")
    fields.setdefault("handle", f"handle{influencer.pk}_{fields['platform']}")
    fields.setdefault("engagement_formula", "followers")
    return social_account_save(influencer=influencer, source=source, **fields)
