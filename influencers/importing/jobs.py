"""An import job's life: upload, reading, mapping and checking, the import, and their progress.

The flow a marketer sees: upload a file (`import_job_create`), which only stores it and queues
`influencers.read_import`; a worker reads it once (`import_job_read`) into ImportRows and
checks them under the mapping guessed from the header; the page then shows the mapping, a
preview and every row's problems from what was stored, never from the file. Choosing other
columns checks the rows again (`import_job_map`). Once no row has a problem the user imports
(`import_job_start`). Small files are checked and imported inline; larger ones in a worker,
with the page refreshing itself meanwhile.

Every step a worker takes claims the job with a conditional UPDATE inside the transaction
that does the work: a second delivery of the task waits on the job's row and then finds the
step done, and a worker that dies half-way rolls the claim back with the work, so the
redelivered task starts the step again. While a step runs, its progress travels through the
cache, since the page cannot see inside the uncommitted transaction.
"""

import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organization
from influencers.importing import reading, writing
from influencers.importing.checking import (
    TARGETS,
    TARGETS_BY_KEY,
    Checked,
    check_rows,
    guess_mapping,
    mapping_errors,
    refusal,
)
from influencers.models import ImportJob, ImportProblem, ImportRow, ImportStatus

logger = logging.getLogger(__name__)

INLINE_MAX_ROWS = 2_000  # more rows are checked and imported by a worker, with progress
READ_BATCH = 1_000  # rows per INSERT while reading
PREVIEW_ROWS = 20  # rows shown as they will be imported
PREVIEW_CHARS = 60  # of each of their cells (the template cuts there)
PROBLEM_ROWS_SHOWN = 1_000  # rows with problems listed; the counts always cover all of them
PROGRESS_TTL = 6 * 3600
QUEUED_TTL = 7 * 24 * 3600
# A job no worker has started on for this long can be queued again by the user.
STALLED_AFTER = timedelta(minutes=10)

# Mapping and importing are open in these; a job in WAITING has a task due.
STARTABLE = (ImportStatus.CHECKED, ImportStatus.FAILED)
WAITING = (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.QUEUED)
IN_PROGRESS = WAITING + (ImportStatus.READING, ImportStatus.RUNNING)

MSG_CONCURRENT = (
    "Another import or edit added one of these accounts at the same time; import the file again."
)


def import_job_list(*, organization: Organization):
    listed = ImportJob.objects.filter(organization=organization).select_related("created_by")
    return listed.defer("columns", "column_mapping", "preview")


# --- Upload and reading --------------------------------------------------------------------------


def import_job_create(*, organization: Organization, user, upload) -> ImportJob:
    """Store an uploaded file as a job and queue its reading.

    Only cheap checks here (size, extension, the first bytes), so the request answers at once
    whatever the file holds. Raises ValidationError with a message for the user.
    """
    reading.check_upload(upload)
    job = ImportJob(
        organization=organization,
        created_by=user,
        original_name=Path(upload.name).name[:255],
    )
    job.file.save(f"{job.code}{Path(upload.name).suffix.lower()}", upload, save=False)
    job.save()
    _enqueue(job)
    return job


def import_job_read(*, job: ImportJob) -> bool:
    """Read an uploaded job's file once into its rows, then check them: the worker's side.

    Returns False when the job was not waiting to be read (another run has it). A file that
    cannot be read, whichever limit it reaches first, leaves the job UNREADABLE with the
    reason and no rows.
    """
    try:
        with transaction.atomic():
            if not _claim(job, (ImportStatus.UPLOADED,), ImportStatus.READING):
                return False
            _report(job, 0)
            _read_rows(job)
            job.column_mapping = guess_mapping([name for name in job.columns if name])
            _store_check(job)
    except Exception as error:  # whatever failed, the job must say so
        _fail(job, ImportStatus.UNREADABLE, _reason(error, "The file could not be read"))
    finally:
        _done(job)
    return True


def _read_rows(job: ImportJob) -> None:
    try:
        stored = job.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise ValidationError(reading.MSG_FILE_GONE) from None
    with stored:
        sheet = reading.Sheet(stored, job.file.name)
        batch = []
        for number, cells in sheet:
            batch.append(
                ImportRow(organization_id=job.organization_id, job=job, number=number, cells=cells)
            )
            if len(batch) == READ_BATCH:
                ImportRow.objects.bulk_create(batch)
                batch = []
                _report(job, sheet.data_rows)
        ImportRow.objects.bulk_create(batch)
    job.columns = sheet.columns
    job.total_rows = sheet.data_rows


