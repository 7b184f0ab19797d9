"""An address counts only once its owner has confirmed it.

An address someone adds to their account reserves nothing, signs nobody in and receives no
password-reset link until it is verified; once verified it replaces the account's old address.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from tests.factories import PASSWORD, InvitationFactory, UserFactory

BOB = "bob@example.com"
BOBS_PASSWORD = "Violet-Orchard-Lantern-4821"


def _add_address(client, email):
    return client.post(reverse("account_email"), {"action_add": "", "email": email}, follow=True)


def _sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": BOBS_PASSWORD, "password2": BOBS_PASSWORD},
    )


def _sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _mail_to(email):
    return [message for message in mail.outbox if email in message.to]


def _link(message, pattern):
    links = [link for link in re.findall(r"https?://\S+", message.body) if re.search(pattern, link)]
    assert len(links) == 1, message.body
    return urlsplit(links[0]).path


def _verification_link(message):
    return _link(message, r"/accounts/confirm-email/")


@pytest.fixture
def mallory(team, client_for):
    """A signed-in member of another organisation who added Bob's address to her account a while
    ago: the verification email went to Bob, who ignored it, and its cooldown has passed."""
    client = client_for(team.outsider)
    _add_address(client, BOB)
    mail.outbox.clear()
    cache.clear()
    return client


@pytest.mark.django_db
def test_an_address_added_elsewhere_does_not_stop_its_owner_signing_up(client, team, mallory):
    _sign_up(client, BOB)

    [message] = _mail_to(BOB)
    response = client.post(_verification_link(message), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts-onboarding")
    bob = User.objects.get(email=BOB)
    assert client.session["_auth_user_id"] == str(bob.pk)
    # Mallory's unconfirmed claim on the address is gone.
    page = mallory.get(reverse("account_email")).content.decode()
    assert BOB not in page
    assert team.outsider.user.emailaddress_set.filter(email=BOB).count() == 0


@pytest.mark.django_db
def test_the_owner_of_an_address_added_elsewhere_accepts_an_invitation_to_it(client, team, mallory):
    invitation = InvitationFactory(organization=team.organization, email=BOB)
    invitation_path = reverse("accounts-invitation", args=[invitation.token])
    client.get(invitation_path)
    _sign_up(client, BOB)
    [message] = _mail_to(BOB)
    client.post(_verification_link(message))

    response = client.post(invitation_path, follow=True)
    assert "Welcome to Glow Test Org." in response.content.decode()
    assert Membership.objects.filter(organization=team.organization, user__email=BOB).exists()


@pytest.mark.django_db
def test_a_password_reset_for_an_address_added_but_not_verified_sends_no_link(
    client, team, mallory
):
    client.post(reverse("account_reset_password"), {"email": BOB})

    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)
    assert _sign_in(client, team.outsider.user.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_password_reset_skips_an_address_that_was_used_without_being_verified(client):
    # An account whose address was never verified, yet which has been signed in to (through
    # the admin's own form, before the admin used the product's sign-in): whoever reads that
    # address did not necessarily create the account, and gets no way into it.
    UserFactory(email="admin@example.com", verified=False, last_login=timezone.now())

    client.post(reverse("account_reset_password"), {"email": "admin@example.com"})

    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_an_address_added_but_not_verified_does_not_sign_in(client, mallory):
    response = _sign_in(client, BOB, PASSWORD)

    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_verified_address_replaces_the_old_one_which_is_told(client, team, client_for):
    marketer = team.marketer.user
    old = marketer.email
    member = client_for(marketer)
    response = _add_address(member, "new@example.com")
    assert "pending verification" in response.content.decode()
    [message] = _mail_to("new@example.com")
    marketer.refresh_from_db()
    assert marketer.email == old

    client.post(_verification_link(message))

    marketer.refresh_from_db()
    assert marketer.email == "new@example.com"
    assert _sign_in(client, "new@example.com", PASSWORD).status_code == 302
    client.logout()
    _sign_in(client, old, PASSWORD)
    assert "_auth_user_id" not in client.session
    [notice] = _mail_to(old)
    assert "new@example.com" in notice.body


@pytest.mark.django_db
def test_an_address_another_account_signed_up_with_cannot_be_confirmed_for_yours(
    client, team, client_for
):
    UserFactory(email=BOB, verified=False)  # Bob signed up and has not confirmed yet.
    _add_address(client_for(team.outsider), BOB)
    [message] = _mail_to(BOB)

    response = client.post(_verification_link(message), follow=True)

    assert response.status_code == 200
    assert f"{BOB} belongs to another account" in response.content.decode()
    mallory_user = team.outsider.user
    mallory_user.refresh_from_db()
    assert mallory_user.email != BOB
    assert not mallory_user.emailaddress_set.filter(email=BOB, verified=True).exists()
