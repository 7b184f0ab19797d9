import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, Organization, Role
from tests.concurrency import while_another_waits
from tests.factories import InvitationFactory, UserFactory


def _invite(client, email="bob@example.com", role=Role.MARKETER):
    return client.post(reverse("accounts-members"), {"email": email, "role": role}, follow=True)


def _link(message):
    return re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_an_owner_invites_by_email_and_the_link_lets_that_person_join(
    owner_client, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(owner_client)
    assert "Invitation sent to bob@example.com." in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.com"]
    assert "Glow Test Org" in message.subject
    link = _link(message)

    bob = UserFactory(email="bob@example.com")
    bob_client = team.client_for(bob)
    path = urlsplit(link).path
    assert "Join Glow Test Org" in bob_client.get(path).content.decode()
    response = bob_client.post(path, follow=True)
    assert "Welcome to Glow Test Org." in response.content.decode()
    assert Membership.objects.get(user=bob, organization=team.organization).role == Role.MARKETER


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("site_url", "host", "expected"),
    [
        ("", "127.0.0.1:8101", "http://127.0.0.1:8101/invitations/"),  # where the owner was
        ("https://campaigns.example.com", "10.0.0.5:8000", "https://campaigns.example.com/"),
    ],
)
def test_the_invitation_link_uses_site_url_or_else_the_address_the_owner_used(
    owner_client, settings, django_capture_on_commit_callbacks, site_url, host, expected
):
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = ["*"]
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("accounts-members"),
            {"email": "bob@example.com", "role": Role.MARKETER},
            HTTP_HOST=host,
        )
    [message] = mail.outbox
    assert re.search(r"https?://\S+/invitations/\S+/", message.body).group(0).startswith(expected)


@pytest.mark.django_db
def test_an_invitation_works_once(team):
    invitation = InvitationFactory(organization=team.organization, email="bob@example.com")
    bob = UserFactory(email="bob@example.com")
    services.invitation_accept(token=invitation.token, user=bob)
    with pytest.raises(services.InvitationError, match="already been used"):
        services.invitation_accept(token=invitation.token, user=bob)


