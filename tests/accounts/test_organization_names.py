"""An organisation's name is a name: it reaches invitees in emails the product sends, so it may
not carry a web or email address, a line break or a control character."""

import pytest
from django.urls import reverse

from accounts.models import Organization
from tests.api import api_errors

REFUSED = [
    ("Acme https://evil.example", "“https://evil.example” looks like a web address"),
    ("Reset your password at evil.example", "“evil.example” looks like a web address"),
    ("Write to help@evil.example", "“help@evil.example” looks like an email address"),
    ("Acme\nReset your password", "Names cannot contain line breaks or control characters."),
    ("Acme\u202eexample", "Names cannot contain line breaks or control characters."),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, error", REFUSED)
def test_a_new_organisation_with_an_address_in_its_name_is_refused(client, team, name, error):
    client.force_login(team.owner.user)

    response = client.post(reverse("accounts-onboarding"), {"name": name})

    assert response.status_code == 200
    assert error in response.context["form"].errors["name"][0]
    assert not Organization.objects.filter(name=name).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name, error", REFUSED)
def test_renaming_an_organisation_to_a_name_with_an_address_is_refused(
    owner_client, team, name, error
):
    response = owner_client.post(reverse("accounts-settings"), {"name": name})

    assert error in response.context["form"].errors["name"][0]
    team.organization.refresh_from_db()
    assert team.organization.name == "Glow Test Org"


@pytest.mark.django_db
@pytest.mark.parametrize("name, error", REFUSED)
def test_the_api_refuses_a_name_with_an_address_with_a_422(owner_client, team, name, error):
    response = owner_client.patch(
        f"/api/v1/organisations/{team.organization.code}/",
        {"name": name},
        content_type="application/json",
    )

    # Well-formed text, refused by a rule the schema cannot say.
    assert response.status_code == 422
    assert error in api_errors(response)["name"][0]
    team.organization.refresh_from_db()
    assert team.organization.name == "Glow Test Org"


@pytest.mark.django_db
def test_dots_and_accents_pass_and_only_what_looks_like_an_address_is_refused(owner_client):
    for name in ["Glow & Co.", "St. Ives Beauty", "No.7 Agency", "Café Olé", "Acme @acme_uk"]:
        response = owner_client.post(reverse("accounts-settings"), {"name": name}, follow=True)
        assert "Organisation renamed." in response.content.decode(), name
    response = owner_client.post(reverse("accounts-settings"), {"name": "Acme acme.example"})
    assert "looks like a web address" in response.context["form"].errors["name"][0]
