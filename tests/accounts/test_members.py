import pytest
from django.urls import reverse

from accounts.models import ApiToken, Membership, Role
from tests.factories import ApiTokenFactory


@pytest.mark.django_db
def test_an_owner_changes_a_members_role(owner_client, team):
    response = owner_client.post(
        reverse("accounts-member-role", args=[team.marketer.code]),
        {"role": Role.MANAGER},
        follow=True,
    )
    assert f"{team.marketer.user.email} is now a manager." in response.content.decode()
    team.marketer.refresh_from_db()
    assert team.marketer.role == Role.MANAGER


@pytest.mark.django_db
def test_the_only_owner_cannot_step_down_or_be_removed(owner_client, team):
    response = owner_client.post(
        reverse("accounts-member-role", args=[team.owner.code]),
        {"role": Role.MARKETER},
        follow=True,
    )
    assert "This is the only owner. Make someone else an owner first." in response.content.decode()
    response = owner_client.post(
        reverse("accounts-member-remove", args=[team.owner.code]), follow=True
    )
    assert "This is the only owner and cannot be removed." in response.content.decode()
    team.owner.refresh_from_db()
    assert team.owner.role == Role.OWNER


@pytest.mark.django_db
def test_a_second_owner_lets_the_first_step_down(owner_client, team):
    owner_client.post(
        reverse("accounts-member-role", args=[team.marketer.code]), {"role": Role.OWNER}
    )
    owner_client.post(
        reverse("accounts-member-role", args=[team.owner.code]), {"role": Role.MANAGER}
    )
    team.owner.refresh_from_db()
    assert team.owner.role == Role.MANAGER


@pytest.mark.django_db
def test_an_unknown_role_is_refused(owner_client, team):
    response = owner_client.post(
        reverse("accounts-member-role", args=[team.marketer.code]), {"role": "admin"}, follow=True
    )
    assert "Choose owner, marketer or manager." in response.content.decode()
    team.marketer.refresh_from_db()
    assert team.marketer.role == Role.MARKETER


@pytest.mark.django_db
def test_a_removed_member_loses_access_and_their_tokens(owner_client, team):
    ApiTokenFactory(organization=team.organization, user=team.marketer.user)
    remove = reverse("accounts-member-remove", args=[team.marketer.code])
    page = owner_client.get(remove).content.decode()  # asks first, naming what goes too
    assert f"Remove {team.marketer.user.email} from this organisation?" in page
    assert "1 API token" in page and Membership.objects.filter(pk=team.marketer.pk).exists()
    response = owner_client.post(remove, follow=True)
    assert "no longer belongs to this organisation" in response.content.decode()
    assert not Membership.objects.filter(pk=team.marketer.pk).exists()
    assert not ApiToken.objects.filter(user=team.marketer.user).exists()
    client = team.client_for(team.marketer)
    assert client.get(reverse("home"))["Location"] == reverse("accounts-onboarding")


@pytest.mark.django_db
def test_a_marketer_cannot_manage_members(marketer_client, team):
    response = marketer_client.post(
        reverse("accounts-member-role", args=[team.manager.code]), {"role": Role.OWNER}
    )
    assert response.status_code == 403
    response = marketer_client.post(
        reverse("accounts-members"), {"email": "x@example.com", "role": Role.OWNER}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_members_page_lists_everyone_and_shows_role_controls_to_owners_only(
    owner_client, manager_client, team
):
    page = owner_client.get(reverse("accounts-members")).content.decode()
    for membership in (team.owner, team.marketer, team.manager):
        assert membership.user.email in page
    assert team.outsider.user.email not in page
    assert "Send invitation" in page
    page = manager_client.get(reverse("accounts-members")).content.decode()
    assert team.marketer.user.email in page
    assert "Send invitation" not in page and "Remove" not in page
