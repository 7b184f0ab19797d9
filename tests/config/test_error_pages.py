"""Error pages and refused requests, as people and operators meet them."""

import io
import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.module_loading import import_string

from config.urls import server_error


@pytest.fixture
def console(settings):
    """What the console handler, as LOGGING configures it, prints: in a buffer.

    Built from the settings rather than taken from the root logger, which a Celery worker
    started by another test may have replaced.
    """
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    for name in settings.LOGGING["handlers"]["console"]["filters"]:
        handler.addFilter(import_string(settings.LOGGING["filters"][name]["()"])())
    root = logging.getLogger()
    root.addHandler(handler)
    yield buffer
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_refused_write_logs_one_line_not_a_traceback(manager_client, console):
    response = manager_client.post(reverse("campaigns-create"), {"name": "Not mine to make"})
    assert response.status_code == 403
    logged = console.getvalue()
    assert "Forbidden (Permission denied): /campaigns/new/" in logged
    assert "Traceback" not in logged and len(logged.strip().splitlines()) == 1


def test_a_server_error_keeps_its_traceback_in_the_log(console):
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /", exc_info=True, extra={"status_code": 500}
        )
    assert "Traceback" in console.getvalue() and "the database went away" in console.getvalue()


def test_the_server_error_page_uses_the_products_layout():
    page = server_error(RequestFactory().get("/campaigns/")).content.decode()
    assert "Something went wrong on our side" in page
    assert 'class="topbar"' in page and "css/app.css" in page


@pytest.mark.django_db
def test_a_missing_page_uses_the_products_layout(marketer_client):
    response = marketer_client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Not found" in page and 'class="topbar"' in page and "Campaigns</a>" in page


@pytest.mark.django_db
def test_sign_up_errors_sit_at_their_field(client):
    response = client.post(
        reverse("account_signup"), {"email": "bad", "password1": "x", "password2": "x"}
    )
    page = response.content.decode()
    email, password, _again = page.split('<label for="id_')[1:4]
    assert email.startswith("email") and password.startswith("password1")
    assert '<p class="error">Enter a valid email address.</p>' in email
    assert "This password is too short" in password
    assert "&lt;li&gt;" not in page  # the password rules are a list, not markup shown as text
