"""Thin Celery adapters around influencer services."""

from celery import shared_task

from accounts.tasks import OrganizationTask


@shared_task(
    base=OrganizationTask, name="influencers.read_import", soft_time_limit=300, time_limit=360
)
def read_import(job_id: int, organization_id: int) -> bool:
    """Read an uploaded file into its rows and check them. Safe to run twice: the service
    claims the job UPLOADED -> READING with a conditional UPDATE in the transaction that
    writes the rows, and returns False when another run (or nobody: a deleted job) got there
    first."""
    from influencers.importing.jobs import import_job_read_queued

    return import_job_read_queued(job_id=job_id, organization_id=organization_id)


@shared_task(
    base=OrganizationTask, name="influencers.check_import", soft_time_limit=300, time_limit=360
)
def check_import(job_id: int, organization_id: int) -> bool:
    """Check a large file's rows again under a new mapping. Safe to run twice: the service
    claims the job CHECKING -> CHECKED the same way."""
    from influencers.importing.jobs import import_job_check_queued

    return import_job_check_queued(job_id=job_id, organization_id=organization_id)


@shared_task(
    base=OrganizationTask, name="influencers.run_import", soft_time_limit=600, time_limit=660
)
def run_import(job_id: int, organization_id: int) -> bool:
    """Import a queued file. Safe to run twice: the service claims the job QUEUED -> RUNNING
    the same way."""
    from influencers.importing.jobs import import_run_queued

    return import_run_queued(job_id=job_id, organization_id=organization_id)


@shared_task(
    base=OrganizationTask,
    name="influencers.recompute_engagement",
    soft_time_limit=600,
    time_limit=660,
)
def recompute_engagement(organization_id: int) -> int:
    """Recompute every account's rate from the organisation's current settings.

    Safe to run twice or after a crash: it recomputes from what is stored, whatever ran before.
    A deleted organisation is a quiet no-op.
    """
    from accounts.models import Organization
    from influencers.derived import social_accounts_recompute

    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    return social_accounts_recompute(organization=organization)
