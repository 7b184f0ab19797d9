"""Pages cost the same number of queries with one row or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from tests.factories import InvitationFactory, MembershipFactory


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_brands_page_does_not_grow_with_brands(owner_client, team):
    url = reverse("accounts-brands")
    services.brand_save(organization=team.organization, name="B0", handles={"instagram": "b0"})
    with_one = _queries(owner_client, url)
    for number in range(1, 40):
        services.brand_save(
            organization=team.organization, name=f"B{number}", handles={"tiktok": f"b{number}"}
        )
    assert _queries(owner_client, url) == with_one


@pytest.mark.django_db
def test_the_members_page_does_not_grow_with_members_or_invitations(owner_client, team):
    url = reverse("accounts-members")
    InvitationFactory(organization=team.organization)
    with_few = _queries(owner_client, url)
    for _ in range(30):
        MembershipFactory(organization=team.organization)
        InvitationFactory(organization=team.organization)
    assert _queries(owner_client, url) == with_few
