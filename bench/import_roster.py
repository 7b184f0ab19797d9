"""Import of a 10,000-row roster file, end to end through the pages.

Upload (the request stores the file and queues its reading), the read (the Celery task, run
in-process here), the preview, the import (queued and run in-process), then the same file
again (nothing changes). Reports the time of each and the process's peak memory, then the
server time of the job's page for a 50,000-row file with a problem in every row. Targets:
under 15 s end to end, peak memory under 300 MB, the page under 300 ms.
"""

import csv
import io
import random
import resource
import tempfile
import time
from unittest import mock

from _setup import bench_database, summary
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

ROWS = 10_000
REQUESTS = 30
HEADER = [
    "name",
    "email",
    "location",
    "niches",
    "platform",
    "handle",
    "followers",
    "avg_likes",
    "avg_comments",
    "posts_count",
    "engagement_sample_size",
]


def roster_csv(rng, rows=ROWS, bad=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for number in range(rows):
        followers = int(rng.lognormvariate(8.5, 1.3))
        writer.writerow(
            [
                f"Creator {number}",
                f"creator{number}@example.com",
                rng.choice(["Berlin", "Paris"]),
                rng.choice(["skincare", "coffee", "skincare, vegan"]),
                rng.choice(["instagram", "tiktok", "youtube"]) if not bad else "myspace",
                f"creator_{number}",
                followers,
                int(followers * rng.uniform(0.005, 0.1)),
                int(followers * rng.uniform(0.0005, 0.01)),
                rng.randint(10, 900),
                12,
            ]
        )
    return out.getvalue().encode()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def upload_and_read(client, data: bytes) -> tuple:
    """Upload through the page, then run the read its upload queued; the job and timings."""
    from influencers import tasks
    from influencers.models import ImportJob

    timings = {}
    started = time.perf_counter()
    upload = SimpleUploadedFile("roster.csv", data, content_type="text/csv")
    with mock.patch.object(tasks.read_import, "delay") as queued:
        response = client.post(reverse("influencers-import"), {"file": upload})
    assert response.status_code == 302, response.content[:500]
    timings["upload"] = time.perf_counter() - started
    mark = time.perf_counter()
    tasks.read_import(*queued.call_args.args)  # as the worker would
    timings["read"] = time.perf_counter() - mark
    return ImportJob.objects.latest("created_at"), timings, started


def vacuum_analyze() -> None:
    connection.cursor().execute("VACUUM ANALYZE")


def import_through_pages(client, data: bytes) -> dict:
    job, timings, started = upload_and_read(client, data)
    vacuum_analyze()
    detail = reverse("influencers-import-detail", args=[job.code])
    mark = time.perf_counter()
    assert client.get(detail).status_code == 200
    timings["preview"] = time.perf_counter() - mark
    mark = time.perf_counter()
    client.post(reverse("influencers-import-run", args=[job.code]))
    timings["import"] = time.perf_counter() - mark
    timings["end to end"] = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "done", job.error
    timings["counts"] = (job.created_count, job.updated_count, job.unchanged_count)
    return timings


def main():
    from accounts.models import User
    from accounts.services import organization_create
    from config.celery import app as celery_app

    # The task runs in this process when the request commits, as a worker would run it.
    celery_app.conf.task_always_eager = True
    with bench_database(), tempfile.TemporaryDirectory() as media:
        settings.MEDIA_ROOT = media  # the uploads go away with the database
        user = User.objects.create_user("bench@example.com", "x")
        organization_create(user=user, name="Bench")
        client = Client()
        client.force_login(user)
        client.get(reverse("influencers-import"))  # warm
        data = roster_csv(random.Random(11))
        print(f"file: {ROWS:,} rows, {len(data) / 1e6:.1f} MB; process before: {peak_mb():.0f} MB")
        print("VACUUM ANALYZE after each read, before the preview and the import are timed")
        for label in ("first import", "same file again"):
            timings = import_through_pages(client, data)
            created, updated, unchanged = timings.pop("counts")
            steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in timings.items())
            print(
                f"{label}: {steps}; created {created:,}, updated {updated:,}, "
                f"unchanged {unchanged:,}; peak memory so far {peak_mb():.0f} MB"
            )
        job, timings, _ = upload_and_read(client, roster_csv(random.Random(12), 50_000, True))
        vacuum_analyze()
        detail = reverse("influencers-import-detail", args=[job.code])
        client.get(detail)  # warm
        samples = []
        for _ in range(REQUESTS):
            mark = time.perf_counter()
            assert client.get(detail).status_code == 200
            samples.append(time.perf_counter() - mark)
        print(
            f"job page of a 50,000-row file, every row with a problem (read in "
            f"{timings['read']:.1f} s): {summary(samples)}; peak memory so far {peak_mb():.0f} MB"
        )


if __name__ == "__main__":
    main()
