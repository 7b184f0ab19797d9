"""The Celery application: configured from Django settings (CELERY_*), tasks autodiscovered."""

import os
from enum import StrEnum

from celery import Celery
from kombu import Queue as KombuQueue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("microcampaigns")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Queue(StrEnum):
    """The queues tasks are routed to. A worker started without -Q consumes all of them."""

    DEFAULT = "default"
    EMAIL = "email"


app.conf.task_queues = [KombuQueue(queue.value) for queue in Queue]
# Routing by task name, in one place (the per-task `queue=` option is deprecated in Celery 5.7).
# Tasks not listed go to the default queue.
app.conf.task_routes = {
    "accounts.send_invitation": {"queue": Queue.EMAIL.value},
}


@app.on_after_finalize.connect
def install_beat_schedule(sender, **kwargs):
    # Imported late: the schedule names tasks of the apps, which need Django ready.
    from config.beat import BEAT_SCHEDULE

    sender.conf.beat_schedule = BEAT_SCHEDULE
