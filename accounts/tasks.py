"""Thin Celery adapters around accounts services."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    name="accounts.send_invitation",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def send_invitation(invitation_id: int, site_url: str = "") -> bool:
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
