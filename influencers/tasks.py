"""Thin Celery adapters around influencer services."""

from celery import shared_task


@shared_task(name="influencers.run_import", soft_time_limit=600, time_limit=660)
def run_import(job_id: int, organization_id: int) -> bool:
    """Import a queued file. Safe to run twice: the service claims the job QUEUED -> RUNNING
    with a conditional UPDATE and returns False when another run (or nobody: a deleted job)
    got there first."""
    from influencers.importing import import_run_queued

    return import_run_queued(job_id=job_id, organization_id=organization_id)
