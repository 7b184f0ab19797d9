"""Reading an uploaded file is bounded by what it costs: the upload only stores the file, the
worker reads it once as a stream, and the first limit reached stops the read with a message
that names the limit and the row."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from influencers.importing import jobs, reading
from influencers.models import ImportJob, ImportRow, ImportStatus, SocialAccount
from tests.influencers.hostile_files import HOSTILE_FILES, five_rows, xlsx


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, data: bytes, name: str):
    """Upload through the page; the read task runs as the upload commits (eager in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("influencers-import"), {"file": SimpleUploadedFile(name, data)})


def read(team, data: bytes, name: str) -> ImportJob:
    """A file uploaded and read by the worker."""
    job = jobs.import_job_create(
        organization=team.organization,
        user=team.marketer.user,
        upload=SimpleUploadedFile(name, data),
    )
    jobs.import_job_read(job=job)
    job.refresh_from_db()
    return job


def cells_of(job) -> dict[int, list[str]]:
    return dict(ImportRow.objects.filter(job=job).values_list("number", "cells"))


def with_sheet(data: bytes, change) -> bytes:
    """The workbook with its sheet's XML changed."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(
                info, change(content) if info.filename.endswith("sheet1.xml") else content
            )
    return buffer.getvalue()


@pytest.mark.parametrize("shape", sorted(HOSTILE_FILES))
def test_a_hostile_file_is_stored_at_once_then_stopped_at_its_first_limit(
    team, marketer_client, shape
):
    name, build, message = HOSTILE_FILES[shape]
    data = build()
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = marketer_client.post(
            reverse("influencers-import"), {"file": SimpleUploadedFile(name, data)}
        )
    # The request stored the file and queued its reading; it read nothing.
    [job] = ImportJob.objects.all()
    assert response.status_code == 302
    assert response.url == reverse("influencers-import-detail", args=[job.code])
    assert job.status == ImportStatus.UPLOADED and len(callbacks) == 1
    assert not ImportRow.objects.exists()
    html = marketer_client.get(response.url).content.decode()
    assert "Waiting for a worker…" in html and '<meta http-equiv="refresh"' in html

    callbacks[0]()  # the worker reads the file
    job.refresh_from_db()
    assert job.status == ImportStatus.UNREADABLE
    assert message in job.error
    html = marketer_client.get(response.url).content.decode()
    assert message in html and "http-equiv" not in html
    assert not ImportRow.objects.exists() and not SocialAccount.objects.exists()


def test_a_cell_longer_than_the_limit_is_named_by_row_and_column(team):
    data = b"platform,handle,bio\ninstagram,anna,short\ntiktok,ben," + b"x" * 2_001 + b"\n"
    job = read(team, data, "roster.csv")
    assert job.error == (
        "Row 3 has a cell longer than 2,000 characters (column C). Shorten it and upload the "
        "file again."
    )
    assert read(team, data.replace(b"x" * 2_001, b"x" * 2_000), "roster.csv").total_rows == 2


def test_a_quote_never_closed_in_a_large_csv_is_blamed_on_the_quote(team):
    data = b'platform,handle\ninstagram,"anna\n' + b"tiktok,ben\n" * 20_000
    job = read(team, data, "roster.csv")
    assert job.error == (
        "Row 2 has a cell longer than 2,000 characters. Shorten it and upload the file again. "
        "A quote that is never closed makes the rest of a CSV file one long cell."
    )


def test_one_long_text_repeated_in_every_cell_of_a_workbook_reaches_the_text_limit(team):
    # A 2,000-character shared text in 51 cells a row: 102,000 characters a row.
    long_text = "y" * 2_000
    rows = (f'<row r="{r}">' + '<c t="s"><v>3</v></c>' * 51 + "</row>" for r in range(2, 300))
    data = xlsx(
        [b'<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>']
        + [row.encode() for row in rows],
        strings=["platform", "handle", "instagram", long_text],
    )
    job = read(team, data, "roster.xlsx")
    assert job.error == (
        "The file holds more than 25,000,000 characters of text (reading stopped at row 247). "
        "Split it into smaller files and import them one after another."
    )


def test_a_value_far_right_in_a_workbook_stops_the_read_at_its_column(team):
    data = xlsx([five_rows(), b'<row r="9"><c r="XFD9" t="inlineStr"><is><t>x</t></is></c></row>'])
    job = read(team, data, "roster.xlsx")
    assert job.error.startswith(
        "Row 9 has a value in column XFD, and a file may have at most 100 columns."
    )


def test_empty_cells_at_the_end_of_a_row_are_no_columns(team):
    data = b"platform,handle" + b"," * 500 + b"\ninstagram,anna" + b"," * 5_000 + b"\n"
    job = read(team, data, "roster.csv")
    assert job.status == ImportStatus.CHECKED
    assert job.columns == ["platform", "handle"]
    assert cells_of(job) == {2: ["instagram", "anna"]}


def test_a_forged_dimension_pads_nothing(team):
    data = xlsx([five_rows()], dimension="A1:XFD1048576")
    job = read(team, data, "roster.xlsx")
    assert job.status == ImportStatus.CHECKED and job.total_rows == 4
    assert job.columns == ["platform", "handle"]


def test_a_workbook_with_a_doctype_is_refused(team):
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>'
    evil = with_sheet(
        xlsx([five_rows()]), lambda xml: xml.replace(b'<?xml version="1.0"?>', doctype)
    )
    assert read(team, evil, "roster.xlsx").error == reading.MSG_NOT_XLSX


def test_the_header_is_the_first_row_with_a_value_and_rows_keep_their_numbers(team):
    data = b"\n ,\nplatform,handle\n\ninstagram,anna\n,,,\ntiktok,ben\n"
    job = read(team, data, "roster.csv")
    assert job.columns == ["platform", "handle"]
    assert cells_of(job) == {5: ["instagram", "anna"], 7: ["tiktok", "ben"]}


def test_a_workbook_reads_numbers_dates_and_booleans_as_excel_shows_them(team):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["platform", "handle", "followers", "avg_likes", "when", "flag", "at"])
    sheet.append(
        ["instagram", "anna", 4000, 900.5, datetime.datetime(2024, 1, 5), True, datetime.time(12)]
    )
    sheet.append(["tiktok", "  ben  ", 12000.0, 1e20, datetime.date(2023, 2, 1), False, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = read(team, buffer.getvalue(), "roster.xlsx")
    assert cells_of(job) == {
        2: ["instagram", "anna", "4000", "900.5", "2024-01-05 00:00:00", "True", "12:00:00"],
        3: ["tiktok", "ben", "12000", "100000000000000000000", "2023-02-01 00:00:00", "False"],
    }


def test_a_sheet_full_of_nodes_that_are_no_cells_is_stopped(team, monkeypatch):
    monkeypatch.setattr(reading, "MAX_XML_EVENTS", 50_000)
    data = xlsx([five_rows(), b"<x/>" * 100_000])
    assert read(team, data, "roster.xlsx").error.startswith(
        "The workbook holds far more than its cells (one of its parts goes on past 50,000 XML "
        "nodes)."
    )


def test_a_sheet_nested_too_deep_is_no_workbook(team):
    data = xlsx([five_rows(), b"<a>" * 100, b"</a>" * 100])
    assert read(team, data, "roster.xlsx").error == reading.MSG_NOT_XLSX
