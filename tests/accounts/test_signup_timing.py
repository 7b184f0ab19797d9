"""Sign-up answers the same way, in the same time, whether or not the address has an account.

With enumeration prevention both answers are the same page; the time must not tell them apart
either. A new account's password is hashed before it is saved, so a taken address's password is
hashed too; and neither path talks to the mail server during the request.
"""

import statistics
import time

import pytest
from django.conf import global_settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "Violet-Orchard-Lantern-4821"
RUNS = 11
# The two medians may differ by at most this share of the slower one. Hashing a password with
# Django's default hasher takes a few hundred milliseconds, so a path that skips it is several
# times faster; what is left is a few database writes and noise.
TOLERANCE = 0.25


def _sign_up(email):
    # A client of its own each time, as each sign-up comes from a new visitor. Not the committing
    # client: in production the email goes out from the worker, after the response.
    response = Client().post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    return response


def _seconds_to_sign_up(email):
    # Sign-ups are limited per IP address; every request here comes from the same one.
    cache.clear()
    start = time.perf_counter()
    _sign_up(email)
    return time.perf_counter() - start


@pytest.mark.django_db
def test_sign_up_takes_as_long_for_a_taken_address_as_for_a_new_one(settings):
    taken = [UserFactory(email=f"taken{run}@example.com").email for run in range(RUNS + 1)]
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    # Warm-up: the first request loads templates and the password validators' word list.
    _seconds_to_sign_up("warm-up@example.com")
    _seconds_to_sign_up(taken.pop())

    new_times, taken_times = [], []
    for run in range(RUNS):
        # Interleaved, so that the machine slowing down or speeding up affects both alike.
        new_times.append(_seconds_to_sign_up(f"new{run}@example.com"))
        taken_times.append(_seconds_to_sign_up(taken[run]))

    new, taken = statistics.median(new_times), statistics.median(taken_times)
    assert abs(new - taken) <= TOLERANCE * max(new, taken), (
        f"median sign-up: new address {new:.3f}s, taken address {taken:.3f}s"
    )


@pytest.mark.django_db
def test_a_sign_up_hashes_the_password_once_for_a_new_and_for_a_taken_address(monkeypatch):
    hashed = []
    encode = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher,
        "encode",
        lambda self, password, salt: hashed.append(password) or encode(self, password, salt),
    )

    for email in ["new@example.com", UserFactory().email]:
        hashed.clear()
        _sign_up(email)
        assert hashed == [PASSWORD], email


@pytest.mark.django_db
@pytest.mark.parametrize("taken", [False, True], ids=["new address", "taken address"])
def test_a_sign_up_leaves_its_email_to_the_worker_whether_or_not_the_address_is_taken(
    django_capture_on_commit_callbacks, taken
):
    email = UserFactory().email if taken else "new@example.com"

    with django_capture_on_commit_callbacks() as after_commit:
        _sign_up(email)
    assert mail.outbox == []

    for callback in after_commit:
        callback()
    [message] = mail.outbox
    assert message.to == [email]
