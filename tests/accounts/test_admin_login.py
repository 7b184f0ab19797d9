"""The admin has no sign-in of its own: staff sign in through the product, with its limits."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_thirty_wrong_admin_passwords_then_the_right_one_do_not_sign_in(client, staff):
    for _ in range(30):
        client.post("/admin/login/", {"username": staff.email, "password": "wrong"})
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    # The admin's form is not there to guess at: it sends people to the product's sign-in,
    # which locks the address after a few wrong passwords.
    login_url = response["Location"]
    assert login_url.startswith(reverse("account_login"))
    for _ in range(30):
        client.post(login_url, {"login": staff.email, "password": "wrong"})
    response = client.post(login_url, {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_admin_sends_staff_to_the_product_sign_in_and_back(client, staff):
    response = client.get("/admin/", follow=True)
    login_url = response.redirect_chain[-1][0]
    assert login_url == reverse("account_login") + "?next=%2Fadmin%2F"

    response = client.post(login_url, {"login": staff.email, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Site administration" in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_member_who_is_not_staff_gets_no_admin(team):
    response = team.client_for(team.owner).get("/admin/", follow=True)

    assert response.status_code == 403
    assert "Site administration" not in response.content.decode()
