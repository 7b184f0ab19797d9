import re

import pytest
from django.core import mail
from django.urls import reverse


@pytest.mark.django_db
def test_a_member_resets_a_forgotten_password(client, team):
    email = team.owner.user.email
    response = client.post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"password1": "a-New-pass-4242", "password2": "a-New-pass-4242"},
    )
    assert response.status_code == 302
    assert client.login(username=email, password="a-New-pass-4242")


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer(client, team):
    known = client.post(reverse("account_reset_password"), {"email": team.owner.user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
