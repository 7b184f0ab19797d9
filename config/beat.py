"""Every periodic task in one place.

Each entry sets `expires` so that a backlog built up while workers were down is dropped
instead of running many times over.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "purge-stale-invitations": {
        "task": "accounts.purge_stale_invitations",
        "schedule": crontab(minute=17, hour=3),
        "options": {"expires": 60 * 60},
    },
}