# --- Mapping and checking ---------------------------------------------------------------------


def import_job_map(*, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Keep the columns the user chose for the targets and check the rows again under them.

    A small file is checked inline, a larger one by the `influencers.check_import` task.
    """
    if job.status not in STARTABLE:
        raise ValidationError("This file was imported already; upload it again to change it.")
    unknown = set(mapping) - set(TARGETS_BY_KEY)
    if unknown:
        raise ValidationError(f"Unknown target columns: {', '.join(sorted(unknown))}.")
    chosen = {key: column for key, column in mapping.items() if column}
    if not _claim(job, STARTABLE, ImportStatus.CHECKING, column_mapping=chosen):
        return job
    if job.total_rows <= INLINE_MAX_ROWS:
        import_job_check(job=job)
    else:
        _enqueue(job)
    return job


def import_job_check(*, job: ImportJob) -> bool:
    """Check a job's rows under its mapping and keep the result for the page.

    Returns False when the job was not waiting to be checked (another run has it).
    """
    try:
        with transaction.atomic():
            if not _claim(job, (ImportStatus.CHECKING,), ImportStatus.CHECKED):
                return False
            _report(job, 0)
            _store_check(job)
    except Exception as error:
        _fail(job, ImportStatus.FAILED, _reason(error, "Checking the rows stopped"))
    finally:
        _done(job)
    return True


def _store_check(job: ImportJob) -> None:
    """Check the job's rows and keep what the page shows: the counts, every row's problems and
    the preview. The job is then CHECKED."""
    frame, checked = _checked(job)
    ImportProblem.objects.filter(job=job).delete()
    problems = sorted(checked.problems.items())
    for start in range(0, len(problems), READ_BATCH):
        ImportProblem.objects.bulk_create(
            ImportProblem(organization_id=job.organization_id, job=job, number=n, messages=m)
            for n, m in problems[start : start + READ_BATCH]
        )
    job.preview = _preview(job, frame.head(PREVIEW_ROWS), checked)
    job.status, job.error, job.problem_rows = ImportStatus.CHECKED, "", checked.bad
    job.save(
        update_fields=[
            "status",
            "error",
            "columns",
            "column_mapping",
            "total_rows",
            "problem_rows",
            "preview",
        ]
    )


def import_job_checked(job: ImportJob) -> Checked:
    """The job's stored rows checked under its mapping, against the organisation's accounts."""
    return _checked(job)[1]


def _checked(job: ImportJob) -> tuple[pd.DataFrame, Checked]:
    rows = ImportRow.objects.filter(job=job).order_by("number").values_list("number", "cells")
    frame = _frame(job, rows.iterator(chunk_size=2_000))
    return frame, check_rows(frame, job.column_mapping, job.organization_id)


def _frame(job: ImportJob, rows) -> pd.DataFrame:
    """The mapped columns of (row number, cells) pairs, indexed by row number.

    Only the mapped columns are kept, so a wide file costs no more memory than a narrow one.
    """
    positions = {name: i for i, name in enumerate(job.columns) if name}
    wanted = {
        column: positions[column]
        for column in dict.fromkeys(job.column_mapping.values())
        if column in positions
    }
    numbers, values = [], {column: [] for column in wanted}
    for number, cells in rows:
        numbers.append(number)
        for column, position in wanted.items():
            # One object per distinct text: a platform, city or status repeated in 50,000
            # rows is then kept once, not 50,000 times.
            values[column].append(sys.intern(cells[position]) if position < len(cells) else "")
    return pd.DataFrame(values, index=pd.Index(numbers, name="row"))


def _preview(job: ImportJob, frame: pd.DataFrame, checked: Checked) -> list[dict]:
    """The first rows as they will be saved, one cell per mapped target, with their problems.

    A value that could not be read shows as it is, marked invalid. Texts are cut to what the
    page shows (60 characters), so the job stays small whatever the cells hold.
    """
    mapping = job.column_mapping
    keys = [target.key for target in TARGETS if target.key in mapping]
    preview = []
    for number in frame.index:
        cells = []
        for key in keys:
            value = checked.rows.at[number, key]
            text = ", ".join(value) if isinstance(value, list) else "" if value is None else value
            raw = frame.at[number, mapping[key]] if mapping[key] in frame.columns else ""
            shown = str(text or raw)[: PREVIEW_CHARS + 1]
            cells.append({"text": shown, "invalid": text in ("", None) and raw != ""})
        problems = checked.problems.get(number, [])
        preview.append({"number": int(number), "cells": cells, "problems": problems})
    return preview


# --- What the job's page shows -----------------------------------------------------------------


def import_job_problems(job: ImportJob) -> list[tuple[int, list[str]]]:
    """The first PROBLEM_ROWS_SHOWN rows with problems, in row order."""
    problems = ImportProblem.objects.filter(job=job).order_by("number")
    return list(problems.values_list("number", "messages")[:PROBLEM_ROWS_SHOWN])


# --- The import ----------------------------------------------------------------------------------


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Import a file without problems: inline when small, else queued as a Celery task.

    A job waiting for a worker that no worker has picked up (`import_job_stalled`) is queued
    again, whichever step it waits for.
    """
    if job.status in WAITING:
        return import_job_requeue(job=job)
    if job.status == ImportStatus.DONE:
        raise ValidationError("This file has been imported already.")
    if job.status not in STARTABLE:
        raise ValidationError("This file could not be read. Fix it and upload it again.")
    errors = mapping_errors(job.columns, job.column_mapping)
    if errors or job.problem_rows:
        raise ValidationError(refusal(errors, job.problem_rows))
    if job.total_rows <= INLINE_MAX_ROWS:
        import_run(job=job, from_statuses=STARTABLE)
        return job
    if _claim(job, STARTABLE, ImportStatus.QUEUED):
        _enqueue(job)
    return job


def import_run(*, job: ImportJob, from_statuses=STARTABLE + (ImportStatus.QUEUED,)) -> bool:
    """Claim the job and import its rows in one transaction.

    Returns False when the job was not in `from_statuses` (another run has it). The rows are
    checked again inside the transaction, against the accounts as they are now. On a failure
    nothing of the file is saved and the job is FAILED with the reason; on success the stored
    rows, no longer needed, go.
    """
    organization = job.organization
    try:
        with transaction.atomic():
            if not _claim(job, from_statuses, ImportStatus.RUNNING):
                return False
            # From now on the job page shows a progress bar, not "waiting for a worker".
            _report(job, 0)
            checked = import_job_checked(job)
            if not checked.ok:
                raise ValidationError(checked.refusal())
            counts = writing.accounts_upsert(
                organization=organization,
                rows=checked.rows,
                given={target.key for target in TARGETS if target.key in job.column_mapping},
                progress=lambda done: _report(job, done),
            )
            job.status = ImportStatus.DONE
            job.total_rows = job.processed_rows = checked.total
            job.created_count, job.updated_count = counts.created, counts.updated
            job.unchanged_count = counts.unchanged
            job.finished_at = timezone.now()
            job.save(
                update_fields=[
                    "status",
                    "total_rows",
                    "processed_rows",
                    "created_count",
                    "updated_count",
                    "unchanged_count",
                    "finished_at",
                ]
            )
            ImportRow.objects.filter(job=job).delete()
            ImportProblem.objects.filter(job=job).delete()
    except Exception as error:  # whatever failed, the job must say so
        if isinstance(error, IntegrityError):
            # The accounts are locked while the import runs, but an account added meanwhile is
            # not there to lock: the import's INSERT of the same handle meets the unique index.
            reason = MSG_CONCURRENT
        else:
            reason = _reason(error, "The import stopped")
        _fail(job, ImportStatus.FAILED, f"{reason} Nothing from the file was saved.")
    finally:
        _done(job)
    return True


# --- Claims, failures, tasks and progress ------------------------------------------------------


def _claim(job: ImportJob, from_statuses, to_status, **fields) -> bool:
    """Move the job on only if it is still where we expect: one caller wins a race."""
    changed = ImportJob.objects.filter(
        pk=job.pk, organization=job.organization_id, status__in=list(from_statuses)
    ).update(status=to_status, error="", processed_rows=0, finished_at=None, **fields)
    if changed:
        job.status, job.error, job.processed_rows, job.finished_at = to_status, "", 0, None
        for name, value in fields.items():
            setattr(job, name, value)
    return bool(changed)


def _reason(error: Exception, stopped: str) -> str:
    """What to tell the user about an error that stopped a step."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    logger.exception("Import step failed", exc_info=error)
    detail = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
    return f"{stopped} ({type(error).__name__}{': ' + detail if detail else ''})."


def _fail(job: ImportJob, status: ImportStatus, reason: str) -> None:
    """Record why a step failed; its transaction has rolled its work back."""
    job.status, job.error, job.finished_at = status, reason, timezone.now()
    job.processed_rows = job.created_count = job.updated_count = job.unchanged_count = 0
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        error=reason,
        processed_rows=0,
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        finished_at=job.finished_at,
    )


def _enqueue(job: ImportJob) -> None:
    """Send the task the job waits for, once the transaction that queued it commits."""
    from influencers import tasks

    task = {
        ImportStatus.UPLOADED: tasks.read_import,
        ImportStatus.CHECKING: tasks.check_import,
        ImportStatus.QUEUED: tasks.run_import,
    }[job.status]
    cache.set(_queued_key(job.pk), timezone.now().timestamp(), QUEUED_TTL)
    job_id, organization_id = job.pk, job.organization_id
    # Robust: a broker that cannot take the message leaves the job waiting, and the page then
    # offers to start it again (import_job_stalled), rather than failing the request.
    transaction.on_commit(lambda: task.delay(job_id, organization_id), robust=True)


def _queued_key(job_id: int) -> str:
    return f"influencers:import-queued:{job_id}"


def import_job_stalled(job: ImportJob) -> bool:
    """Whether a job has waited STALLED_AFTER for a worker without one starting on it.

    Most likely its task message was lost (a broker restart, a purged queue): the user may
    queue it again. The time it was queued is kept in the cache (the job's created_at, the
    upload, when the cache has lost it). A worker that has claimed the job reports progress
    from the start, so a job that is merely slow is never taken for a stalled one.
    """
    if job.status not in WAITING or import_progress(job) is not None:
        return False
    queued = cache.get(_queued_key(job.pk))
    queued_at = datetime.fromtimestamp(queued, tz=UTC) if queued else job.created_at
    return timezone.now() - queued_at >= STALLED_AFTER


def import_job_requeue(*, job: ImportJob) -> ImportJob:
    """Send a stalled job's task again.

    Safe even if the first message turns up after all: whichever run claims the job (inside
    its transaction) does the step, the other finds it taken.
    """
    if job.status not in WAITING:
        raise ValidationError("This import is no longer waiting for a worker.")
    if not import_job_stalled(job):
        minutes = int(STALLED_AFTER.total_seconds() // 60)
        raise ValidationError(
            "A worker may still pick this import up. If nothing happens for "
            f"{minutes} minutes, start it again."
        )
    _enqueue(job)
    return job


def _queued_job(job_id: int, organization_id: int) -> ImportJob | None:
    return (
        ImportJob.objects.filter(pk=job_id, organization_id=organization_id)
        .select_related("organization")
        .first()
    )


def import_job_read_queued(*, job_id: int, organization_id: int) -> bool:
    """The read task's side; a deleted job, or one another run has read, is a no-op."""
    job = _queued_job(job_id, organization_id)
    return job is not None and import_job_read(job=job)


def import_job_check_queued(*, job_id: int, organization_id: int) -> bool:
    """The check task's side; a deleted job, or one another run has checked, is a no-op."""
    job = _queued_job(job_id, organization_id)
    return job is not None and import_job_check(job=job)


def import_run_queued(*, job_id: int, organization_id: int) -> bool:
    """The import task's side; a deleted job, or one another run has claimed, is a no-op."""
    job = _queued_job(job_id, organization_id)
    return job is not None and import_run(job=job, from_statuses=(ImportStatus.QUEUED,))


def _progress_key(job_id: int) -> str:
    return f"influencers:import-progress:{job_id}"


def _report(job: ImportJob, done: int) -> None:
    cache.set(_progress_key(job.pk), done, PROGRESS_TTL)


def _done(job: ImportJob) -> None:
    """A step has ended: neither its progress nor the time it was queued mean anything now."""
    cache.delete_many([_progress_key(job.pk), _queued_key(job.pk)])


def import_progress(job: ImportJob) -> int | None:
    """Rows read, checked or written so far by the step running, or None while no worker has
    started on the job.

    A running step's writes, its status included, sit inside one uncommitted transaction that
    the page cannot see, so the count travels through the cache (shared by web and workers:
    Redis, or the file cache by default).
    """
    return cache.get(_progress_key(job.pk))
