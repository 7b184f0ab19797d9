"""Uploads shaped to cost far more than their size: the files of tests/influencers/hostile_files.py.

For each: the upload request's time (it stores the file and queues its reading), the read
task's time and peak memory, run as a worker runs it in a fresh process so that its peak is
its own, the job page's time after the read, and the message the page shows. The largest legitimate
files follow for comparison. Targets: the
upload under 1 s; the read under 300 MB, the process's peak with Django and its imports in
it. Run it as the other benchmarks (see _setup.py).
"""

import json
import subprocess
import sys
import tempfile
import time
from unittest import mock

from _setup import bench_database
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse


def memory_mb(field: str) -> float:
    """VmRSS (resident now) or VmHWM (its peak) of this process, from /proc (Linux).

    Not ru_maxrss: across execve Linux keeps the parent's peak in it, so a fresh process
    would report the benchmark's own peak at the time it was started.
    """
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024


def read_as_a_worker(database: str, media: str, job_id: int, organization_id: int) -> None:
    """The fresh process's side: run the read task once and print what it cost, as JSON."""
    from influencers.tasks import read_import

    connection.settings_dict["NAME"] = database
    settings.MEDIA_ROOT = media
    connection.ensure_connection()
    before = {"resident_mb": memory_mb("VmRSS"), "peak_before_mb": memory_mb("VmHWM")}
    started = time.perf_counter()
    read_import(job_id, organization_id)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": memory_mb("VmHWM"), **before}))


def read_in_a_fresh_process(media: str, job) -> dict:
    command = [sys.executable, __file__, "--read", connection.settings_dict["NAME"], media]
    command += [str(job.pk), str(job.organization_id)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def largest_legitimate_files() -> dict:
    """For comparison: a 50,000-row directory export as XLSX, and a CSV just under 10 MB."""
    import csv
    import io

    from openpyxl import Workbook

    from influencers.exporting import COLUMNS

    stamp = "2024-01-01T00:00:00"

    def row(n):
        return [f"Creator {n}", f"creator{n}@example.com", "Berlin", "de, en", "skincare, coffee",
                "partner", "instagram", f"creator_{n}", f"https://instagram.com/creator_{n}",
                1000 + n, 300, 120, 55.5, 3.25, 1, 2, 4000, 9000, 12, "followers",
                "Weekly routines and honest reviews.", "micro", 3.5, "likes + comments", 1.2,
                "file import", stamp, "file import", stamp]  # fmt: skip

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(COLUMNS)
    for n in range(50_000):
        sheet.append(row(n))
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    n = 0
    while text.tell() < 10_000_000:
        writer.writerow(row(n))
        n += 1
    return {
        "export-50k-rows": ("roster.xlsx", xlsx.getvalue()),
        f"csv-{n // 1000}k-rows": ("roster.csv", text.getvalue().encode()),
    }


def main():
    from accounts.models import User
    from accounts.services import organization_create
    from influencers import tasks
    from influencers.models import ImportJob, ImportRow
    from tests.influencers.hostile_files import HOSTILE_FILES

    files = {shape: (name, build()) for shape, (name, build, _) in HOSTILE_FILES.items()}
    files |= largest_legitimate_files()

    with bench_database(), tempfile.TemporaryDirectory() as media:
        settings.MEDIA_ROOT = media  # the uploads go away with the database
        user = User.objects.create_user("bench@example.com", "x")
        organization_create(user=user, name="Bench")
        client = Client()
        client.force_login(user)
        client.get(reverse("influencers-import"))  # warm
        connection.cursor().execute("VACUUM ANALYZE")
        print("VACUUM ANALYZE done before timing")
        for shape, (name, data) in files.items():
            # The upload's message to the worker goes nowhere: a fresh process plays the worker.
            with mock.patch.object(tasks.read_import, "delay") as queued:
                started = time.perf_counter()
                response = client.post(
                    reverse("influencers-import"), {"file": SimpleUploadedFile(name, data)}
                )
                upload = time.perf_counter() - started
            assert response.status_code == 302 and queued.call_count == 1, response.status_code
            job = ImportJob.objects.latest("created_at")
            read = read_in_a_fresh_process(media, job)
            job.refresh_from_db()
            started = time.perf_counter()
            assert client.get(response.url).status_code == 200
            page = time.perf_counter() - started
            rows = ImportRow.objects.filter(job=job).count()
            print(
                f"{shape} ({len(data) / 1000:,.0f} KB {name}): upload {upload:.3f} s; "
                f"read {read['seconds']:.2f} s, peak {read['peak_mb']:.0f} MB (before the read: "
                f"resident {read['resident_mb']:.0f} MB, peak {read['peak_before_mb']:.0f} MB); "
                f"page {page * 1000:.0f} ms; "
                f"{job.status_text}, {rows:,} rows kept{': ' + job.error if job.error else ''}"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--read"]:
        database, media, job_id, organization_id = sys.argv[2:6]
        read_as_a_worker(database, media, int(job_id), int(organization_id))
    else:
        main()
