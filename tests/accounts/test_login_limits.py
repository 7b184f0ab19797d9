import pytest
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_address_even_for_the_right_password(client, team):
    email = team.owner.user.email
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": email, "password": "wrong"})
        assert "not correct" in response.content.decode()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_password_signs_in(client, team):
    response = client.post(
        reverse("account_login"), {"login": team.owner.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(team.owner.user.pk)
