import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


def _signup(client, email="new@example.com"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": "a-Strong-pass-42", "password2": "a-Strong-pass-42"},
    )


def _verification_link(message):
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_a_new_user_verifies_their_email_then_creates_an_organisation(client):
    _signup(client)
    assert len(mail.outbox) == 1
    # Mandatory verification: not signed in yet.
    assert client.get(reverse("home")).status_code == 302

    link = _verification_link(mail.outbox[0])
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts-onboarding")
    assert "Create an organisation" in response.content.decode()

    response = client.post(reverse("accounts-onboarding"), {"name": "Glow & Co"}, follow=True)
    assert "Glow &amp; Co is ready" in response.content.decode()
    membership = Membership.objects.get(user__email="new@example.com")
    assert membership.role == Role.OWNER
    assert membership.organization.slug == "glow-co"


@pytest.mark.django_db
def test_an_organisation_needs_a_name(client, team):
    client.force_login(team.owner.user)
    response = client.post(reverse("accounts-onboarding"), {"name": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Membership.objects.filter(user=team.owner.user).count() == 1


@pytest.mark.django_db
def test_signing_up_with_a_taken_address_does_not_reveal_it(client, team):
    response = _signup(client, email=team.owner.user.email)
    # Enumeration prevention: the same "check your email" page as for a new address.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


@pytest.mark.django_db
def test_a_user_without_an_organisation_is_sent_to_onboarding(client):
    client.force_login(UserFactory())
    response = client.get(reverse("campaigns-index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts-onboarding")


@pytest.mark.django_db
def test_a_member_of_two_organisations_switches_between_them(team):
    second = MembershipFactory(
        user=team.marketer.user,
        organization=OrganizationFactory(name="Second Org"),
        role=Role.MANAGER,
    )
    client = team.client_for(team.marketer)
    assert "Glow Test Org" in client.get(reverse("home")).content.decode()

    response = client.post(
        reverse("accounts-switch"), {"organization": second.organization.code}, follow=True
    )
    page = response.content.decode()
    assert "You are now working in Second Org as manager." in page
    assert "<h1>Second Org</h1>" in page


@pytest.mark.django_db
def test_switching_to_an_organisation_you_do_not_belong_to_is_404(team):
    client = team.client_for(team.marketer)
    response = client.post(
        reverse("accounts-switch"), {"organization": team.outsider.organization.code}
    )
    assert response.status_code == 404
    assert "Glow Test Org" in client.get(reverse("home")).content.decode()
