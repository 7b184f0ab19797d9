"""An uploaded file is read once, by a worker, into stored rows: the read is safe to run
twice, the job's page and the import work from what it stored, and every state reads
naturally in the list of imports."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from influencers.importing import jobs
from influencers.models import ImportJob, ImportProblem, ImportRow, ImportStatus, SocialAccount
from influencers.tasks import read_import
from tests.config.test_worker import _wait_for, real_worker  # noqa: F401 (a fixture)

HEADER = ["name", "platform", "handle", "followers"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def roster(rows: int, *, bad_every: int = 0) -> bytes:
    """A CSV of `rows` accounts; every `bad_every`-th one has followers that are no number."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for n in range(rows):
        followers = "lots" if bad_every and n % bad_every == 0 else str(1000 + n)
        writer.writerow([f"Creator {n}", "instagram", f"creator_{n}", followers])
    return buffer.getvalue().encode()


def uploaded(team, data: bytes, name="roster.csv") -> ImportJob:
    """A job as the upload leaves it: stored, its reading queued (the message not sent)."""
    with TestCase.captureOnCommitCallbacks(execute=False):
        return jobs.import_job_create(
            organization=team.organization,
            user=team.marketer.user,
            upload=SimpleUploadedFile(name, data),
        )


def read(team, data: bytes, name="roster.csv") -> ImportJob:
    job = uploaded(team, data, name)
    assert jobs.import_job_read(job=job)
    job.refresh_from_db()
    return job


def detail(job) -> str:
    return reverse("influencers-import-detail", args=[job.code])


def test_the_read_task_run_twice_stores_the_rows_once(team):
    job = uploaded(team, roster(3))
    assert read_import.delay(job.pk, team.organization.pk).get() is True
    assert read_import.delay(job.pk, team.organization.pk).get() is False
    assert read_import(job.pk, team.organization.pk) is False
    job.refresh_from_db()
    assert (job.status, job.total_rows) == (ImportStatus.CHECKED, 3)
    assert list(ImportRow.objects.filter(job=job).order_by("number").values_list("number")) == [
        (2,),
        (3,),
        (4,),
    ]


def test_a_worker_dying_mid_read_leaves_the_job_for_the_redelivered_task(team, monkeypatch):
    job = uploaded(team, roster(5))
    monkeypatch.setattr(jobs, "READ_BATCH", 2)
    reports = []
    original = jobs._report

    def die_on_the_second_batch(job, done):
        reports.append(done)
        if done == 4:
            raise SystemExit("worker lost")  # no error the read handles: the process ends
        original(job, done)

    monkeypatch.setattr(jobs, "_report", die_on_the_second_batch)
    with pytest.raises(SystemExit):
        read_import(job.pk, team.organization.pk)
    assert reports == [0, 2, 4]  # two batches of rows were written before it died
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED and not ImportRow.objects.exists()

    monkeypatch.setattr(jobs, "_report", original)
    assert read_import(job.pk, team.organization.pk) is True
    job.refresh_from_db()
    assert (job.status, job.total_rows) == (ImportStatus.CHECKED, 5)
    assert ImportRow.objects.filter(job=job).count() == 5


def test_the_read_task_ignores_a_deleted_job_and_another_organisations_id(team):
    job = uploaded(team, roster(3))
    assert read_import(job.pk, team.outsider.organization.pk) is False
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED
    job.delete()
    assert read_import(job.pk, team.organization.pk) is False


def test_the_page_and_the_import_never_read_the_file_again(team, marketer_client):
    job = read(team, roster(3, bad_every=0))
    job.file.delete(save=False)
    html = marketer_client.get(detail(job)).content.decode()
    assert "3 ready" in html and "Creator 0" in html and "creator_2" in html
    marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 3
    # The stored rows have served their purpose.
    assert not ImportRow.objects.filter(job=job).exists()


