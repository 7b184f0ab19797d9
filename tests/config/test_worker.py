"""A real Celery worker consumes from the configured broker (Redis in CI, the filesystem
transport on embedded defaults) and runs a task that writes its row."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from accounts.tasks import send_invitation
from config.beat import BEAT_SCHEDULE
from config.celery import app as celery_app
from tests.factories import InvitationFactory


@pytest.fixture
def real_worker(tmp_path):
    celery_app.conf.task_always_eager = False
    transport_options = celery_app.conf.broker_transport_options
    if not settings.REDIS_URL:
        # Keep the test's messages away from a worker of `make run` on the same data folder.
        folder = str(tmp_path / "queue")
        (tmp_path / "queue").mkdir()
        celery_app.conf.broker_transport_options = {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "control_folder": str(tmp_path / "control"),
        }
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=20):
        yield
    celery_app.conf.broker_transport_options = transport_options


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_an_invitation_and_records_it(real_worker, team):
    invitation = InvitationFactory(organization=team.organization, email="bob@example.com")
    # A fresh connection: the pooled one may predate the fixture's broker folder.
    with celery_app.connection_for_write() as connection:
        send_invitation.apply_async((invitation.id, team.organization.id), connection=connection)

    def sent():
        invitation.refresh_from_db()
        return invitation.sent_at is not None

    assert _wait_for(sent), f"the worker did not run the task (broker {settings.CELERY_BROKER_URL})"
    assert [message.to for message in mail.outbox] == [["bob@example.com"]]


def test_every_beat_entry_names_a_registered_task_and_expires():
    celery_app.loader.import_default_modules()
    for name, entry in BEAT_SCHEDULE.items():
        assert entry["task"] in celery_app.tasks, name
        assert entry["options"]["expires"] > 0, name