@pytest.mark.django_db
def test_an_expired_invitation_is_refused_with_a_reason(team):
    invitation = InvitationFactory(
        organization=team.organization,
        email="bob@example.com",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    with pytest.raises(services.InvitationError, match="expired"):
        services.invitation_accept(
            token=invitation.token, user=UserFactory(email="bob@example.com")
        )
    assert not Membership.objects.filter(user__email="bob@example.com").exists()


@pytest.mark.django_db
def test_an_invitation_is_only_for_its_address(team):
    invitation = InvitationFactory(organization=team.organization, email="bob@example.com")
    mallory = UserFactory(email="mallory@example.com")
    client = team.client_for(mallory)
    path = reverse("accounts-invitation", args=[invitation.token])
    assert "this invitation is for bob@example.com" in client.get(path).content.decode()
    response = client.post(path, follow=True)
    assert "This invitation is for bob@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=mallory).exists()


@pytest.mark.django_db
def test_a_revoked_invitation_link_stops_working(owner_client, team):
    invitation = InvitationFactory(organization=team.organization, email="bob@example.com")
    owner_client.post(reverse("accounts-invitation-revoke", args=[invitation.code]))
    with pytest.raises(services.InvitationError, match="not valid"):
        services.invitation_accept(
            token=invitation.token, user=UserFactory(email="bob@example.com")
        )


@pytest.mark.django_db
def test_inviting_again_replaces_the_earlier_link(owner_client, team):
    _invite(owner_client)
    _invite(owner_client, role=Role.MANAGER)
    first, second = Invitation.objects.order_by("created_at")
    assert first.revoked_at is not None and second.revoked_at is None
    assert second.role == Role.MANAGER


@pytest.mark.django_db
def test_inviting_a_member_or_a_bad_address_is_refused_at_the_field(owner_client, team):
    response = _invite(owner_client, email=team.marketer.user.email)
    assert "This person is already a member." in response.content.decode()
    response = _invite(owner_client, email="not-an-address")
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_anonymous_visitor_is_told_how_to_accept(client, team):
    invitation = InvitationFactory(organization=team.organization, email="bob@example.com")
    page = client.get(reverse("accounts-invitation", args=[invitation.token])).content.decode()
    assert "create an account" in page and "bob@example.com" in page


@pytest.mark.django_db
def test_sending_an_invitation_twice_sends_one_email(team):
    invitation = InvitationFactory(organization=team.organization)
    assert services.invitation_send(invitation_id=invitation.id) is True
    assert services.invitation_send(invitation_id=invitation.id) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sending_a_deleted_or_revoked_invitation_is_a_quiet_no_op(team):
    invitation = InvitationFactory(organization=team.organization, revoked_at=timezone.now())
    assert services.invitation_send(invitation_id=invitation.id) is False
    assert services.invitation_send(invitation_id=invitation.id + 1000) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_stale_invitations_are_purged_and_open_ones_kept(team):
    old = timezone.now() - timedelta(days=40)
    InvitationFactory(organization=team.organization, accepted_at=old)
    InvitationFactory(organization=team.organization, expires_at=old)
    kept = InvitationFactory(organization=team.organization)
    assert services.invitations_purge_stale_all_organisations() == 2
    assert list(Invitation.objects.all()) == [kept]


@pytest.mark.django_db
def test_an_organisation_sends_a_limited_number_of_invitations_a_day(owner_client, team, settings):
    settings.INVITATIONS_PER_DAY = 3
    for number in range(3):
        _invite(owner_client, email=f"person{number}@example.com")

    response = _invite(owner_client, email="one-too-many@example.com")

    assert response.context["form"].errors["email"] == [
        "This organisation has sent 3 invitations in the last 24 hours, the most it may. "
        "Try again tomorrow."
    ]
    assert not Invitation.objects.filter(email="one-too-many@example.com").exists()
    # A day later the organisation may invite again.
    Invitation.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))
    _invite(owner_client, email="one-too-many@example.com")
    assert Invitation.objects.filter(email="one-too-many@example.com").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["Acme https://evil.example", "Reset your password at evil.example", "Acme\nReset password"],
)
def test_an_invitation_quotes_the_organisation_name_and_never_makes_it_a_link(team, name):
    # A name stored before names with addresses or line breaks were refused.
    Organization.objects.filter(pk=team.organization.pk).update(name=name)
    invitation = InvitationFactory(
        organization=team.organization, email="bob@example.com", invited_by=team.owner.user
    )

    services.invitation_send(invitation_id=invitation.id)

    [message] = mail.outbox
    [(html, _)] = message.alternatives
    for text in (message.subject, message.body, html):
        assert "evil.example" not in text
    assert "invited you to “" in message.subject
    assert re.search(r"invited you to join “[^”\n]+” on Microcampaigns", message.body)
    # The one link is the invitation's.
    assert re.findall(r"<a [^>]*>", html) == [f'<a href="{services.invitation_link(invitation)}">']
    assert not any(line.startswith("Reset") for line in message.body.splitlines())


@pytest.mark.django_db(transaction=True)
def test_an_invitation_clicked_twice_at_the_same_moment_makes_one_membership(team):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions, which SQLite serialises")
    invitee = UserFactory(email="both@example.com")
    invitation = InvitationFactory(organization=team.organization, email=invitee.email)
    first = while_another_waits(
        lambda: services.invitation_accept(token=invitation.token, user=invitee)
    )
    with pytest.raises(services.InvitationError, match="already been used"):
        services.invitation_accept(token=invitation.token, user=invitee)
    first.join()
    assert Membership.objects.filter(user=invitee, organization=team.organization).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
