"""Thin Celery adapters around accounts services, and the base of tasks that act for one
organisation."""

import inspect
from smtplib import SMTPException

from celery import Task, shared_task
from django_scopes import scope


class OrganizationTask(Task):
    """A task that acts for the organisation named by its `organization_id` argument.

    It runs inside that organisation's scope, so its queries see that organisation's rows
    only, however it was started (a worker, `delay` in eager mode, a plain call). A task that
    acts for no organisation keeps the worker's default, outside any scope, where a query on an
    organisation-owned model raises; the few cross-organisation jobs say `scopes_disabled()`.
    """

    def __call__(self, *args, **kwargs):
        arguments = inspect.signature(self.run).bind(*args, **kwargs).arguments
        with scope(organization=arguments["organization_id"]):
            return super().__call__(*args, **kwargs)


@shared_task(
    base=OrganizationTask,
    name="accounts.send_invitation",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_invitation(invitation_id: int, organization_id: int, site_url: str = "") -> bool:
    from accounts.services import invitation_send

    return invitation_send(invitation_id=invitation_id, site_url=site_url)


@shared_task(
    name="accounts.send_email",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_email(payload: dict) -> bool:
    from accounts.services import email_send

    return email_send(payload=payload)


@shared_task(name="accounts.purge_stale_invitations", time_limit=300)
def purge_stale_invitations() -> int:
    from accounts.services import invitations_purge_stale_all_organisations

    return invitations_purge_stale_all_organisations()