def test_the_page_costs_the_same_queries_for_3_rows_and_3000(team, marketer_client):
    def queries(job) -> int:
        marketer_client.get(detail(job))  # the session and the membership, loaded once
        with CaptureQueriesContext(connection) as captured:
            response = marketer_client.get(detail(job))
        assert response.status_code == 200
        return len(captured)

    small = read(team, roster(3, bad_every=2))
    large = read(team, roster(3_000, bad_every=2))
    assert (small.problem_rows, large.problem_rows) == (2, 1_500)
    assert queries(small) == queries(large)


def test_the_page_lists_the_first_thousand_problem_rows_and_counts_the_rest(team, marketer_client):
    job = read(team, roster(1_500, bad_every=1))
    html = marketer_client.get(detail(job)).content.decode()
    assert "1,500 with problems" in html
    assert html.count('<tr id="row-') == 1_000
    assert "And 500 more rows with problems, not listed here." in html


def test_a_new_mapping_for_a_large_file_is_checked_by_a_worker(team, marketer_client, monkeypatch):
    monkeypatch.setattr(jobs, "INLINE_MAX_ROWS", 2)
    job = read(team, roster(3))
    assert job.problem_rows == 0
    mapping = {"platform": "platform", "handle": "handle", "followers": "name"}
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = marketer_client.post(detail(job), mapping)
    assert response.status_code == 302 and len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKING
    html = marketer_client.get(detail(job)).content.decode()
    assert "Waiting for a worker…" in html and '<meta http-equiv="refresh"' in html

    callbacks[0]()  # the worker checks the rows under the new mapping
    job.refresh_from_db()
    assert (job.status, job.column_mapping, job.problem_rows) == (
        ImportStatus.CHECKED,
        mapping,
        3,
    )
    assert ImportProblem.objects.get(job=job, number=2).messages == [
        "Followers “Creator 0” is not a number."
    ]
    html = marketer_client.get(detail(job)).content.decode()
    assert "0 ready" in html and "3 with problems" in html


def test_a_read_no_worker_picked_up_can_be_started_again(
    team, marketer_client, manager_client, monkeypatch
):
    job = uploaded(team, roster(3))  # the task's message is lost
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    stalled = "No worker has picked this up yet."
    html = marketer_client.get(detail(job)).content.decode()
    assert "Waiting for a worker…" in html and stalled not in html  # queued a moment ago

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=11))
    html = marketer_client.get(detail(job)).content.decode()
    assert stalled in html and "Start it again</button>" in html
    assert manager_client.post(reverse("influencers-import-run", args=[job.code])).status_code == (
        403
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Reading the file was queued again."
    ]
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.total_rows == 3


def test_the_recent_imports_say_where_each_file_is(team, marketer_client):
    uploaded(team, roster(3), name="waiting.csv")
    read(team, roster(3), name="ready.csv")
    read(team, roster(3, bad_every=3), name="one-bad.csv")
    read(team, b"platform,handle\n", name="empty.csv")
    done = read(team, roster(2), name="done.csv")
    jobs.import_job_start(job=done)
    html = marketer_client.get(reverse("influencers-import")).content.decode()
    for name, status in [
        ("waiting.csv", "Reading the file…"),
        ("ready.csv", "Ready to import"),
        ("one-bad.csv", "1 row with problems"),
        ("empty.csv", "Could not be read"),
        ("done.csv", "Imported"),
    ]:
        row = html[html.index(f">{name}</a>") :].split("</tr>", 1)[0]
        assert status in row, (name, row)
    assert SocialAccount.objects.count() == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("real_worker")
def test_a_real_worker_reads_an_uploaded_file_and_the_page_shows_its_rows(team, marketer_client):
    job = uploaded(team, roster(3))
    # A fresh connection: the pooled one may predate the fixture's broker folder.
    with celery_app.connection_for_write() as broker:
        read_import.apply_async((job.pk, team.organization.pk), connection=broker)

    def read_by_the_worker():
        try:
            job.refresh_from_db()
        except OperationalError:
            # The in-memory SQLite test database locks whole tables while the worker writes.
            return False
        return job.status != ImportStatus.UPLOADED

    assert _wait_for(read_by_the_worker), "the worker did not read the file"
    assert (job.status, job.total_rows) == (ImportStatus.CHECKED, 3)
    assert "3 ready" in marketer_client.get(detail(job)).content.decode()
