import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import ApiToken, Brand, Role
from tests.api import api_errors
from tests.factories import BrandFactory, MembershipFactory, OrganizationFactory


def _token_client(membership) -> Client:
    _, key = services.api_token_create(membership=membership, name="script")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.mark.django_db
def test_a_member_creates_a_token_that_is_shown_once(marketer_client, team):
    response = marketer_client.post(reverse("accounts-api-tokens"), {"name": "reporting"})
    page = response.content.decode()
    key = re.search(r'<code class="secret">(mc_[\w-]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=team.marketer.user)
    assert token.prefix == key[:10] and key not in token.digest
    page = marketer_client.get(reverse("accounts-api-tokens")).content.decode()
    assert key not in page and token.prefix in page


@pytest.mark.django_db
def test_a_token_acts_in_its_own_organisation_whatever_the_session_says(team):
    other = MembershipFactory(user=team.marketer.user, organization=OrganizationFactory())
    BrandFactory(organization=team.organization, name="Home brand")
    BrandFactory(organization=other.organization, name="Other brand")
    client = _token_client(other)
    client.force_login(team.marketer.user)  # the session's organisation is team.organization
    names = [brand["name"] for brand in client.get("/api/v1/brands/").json()["results"]]
    assert names == ["Other brand"]


@pytest.mark.django_db
def test_a_bad_or_revoked_token_is_401(team):
    assert Client(HTTP_AUTHORIZATION="Token nope").get("/api/v1/brands/").status_code == 401
    client = _token_client(team.marketer)
    services.api_token_revoke(token=ApiToken.objects.get())
    assert client.get("/api/v1/brands/").status_code == 401


@pytest.mark.django_db
def test_a_token_stops_working_when_its_user_leaves(team):
    client = _token_client(team.marketer)
    assert client.get("/api/v1/brands/").status_code == 200
    team.marketer.delete()
    assert client.get("/api/v1/brands/").status_code == 401


@pytest.mark.django_db
def test_a_marketer_creates_a_brand_through_the_api(team):
    client = _token_client(team.marketer)
    response = client.post(
        "/api/v1/brands/",
        {"name": "Glow", "hashtags": ["#Glow"], "handles": {"instagram": "@glow"}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["handles"] == {"instagram": "glow"}
    assert response.json()["hashtags"] == ["glow"]
    assert Brand.objects.get().organization == team.organization


@pytest.mark.django_db
def test_bad_api_input_gets_a_message_per_field_and_saves_nothing(team):
    BrandFactory(organization=team.organization, name="Glow")
    client = _token_client(team.marketer)
    response = client.post(
        "/api/v1/brands/",
        {"name": "New", "handles": {"myspace": "x"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert api_errors(response) == {"handles": ["Unknown platform(s): myspace."]}
    response = client.post("/api/v1/brands/", {"name": "glow"}, content_type="application/json")
    assert response.status_code == 409
    assert api_errors(response) == {"name": ["Another brand in this organisation has this name."]}
    assert Brand.objects.count() == 1


@pytest.mark.django_db
def test_the_api_keeps_the_last_owner(team):
    client = _token_client(team.owner)
    response = client.patch(
        f"/api/v1/memberships/{team.owner.code}/",
        {"role": Role.MANAGER},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "only owner" in api_errors(response)["role"][0]


@pytest.mark.django_db
def test_organisations_list_only_the_callers_with_their_role(team):
    MembershipFactory(
        user=team.manager.user, organization=OrganizationFactory(name="Second"), role=Role.OWNER
    )
    client = Client()
    client.force_login(team.manager.user)
    rows = client.get("/api/v1/organisations/").json()["results"]
    assert sorted((row["name"], row["role"]) for row in rows) == [
        ("Glow Test Org", "manager"),
        ("Second", "owner"),
    ]


@pytest.mark.django_db
def test_the_brand_list_costs_the_same_queries_for_one_or_many_brands(team):
    client = _token_client(team.marketer)
    client.get("/api/v1/brands/")  # the token's last-used time is written once, first

    def queries_for_brand_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/brands/").status_code == 200
        return len(queries)

    services.brand_save(organization=team.organization, name="First", handles={"instagram": "f"})
    with_one = queries_for_brand_list()
    for number in range(30):
        services.brand_save(
            organization=team.organization,
            name=f"Many {number}",
            handles={"instagram": f"i{number}", "tiktok": f"t{number}"},
        )
    # token + membership, count, brands, handles
    assert queries_for_brand_list() == with_one == 5


@pytest.mark.django_db
def test_the_schema_and_docs_are_served_without_outside_resources(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/brands/" in schema and "ApiToken" in schema
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert not re.search(r'(src|href)="https?://', page)
