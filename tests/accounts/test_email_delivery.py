"""Emails go out through a real SMTP server listening on loopback."""

import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse

from accounts import services
from tests.factories import InvitationFactory


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


@pytest.mark.django_db
def test_an_invitation_reaches_the_smtp_server_with_its_link(smtp_inbox, team):
    invitation = InvitationFactory(organization=team.organization, email="bob@example.com")
    services.invitation_send(invitation_id=invitation.id)
    [envelope] = smtp_inbox.messages
    assert envelope.rcpt_tos == ["bob@example.com"]
    body = envelope.content.decode()
    assert f"/invitations/{invitation.token}/" in body
    assert "Glow Test Org" in body


@pytest.mark.django_db
def test_a_sign_up_verification_email_reaches_the_smtp_server(smtp_inbox, client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a-Strong-pass-42",
            "password2": "a-Strong-pass-42",
        },
    )
    [envelope] = smtp_inbox.messages
    assert envelope.rcpt_tos == ["new@example.com"]
    assert re.search(r"/accounts/confirm-email/\S+/", envelope.content.decode())


@pytest.mark.django_db
def test_a_sign_up_email_handed_to_the_worker_twice_reaches_the_smtp_server_once(
    smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        Client().post(
            reverse("account_signup"),
            {
                "email": "new@example.com",
                "password1": "a-Strong-pass-42",
                "password2": "a-Strong-pass-42",
            },
        )
    [hand_to_worker] = after_commit

    # The broker delivers the task again, as after a worker died before acknowledging it.
    hand_to_worker()
    hand_to_worker()

    [envelope] = smtp_inbox.messages
    assert envelope.rcpt_tos == ["new@example.com"]
