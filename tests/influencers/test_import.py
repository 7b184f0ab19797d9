"""Roster import: upload, reading, mapping, preview of every row's problems, all-or-nothing
upsert."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from influencers import services
from influencers.importing import checking, jobs, reading, writing
from influencers.models import (
    DataSource,
    ImportJob,
    ImportProblem,
    ImportRow,
    ImportStatus,
    Influencer,
    RelationshipStatus,
    SocialAccount,
)
from influencers.tasks import run_import
from tests.factories import InfluencerFactory, make_account

HEADER = [
    "name",
    "email",
    "platform",
    "handle",
    "followers",
    "avg_likes",
    "avg_comments",
    "niches",
    "location",
]
GOOD_ROWS = [
    ["Anna Berg", "anna@example.com", "Instagram", "@anna.berg", "4000", "554", "40",
     "skincare, #Coffee", "Berlin"],
    ["Ben Ode", "", "tiktok", "benode", "12000", "900", "35", "", ""],
    ["", "", "youtube", "cara_cooks", "", "", "", "cooking", "Lyon"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csv_bytes(rows, header=HEADER, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_job(team, data: bytes, name="roster.csv", membership=None) -> ImportJob:
    """A file uploaded and read, as the worker leaves it."""
    membership = membership or team.marketer
    job = jobs.import_job_create(
        organization=membership.organization,
        user=membership.user,
        upload=SimpleUploadedFile(name, data),
    )
    jobs.import_job_read(job=job)
    return job


def upload(client, data: bytes, name="roster.csv"):
    """Upload through the page; the read task runs as the upload commits (eager in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("influencers-import"), {"file": SimpleUploadedFile(name, data)})


def problems_of(job) -> dict[int, list[str]]:
    return dict(ImportProblem.objects.filter(job=job).values_list("number", "messages"))


def cells_of(job) -> dict[int, list[str]]:
    return dict(ImportRow.objects.filter(job=job).values_list("number", "cells"))


def only_job() -> ImportJob:
    [job] = ImportJob.objects.all()
    return job


# --- Happy paths --------------------------------------------------------------------------------


def test_a_good_csv_imports_through_the_pages(team, marketer_client):
    response = upload(marketer_client, csv_bytes(GOOD_ROWS))
    job = only_job()
    assert response.status_code == 302
    assert response.url == reverse("influencers-import-detail", args=[job.code])
    assert job.total_rows == 3
    assert job.column_mapping["handle"] == "handle"

    page = marketer_client.get(response.url).content.decode()
    assert "3 ready" in page
    assert "Import 3 rows" in page

    response = marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
    assert job.processed_rows == 3 and job.finished_at is not None

    anna = SocialAccount.objects.select_related("influencer").get(handle="anna.berg")
    assert anna.organization == team.organization
    assert anna.platform == "instagram"
    assert anna.followers == 4000 and anna.avg_likes == Decimal("554")
    assert anna.audience_source == anna.engagement_source == DataSource.IMPORT
    assert anna.audience_updated_at is not None
    assert anna.influencer.name == "Anna Berg"
    assert anna.influencer.email == "anna@example.com"
    assert anna.influencer.location == "Berlin"
    assert anna.influencer.status == RelationshipStatus.PROSPECT
    assert sorted(n.name for n in anna.influencer.niches.all()) == ["coffee", "skincare"]
    # No name in the file: the influencer is named after the handle; missing numbers stay empty.
    cara = SocialAccount.objects.select_related("influencer").get(handle="cara_cooks")
    assert cara.influencer.name == "cara_cooks"
    assert cara.followers is None and cara.engagement_rate is None

    page = marketer_client.get(reverse("influencers-import-detail", args=[job.code]))
    assert "New accounts" in page.content.decode()
    assert reverse("influencers-index") in page.content.decode()


def test_a_good_xlsx_imports(team, marketer_client):
    rows = [
        ["Anna Berg", "anna@example.com", "instagram", "anna.berg", 4000, 554, 40, "", ""],
        ["Ben Ode", None, "TikTok", "benode", 12000.0, 900.5, 35, None, None],
    ]
    response = upload(marketer_client, xlsx_bytes(rows), name="Roster.XLSX")
    assert response.status_code == 302
    job = only_job()
    marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    assert job.created_count == 2
    ben = SocialAccount.objects.get(handle="benode")
    assert (ben.platform, ben.followers, ben.avg_likes) == ("tiktok", 12000, Decimal("900.50"))


def test_the_worked_example_comes_out_right(team):
    data = csv_bytes([["Anna", "", "instagram", "anna", "4000", "554", "40", "", ""]])
    job = make_job(team, data)
    assert jobs.import_run(job=job)
    account = SocialAccount.objects.select_related("tier").get(handle="anna")
    assert account.engagement_rate == Decimal("14.850")
    assert account.engagement_interactions == "likes + comments"
    assert account.tier.name == "micro"
    assert account.benchmark_ratio == Decimal("2.475")


def test_a_semicolon_csv_with_a_byte_order_mark_and_odd_headers_is_read(team):
    data = "Full Name;Network;Username;Subscribers\nAnna;IG;anna\nBo;youtube;bo;1,200\n"
    job = make_job(team, data.encode("utf-8-sig"))
    assert job.column_mapping == {
        "name": "Full Name",
        "platform": "Network",
        "handle": "Username",
        "followers": "Subscribers",
    }
    assert problems_of(job) == {
        2: ["Unknown platform “IG”: use instagram, tiktok, youtube or other."]
    }
    assert jobs.import_job_checked(job).rows.loc[3, "followers"] == 1200


def test_counts_written_as_12_5k_or_1_2m_are_read_exactly(team):
    rows = [
        ["Kay", "", "instagram", "kay", "12.5k", "1.2K", "40", "", ""],
        ["Em", "", "youtube", "em", "1.2M", "", "", "", ""],
        ["Odd", "", "tiktok", "odd", "1.2345k", "", "", "", ""],  # 1,234.5 people
        ["Word", "", "tiktok", "word", "12kk", "", "", "", ""],
    ]
    job = make_job(team, csv_bytes(rows))
    assert problems_of(job) == {
        4: ["Followers must be a whole number."],
        5: ["Followers “12kk” is not a number."],
    }
    checked = jobs.import_job_checked(job).rows
    assert checked.loc[2, "followers"] == 12_500 and checked.loc[3, "followers"] == 1_200_000
    assert checked.loc[2, "avg_likes"] == Decimal("1200.00")


# --- Preview, fixing the file ----------------------------------------------------------------


BAD_ROWS = [
    GOOD_ROWS[0],
    ["No Handle", "", "instagram", "", "10", "", "", "", ""],  # row 3
    ["Myspace", "", "myspace", "tom", "10", "", "", "", ""],  # row 4
    ["Negative", "", "tiktok", "neg", "-5", "", "", "", ""],  # row 5
    ["Words", "", "tiktok", "words", "lots", "", "", "", ""],  # row 6
    ["Bad Mail", "not-an-email", "tiktok", "mail", "10", "", "", "", ""],  # row 7
    ["Again", "", "instagram", "ANNA.BERG", "10", "", "", "", ""],  # row 8: same as row 2
    GOOD_ROWS[1],  # row 9
]


def test_the_preview_lists_each_problem_at_its_row_and_nothing_is_imported(team, marketer_client):
    upload(marketer_client, csv_bytes(BAD_ROWS))
    job = only_job()
    assert problems_of(job) == {
        3: ["Handle is missing."],
        4: ["Unknown platform “myspace”: use instagram, tiktok, youtube or other."],
        5: ["Followers must not be negative (-5)."],
        6: ["Followers “lots” is not a number."],
        7: ["Email “not-an-email” is not a valid address."],
        8: ["Same platform and handle as row 2: keep one of the two rows."],
    }
    page = marketer_client.get(reverse("influencers-import-detail", args=[job.code]))
    html = page.content.decode()
    assert "2 ready" in html and "6 with problems" in html
    for number in range(3, 9):
        assert f'<tr id="row-{number}"><td class="num">{number}</td>' in html
    assert "Unknown platform “myspace”" in html
    assert "Fix the file and upload it again" in html
    assert "Import 8 rows" not in html

    response = marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    assert response.status_code == 302
    assert not SocialAccount.objects.exists() and not Influencer.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["6 rows have problems. Fix the file and upload it again."]


def test_after_fixing_the_file_a_new_upload_imports(team, marketer_client):
    upload(marketer_client, csv_bytes(BAD_ROWS))
    fixed = [BAD_ROWS[0], BAD_ROWS[-1], ["Tom", "", "other", "tom", "10", "", "", "", ""]]
    response = upload(marketer_client, csv_bytes(fixed), name="roster-fixed.csv")
    job = ImportJob.objects.get(original_name="roster-fixed.csv")
    assert response.url == reverse("influencers-import-detail", args=[job.code])
    assert "3 ready" in marketer_client.get(response.url).content.decode()
    marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 3
    assert SocialAccount.objects.count() == 3


def test_the_mapping_can_be_chosen_by_hand(team, marketer_client):
    data = csv_bytes([["instagram", "anna", "4000"]], header=["Plattform", "Konto", "Fans"])
    upload(marketer_client, data)
    job = only_job()
    assert job.column_mapping == {"followers": "Fans"}
    url = reverse("influencers-import-detail", args=[job.code])
    html = marketer_client.get(url).content.decode()
    assert "Choose the file&#x27;s column for Platform." in html
    assert "Choose the file&#x27;s column for Handle." in html

    response = marketer_client.post(
        url, {"platform": "Plattform", "handle": "Konto", "followers": "Fans"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.column_mapping == {"platform": "Plattform", "handle": "Konto", "followers": "Fans"}
    assert "1 ready" in marketer_client.get(url).content.decode()

    # A required target left out is an error at its select; the mapping is kept as it was.
    response = marketer_client.post(url, {"platform": "Plattform", "handle": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"handle": ["This field is required."]}
    job.refresh_from_db()
    assert job.column_mapping["handle"] == "Konto"


# --- Re-import and updates ---------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(team):
    data = csv_bytes(GOOD_ROWS)
    first = make_job(team, data)
    assert jobs.import_run(job=first)
    assert first.created_count == 3
    before = {
        a.pk: (
            a.updated_at,
            a.audience_updated_at,
            a.engagement_computed_at,
            a.influencer.updated_at,
        )
        for a in SocialAccount.objects.select_related("influencer")
    }
    links = Influencer.niches.through.objects.count()

    again = make_job(team, data)
    assert jobs.import_run(job=again)
    again.refresh_from_db()
    assert again.status == ImportStatus.DONE
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    after = {
        a.pk: (
            a.updated_at,
            a.audience_updated_at,
            a.engagement_computed_at,
            a.influencer.updated_at,
        )
        for a in SocialAccount.objects.select_related("influencer")
    }
    assert after == before
    assert Influencer.objects.count() == 3
    assert Influencer.niches.through.objects.count() == links


def test_an_existing_account_is_updated_only_where_the_file_has_a_value(team):
    person = InfluencerFactory(
        organization=team.organization, name="Anna B.", location="Hamburg", email="a@old.example"
    )
    anna = make_account(
        person, handle="Anna.Berg", followers=3000, avg_likes=Decimal("100"), bio="Kept bio"
    )
    header = ["name", "email", "platform", "handle", "followers", "location", "bio", "niches"]
    data = csv_bytes([["", "", "instagram", "anna.berg", "4000", "Berlin", "", "coffee"]], header)
    job = make_job(team, data)
    assert jobs.import_run(job=job)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 0)

    anna.refresh_from_db()
    person.refresh_from_db()
    assert SocialAccount.objects.count() == 1 and Influencer.objects.count() == 1
    assert anna.followers == 4000
    assert anna.handle == "anna.berg"
    assert anna.bio == "Kept bio" and anna.avg_likes == Decimal("100")
    assert anna.audience_source == DataSource.IMPORT
    assert anna.engagement_rate is None  # comments were never measured
    assert person.name == "Anna B." and person.email == "a@old.example"
    assert person.location == "Berlin"
    assert [n.name for n in person.niches.all()] == ["coffee"]


def test_an_account_of_another_organisation_is_never_matched(team):
    theirs = make_account(
        InfluencerFactory(organization=team.outsider.organization, name="Theirs"),
        handle="anna.berg",
        followers=1,
    )
    job = make_job(team, csv_bytes(GOOD_ROWS[:1]))
    assert jobs.import_run(job=job)
    assert job.created_count == 1
    theirs.refresh_from_db()
    assert theirs.followers == 1 and theirs.influencer.name == "Theirs"
    ours = SocialAccount.objects.get(organization=team.organization, handle="anna.berg")
    assert ours.influencer.organization == team.organization
    assert {n.organization_id for n in ours.influencer.niches.all()} == {team.organization.pk}


# --- All or nothing ----------------------------------------------------------------------------


def test_the_import_is_all_or_nothing(team, monkeypatch):
    existing = make_account(
        InfluencerFactory(organization=team.organization, name="Anna"),
        handle="anna.berg",
        followers=10,
    )
    rows = GOOD_ROWS + [
        [f"P{i}", "", "tiktok", f"p{i}", "10", "", "", "new-niche", ""] for i in range(5)
    ]
    job = make_job(team, csv_bytes(rows))
    monkeypatch.setattr(writing, "WRITE_BATCH", 2)  # several batches are written first

    original, calls = services.social_accounts_recompute, []

    def broken(**kwargs):
        calls.append(kwargs)
        if len(calls) > 2:  # after two batches were written and recomputed
            raise RuntimeError("disk on fire")
        return original(**kwargs)

    monkeypatch.setattr(services, "social_accounts_recompute", broken)
    assert jobs.import_run(job=job)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error == (
        "The import stopped (RuntimeError: disk on fire). Nothing from the file was saved."
    )
    assert (job.created_count, job.updated_count, job.processed_rows) == (0, 0, 0)
    assert list(SocialAccount.objects.values_list("handle", flat=True)) == ["anna.berg"]
    assert Influencer.objects.count() == 1
    assert not Influencer.niches.through.objects.exists()
    existing.refresh_from_db()
    assert existing.followers == 10


def test_a_failed_import_can_run_again(team, monkeypatch, marketer_client):
    job = make_job(team, csv_bytes(GOOD_ROWS))
    original = services.social_accounts_recompute
    monkeypatch.setattr(services, "social_accounts_recompute", lambda **kw: 1 / 0)
    jobs.import_run(job=job)
    assert job.status == ImportStatus.FAILED
    html = marketer_client.get(reverse("influencers-import-detail", args=[job.code]))
    assert "Nothing from the file was saved." in html.content.decode()

    monkeypatch.setattr(services, "social_accounts_recompute", original)
    marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 3 and job.error == ""


# --- Files that cannot be read -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "roster.csv",
            "name,platform,handle\nJosé,instagram,jose\n".encode("latin-1"),
            "The file is not UTF-8 text. In Excel use Save As → CSV UTF-8.",
        ),
        (
            "roster.csv",
            "name,platform,handle\nJosé,instagram,jose\n".encode("utf-16"),
            "The file is not UTF-8 text. In Excel use Save As → CSV UTF-8.",
        ),
        ("roster.csv", b"PK\x03\x04\x14\x00\x00\x00binary", reading.MSG_BINARY_CSV),
        ("roster.xlsx", b"name,platform,handle\nx,instagram,x\n", reading.MSG_NOT_XLSX),
        ("roster.xls", b"\xd0\xcf\x11\xe0", reading.MSG_OLD_XLS),
        ("roster.pdf", b"%PDF-1.4", reading.MSG_EXTENSION),
        ("roster.csv", b"", "The submitted file is empty."),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_at_upload_and_nothing_is_saved(
    team, marketer_client, name, data, message
):
    response = upload(marketer_client, data, name=name)
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith(message)
    assert message.replace("→", "&#x2192;") in response.content.decode() or message in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "roster.csv",
            b"name,platform,handle\n" + b"x,instagram,x\n" * 5000 + "José".encode("latin-1"),
            "The file is not UTF-8 text. In Excel use Save As → CSV UTF-8.",
        ),
        ("roster.xlsx", b"PK\x03\x04 but no zip after all", reading.MSG_NOT_XLSX),
        ("roster.csv", b"name,platform,handle\n", reading.MSG_EMPTY),
        ("roster.csv", b"\n\n  \n", reading.MSG_EMPTY),
        (
            "roster.csv",
            b'name,platform,handle\n"x,instagram,x\n',
            "The file could not be read as CSV (row 2: unexpected end of data).",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why_on_its_page_and_nothing_is_kept(
    team, marketer_client, name, data, message
):
    response = upload(marketer_client, data, name=name)
    job = only_job()
    assert response.url == reverse("influencers-import-detail", args=[job.code])
    assert job.status == ImportStatus.UNREADABLE
    assert job.error.startswith(message)
    html = marketer_client.get(response.url).content.decode()
    assert message in html
    assert "Could not be read" in html and "Upload a file" in html
    assert not ImportRow.objects.exists()
    html = marketer_client.get(reverse("influencers-import")).content.decode()
    assert "Could not be read" in html


def test_a_file_over_the_size_limit_is_refused(team, marketer_client):
    data = b"name,platform,handle\n" + b"x" * reading.MAX_FILE_BYTES
    response = upload(marketer_client, data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [reading.MSG_TOO_LARGE]
    assert "The file is larger than 10 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_job_whose_file_is_gone_before_it_is_read_says_so(team, marketer_client):
    job = jobs.import_job_create(
        organization=team.organization,
        user=team.marketer.user,
        upload=SimpleUploadedFile("roster.csv", csv_bytes(GOOD_ROWS)),
    )
    job.file.delete(save=False)
    assert jobs.import_job_read(job=job)
    html = marketer_client.get(reverse("influencers-import-detail", args=[job.code]))
    assert reading.MSG_FILE_GONE in html.content.decode()


# --- Celery: large files, claims -----------------------------------------------------------------


def test_a_large_file_is_queued_and_runs_as_a_task(
    team, marketer_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "INLINE_MAX_ROWS", 2)
    job = make_job(team, csv_bytes(GOOD_ROWS))
    url = reverse("influencers-import-run", args=[job.code])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = marketer_client.post(url)
    assert response.status_code == 302
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    assert not SocialAccount.objects.exists()

    html = marketer_client.get(reverse("influencers-import-detail", args=[job.code]))
    html = html.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress max="3" value="0">' in html
    assert "Waiting for a worker" in html

    callbacks[0]()  # the broker delivers; Celery is eager in tests
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 3
    html = marketer_client.get(reverse("influencers-import-detail", args=[job.code]))
    assert "http-equiv" not in html.content.decode()


def test_the_run_view_queues_on_commit(
    team, marketer_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "INLINE_MAX_ROWS", 2)
    job = make_job(team, csv_bytes(GOOD_ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and SocialAccount.objects.count() == 3


def test_the_task_run_twice_does_the_work_once(team, monkeypatch):
    job = make_job(team, csv_bytes(GOOD_ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    calls = []
    original = writing.accounts_upsert
    monkeypatch.setattr(writing, "accounts_upsert", lambda **kw: calls.append(1) or original(**kw))

    assert run_import.delay(job.pk, team.organization.pk).get() is True
    assert run_import.delay(job.pk, team.organization.pk).get() is False
    assert run_import(job.pk, team.organization.pk) is False
    assert calls == [1]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 3
    assert SocialAccount.objects.count() == 3


def test_the_task_ignores_a_deleted_job_and_another_organisations_id(team):
    job = make_job(team, csv_bytes(GOOD_ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    assert run_import(job.pk, team.outsider.organization.pk) is False
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    job.delete()
    assert run_import(job.pk, team.organization.pk) is False
    assert not SocialAccount.objects.exists()


def test_the_page_shows_what_a_worker_has_written_so_far(team, marketer_client, monkeypatch):
    job = make_job(team, csv_bytes(GOOD_ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    detail = reverse("influencers-import-detail", args=[job.code])
    assert "Waiting for a worker" in marketer_client.get(detail).content.decode()
    pages = []  # the job page, looked at while the worker writes
    original = writing.accounts_upsert

    def upsert_and_look(**kwargs):
        def report_and_look(done):
            kwargs["progress"](done)
            pages.append(marketer_client.get(detail).content.decode())

        return original(**{**kwargs, "progress": report_and_look})

    monkeypatch.setattr(writing, "accounts_upsert", upsert_and_look)
    assert run_import(job.pk, team.organization.pk) is True
    assert pages and "Importing…" in pages[-1]
    assert "3 of 3 rows" in pages[-1]


def test_a_worker_dying_half_way_leaves_the_job_for_the_redelivered_task(team, monkeypatch):
    job = make_job(team, csv_bytes(GOOD_ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    original = writing.accounts_upsert

    def die(**kwargs):
        original(**kwargs)
        raise SystemExit("worker lost")  # not an error the import handles: the process ends

    monkeypatch.setattr(writing, "accounts_upsert", die)
    with pytest.raises(SystemExit):
        run_import(job.pk, team.organization.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and not SocialAccount.objects.exists()

    monkeypatch.setattr(writing, "accounts_upsert", original)
    assert run_import(job.pk, team.organization.pk) is True
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and SocialAccount.objects.count() == 3


# --- Roles and pages ---------------------------------------------------------------------------


def test_a_manager_sees_imports_but_cannot_upload_map_or_run(team, manager_client):
    job = make_job(team, csv_bytes(GOOD_ROWS))
    page = manager_client.get(reverse("influencers-import"))
    assert page.status_code == 200
    assert "Managers see the imports" in page.content.decode()
    assert "roster.csv" in page.content.decode()
    assert upload(manager_client, csv_bytes(GOOD_ROWS)).status_code == 403
    detail = reverse("influencers-import-detail", args=[job.code])
    html = manager_client.get(detail).content.decode()
    assert "3 ready" in html and "Import 3 rows" not in html
    assert (
        manager_client.post(detail, {"platform": "handle", "handle": "handle"}).status_code == 403
    )
    assert (
        manager_client.post(reverse("influencers-import-run", args=[job.code])).status_code == 403
    )
    assert ImportJob.objects.count() == 1 and not SocialAccount.objects.exists()


def test_another_organisation_gets_404(team, outsider_client):
    job = make_job(team, csv_bytes(GOOD_ROWS))
    assert (
        outsider_client.get(reverse("influencers-import-detail", args=[job.code])).status_code
        == 404
    )
    assert (
        outsider_client.post(reverse("influencers-import-run", args=[job.code])).status_code == 404
    )
    page = outsider_client.get(reverse("influencers-import"))
    assert "roster.csv" not in page.content.decode()


def test_the_upload_page_lists_no_one_and_many_jobs(team, marketer_client):
    html = marketer_client.get(reverse("influencers-import")).content.decode()
    assert "No files imported yet." in html
    for n in range(12):
        make_job(team, csv_bytes(GOOD_ROWS), name=f"file{n}.csv")
    html = marketer_client.get(reverse("influencers-import")).content.decode()
    assert html.count("influencers/imports/") == 10
    assert "file11.csv" in html and "file0.csv" not in html


def test_too_many_rows_or_a_workbook_that_unpacks_too_large_are_refused(
    team, marketer_client, monkeypatch
):
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    upload(marketer_client, csv_bytes(GOOD_ROWS))
    job = only_job()
    assert job.error == (
        "The file has more than 2 rows (reading stopped at row 4). Split it into smaller files "
        "and import them one after another."
    )
    job.delete()
    monkeypatch.setattr(reading, "MAX_XLSX_UNPACKED_MB", 0.001)
    upload(marketer_client, xlsx_bytes(GOOD_ROWS[:1]), name="roster.xlsx")
    job = only_job()
    assert job.status == ImportStatus.UNREADABLE
    assert job.error.startswith("The workbook unpacks to more than 0.001 MB.")
    assert not ImportRow.objects.exists()


def test_row_numbers_are_the_spreadsheets_even_after_blank_rows(team):
    data = b"platform,handle,followers\ninstagram,a,1\n,,\n\ntiktok,b,x\n"
    job = make_job(team, data)
    checked = jobs.import_job_checked(job)
    assert list(checked.rows.index) == [2, 5]
    assert checked.problems == problems_of(job) == {5: ["Followers “x” is not a number."]}
    assert checked.refusal() == "1 row has a problem. Fix the file and upload it again."


def test_a_workbook_keeps_its_row_numbers_and_awkward_cells(team, marketer_client):
    header = ["name", "platform", "handle", "bio", "a;b;c"]
    rows = [
        ["Anna", "instagram", "anna", "Line one\nline two, with a comma; and more", "x"],
        [None, None, None, None, None],
        ["Ben", "tiktok", "ben", '"Quoted"', None],
        ["Bad", "myspace", "bad", None, None],
    ]
    upload(marketer_client, xlsx_bytes(rows, header=header), name="roster.xlsx")
    job = only_job()
    assert job.original_name == "roster.xlsx" and job.file.name.endswith(".xlsx")
    checked = jobs.import_job_checked(job)
    assert list(checked.rows.index) == [2, 4, 5]
    assert list(checked.problems) == [5]
    assert checked.rows.loc[2, "bio"] == "Line one\nline two, with a comma; and more"
    assert checked.rows.loc[4, "bio"] == '"Quoted"'


def test_the_engagement_formula_column_needs_its_denominator(team):
    header = ["platform", "handle", "followers", "avg_likes", "avg_comments", "avg_views",
              "formula"]  # fmt: skip
    rows = [
        ["tiktok", "viewed", "7300", "1900", "60", "41000", "views"],
        ["tiktok", "noviews", "7300", "1900", "60", "", "views"],
        ["instagram", "odd", "7300", "1900", "60", "", "impressions"],
    ]
    job = make_job(team, csv_bytes(rows, header=header))
    assert problems_of(job) == {
        3: ["The formula “views” divides by average views: give Average views in this row."],
        4: ["Unknown engagement formula “impressions”: use followers, reach or views."],
    }
    job = make_job(team, csv_bytes(rows[:1], header=header))
    assert jobs.import_run(job=job) is True
    account = SocialAccount.objects.get(handle="viewed")
    # (1,900 + 60) / 41,000 views = 4.78%, against the TikTok micro benchmark of 3.8% by views.
    assert (account.engagement_formula, account.engagement_rate) == ("views", Decimal("4.780"))
    assert account.benchmark_ratio == Decimal("1.258")


# --- One person, several rows ---------------------------------------------------------------


def anna_with_two_accounts(team, **fields):
    """A person with an Instagram and a TikTok account, as after a merge."""
    person = InfluencerFactory(
        organization=team.organization, name="Anna Berg", location="Hamburg", **fields
    )
    make_account(person, platform="instagram", handle="anna.berg", followers=3000)
    make_account(person, platform="tiktok", handle="anna.tok", followers=5000)
    return person


def test_two_rows_of_one_person_that_agree_update_the_person_once(team, marketer_client):
    person = anna_with_two_accounts(team)
    rows = [
        ["Anna Berg", "anna@example.com", "instagram", "anna.berg", "4000", "", "", "skincare",
         "Berlin"],
        ["Ben Ode", "", "tiktok", "benode", "12000", "", "", "", ""],
        ["Anna Berg", "anna@example.com", "tiktok", "anna.tok", "9000", "", "", "coffee",
         "Berlin"],
    ]  # fmt: skip
    upload(marketer_client, csv_bytes(rows))
    job = only_job()
    assert (
        "3 ready"
        in marketer_client.get(
            reverse("influencers-import-detail", args=[job.code])
        ).content.decode()
    )
    response = marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error
    assert (job.created_count, job.updated_count, job.unchanged_count) == (1, 2, 0)
    assert [str(m) for m in response.wsgi_request._messages] == [
        "roster.csv imported: 1 new, 2 updated, 0 unchanged."
    ]
    person.refresh_from_db()
    assert (person.location, person.email) == ("Berlin", "anna@example.com")
    assert sorted(n.name for n in person.niches.all()) == ["coffee", "skincare"]
    assert Influencer.objects.count() == 2
    assert sorted(person.accounts.values_list("followers", flat=True)) == [4000, 9000]

    # The file exported and imported again changes nothing.
    stamps = (person.updated_at, sorted(person.accounts.values_list("updated_at", flat=True)))
    upload(marketer_client, csv_bytes(rows))
    again = ImportJob.objects.exclude(pk=job.pk).get()
    marketer_client.post(reverse("influencers-import-run", args=[again.code]))
    again.refresh_from_db()
    assert again.status == ImportStatus.DONE, again.error
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    person.refresh_from_db()
    assert (person.updated_at, sorted(person.accounts.values_list("updated_at", flat=True))) == (
        stamps
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_exported_person_with_two_accounts_imports_again_unchanged(team, marketer_client, kind):
    person = anna_with_two_accounts(
        team, email="anna@example.com", languages=["de", "en"], status="partner"
    )
    person.niches.create(organization=team.organization, name="tea")
    response = marketer_client.get(reverse("influencers-export"), {"format": kind})
    upload(marketer_client, response.content, name=f"export.{kind}")
    job = only_job()
    assert problems_of(job) == {}
    marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    job.refresh_from_db()
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2), job.error
    person.refresh_from_db()
    assert (person.location, person.languages, person.status) == (
        "Hamburg",
        ["de", "en"],
        "partner",
    )


DISAGREEING_ROWS = [
    ["Anna Berg", "", "instagram", "anna.berg", "4000", "", "", "", "Berlin"],  # row 2
    ["Ben Ode", "", "tiktok", "benode", "12000", "", "", "", ""],  # row 3
    ["Cara", "", "youtube", "cara_cooks", "", "", "", "", "Lyon"],  # row 4
    ["Anna Berg", "", "tiktok", "anna.tok", "9000", "", "", "", "Berlin DE"],  # row 5
]
DISAGREEMENT = (
    "Rows 2 and 5 give different locations for Anna Berg (“Berlin”, “Berlin DE”): make them agree."
)


def test_two_rows_of_one_person_that_disagree_are_a_problem_at_the_row(team, marketer_client):
    person = anna_with_two_accounts(team)
    upload(marketer_client, csv_bytes(DISAGREEING_ROWS))
    job = only_job()
    html = marketer_client.get(reverse("influencers-import-detail", args=[job.code]))
    html = html.content.decode()
    assert "3 ready" in html and "1 with problems" in html
    assert f'<tr id="row-5"><td class="num">5</td><td><ul class="problems"><li>{DISAGREEMENT}' in (
        html
    )
    assert "Import 4 rows" not in html

    response = marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    assert [str(m) for m in response.wsgi_request._messages] == [
        "1 row has a problem. Fix the file and upload it again."
    ]
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    person.refresh_from_db()
    assert person.location == "Hamburg"
    assert SocialAccount.objects.count() == 2 and Influencer.objects.count() == 1


def test_every_field_of_the_person_is_compared_and_empty_cells_are_no_opinion(team):
    anna_with_two_accounts(team)
    header = ["name", "platform", "handle", "status", "languages", "email"]
    rows = [
        ["Anna Berg", "instagram", "anna.berg", "Partner", "de, en", ""],
        ["Anna B.", "tiktok", "anna.tok", "contacted", "de,en", "anna@example.com"],
    ]
    job = make_job(team, csv_bytes(rows, header))
    assert job.column_mapping == {key: key for key in header}
    assert problems_of(job) == {
        3: [
            "Rows 2 and 3 give different names for Anna Berg (“Anna Berg”, “Anna B.”): "
            "make them agree.",
            "Rows 2 and 3 give different statuses for Anna Berg (“Partner”, “Contacted”): "
            "make them agree.",
        ]
    }
    # Another organisation's accounts of the same handles are not this person.
    theirs = make_job(team, csv_bytes(rows, header), membership=team.outsider)
    assert theirs.status == ImportStatus.CHECKED and theirs.problem_rows == 0


def test_a_merge_after_the_check_is_still_refused_and_nothing_is_saved(team, monkeypatch):
    person = anna_with_two_accounts(team)
    job = make_job(team, csv_bytes(DISAGREEING_ROWS))
    # The two accounts came to one person after the file was checked.
    monkeypatch.setattr(checking, "_check_same_people", lambda *args: None)
    monkeypatch.setattr(writing, "WRITE_BATCH", 2)  # the two rows in different batches
    assert jobs.import_run(job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error == f"{DISAGREEMENT} Nothing from the file was saved."
    person.refresh_from_db()
    assert person.location == "Hamburg"
    assert sorted(SocialAccount.objects.values_list("handle", flat=True)) == [
        "anna.berg",
        "anna.tok",
    ]
    assert sorted(person.accounts.values_list("followers", flat=True)) == [3000, 5000]


def test_an_account_added_meanwhile_by_someone_else_fails_with_a_clear_message(team, monkeypatch):
    original = writing._existing_accounts

    def and_meanwhile(organization, batch):
        found = original(organization, batch)
        # Another import commits the same handle after this one looked for it.
        make_account(
            InfluencerFactory(organization=team.organization), platform="tiktok", handle="BenOde"
        )
        return found

    monkeypatch.setattr(writing, "_existing_accounts", and_meanwhile)
    job = make_job(team, csv_bytes(GOOD_ROWS))
    assert jobs.import_run(job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error == (
        "Another import or edit added one of these accounts at the same time; import the file "
        "again. Nothing from the file was saved."
    )
    assert not SocialAccount.objects.filter(handle__in=["anna.berg", "cara_cooks"]).exists()


# --- Headers and separators --------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["handle", "platform", "handle "],
        ["handle", "platform", "handle"],
        [" handle", "platform", "handle"],
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_column_named_twice_is_refused_when_read(team, marketer_client, header, kind):
    rows = [["a", "instagram", "b"]]
    data = csv_bytes(rows, header) if kind == "csv" else xlsx_bytes(rows, header)
    response = upload(marketer_client, data, name=f"roster.{kind}")
    message = "The file has two columns named “handle”: rename or remove one."
    assert message in marketer_client.get(response.url).content.decode()
    job = only_job()
    assert (job.status, job.error) == (ImportStatus.UNREADABLE, message)
    assert not ImportRow.objects.exists()


def test_a_stored_job_whose_file_names_a_column_twice_says_so(team, marketer_client):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("imports/twice.csv", ContentFile(b"handle,handle \na,b\n"))
    job = ImportJob.objects.create(
        organization=team.organization, original_name="twice.csv", file=name
    )
    assert jobs.import_job_read(job=job)
    response = marketer_client.get(reverse("influencers-import-detail", args=[job.code]))
    assert response.status_code == 200
    assert "two columns named “handle”" in response.content.decode()


def test_a_trailing_comma_on_the_data_rows_shifts_nothing(team, marketer_client):
    data = (
        b"name,platform,handle,followers\n"
        b"Anna,instagram,anna,4000,\n"
        b"Ben,tiktok,ben,12,\n"
        b"Cara,youtube,cara,7\n"
    )
    upload(marketer_client, data)
    job = only_job()
    assert job.column_mapping == {
        "name": "name",
        "platform": "platform",
        "handle": "handle",
        "followers": "followers",
    }
    assert job.columns == ["name", "platform", "handle", "followers"]
    marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 3
    anna = SocialAccount.objects.select_related("influencer").get(handle="anna")
    assert (anna.platform, anna.followers, anna.influencer.name) == ("instagram", 4000, "Anna")


def test_a_value_right_of_the_header_is_kept_in_a_column_of_its_own(team):
    data = b"platform,handle\ninstagram,anna,not forgotten\ntiktok,ben\n"
    job = make_job(team, data)
    assert job.columns == ["platform", "handle", "Unnamed: 2"]
    assert cells_of(job) == {2: ["instagram", "anna", "not forgotten"], 3: ["tiktok", "ben"]}


def test_a_workbook_header_with_semicolons_stays_one_column(team, marketer_client):
    header = ["platform", "handle", "notes; a; b; c"]
    rows = [["instagram", "anna", "x; y"], ["tiktok", "ben", ""]]
    upload(marketer_client, xlsx_bytes(rows, header), name="roster.xlsx")
    job = only_job()
    assert job.column_mapping == {"platform": "platform", "handle": "handle"}
    assert job.columns == header
    assert cells_of(job)[2] == ["instagram", "anna", "x; y"]
    marketer_client.post(reverse("influencers-import-run", args=[job.code]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 2


# --- A queued job nobody picked up -----------------------------------------------------------


def test_a_queued_job_no_worker_picked_up_can_be_started_again(
    team, marketer_client, manager_client, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr(jobs, "INLINE_MAX_ROWS", 2)
    job = make_job(team, csv_bytes(GOOD_ROWS))
    # Uploaded an hour ago, started now: the wait counts from the start.
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    run_url = reverse("influencers-import-run", args=[job.code])
    detail = reverse("influencers-import-detail", args=[job.code])
    with django_capture_on_commit_callbacks(execute=False) as lost:
        marketer_client.post(run_url)  # the task message never reaches a worker
    stalled = "No worker has picked this up yet. Check that the worker is running, or start it"
    html = marketer_client.get(detail).content.decode()
    assert "Waiting for a worker" in html and stalled not in html
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = marketer_client.post(run_url)
    assert not callbacks
    assert [str(m) for m in response.wsgi_request._messages] == [
        "A worker may still pick this import up. If nothing happens for 10 minutes, start it again."
    ]

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=11))
    html = marketer_client.get(detail).content.decode()
    assert stalled in html and "Start it again</button>" in html
    html = manager_client.get(detail).content.decode()
    assert stalled in html and "Start it again</button>" not in html
    assert manager_client.post(run_url).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(run_url)
    assert [str(m) for m in response.wsgi_request._messages] == ["The import was queued again."]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 3
    lost[0]()  # the first message turns up after all: it finds the job done
    assert SocialAccount.objects.count() == 3 and Influencer.objects.count() == 3
    assert "Start it again" not in marketer_client.get(detail).content.decode()


def test_a_job_a_worker_is_importing_is_never_taken_for_stalled(team, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    job = make_job(team, csv_bytes(GOOD_ROWS))
    seen = []
    original = writing.accounts_upsert

    def watch(**kwargs):
        # The job as the page sees it from outside the import's transaction: still queued.
        seen.append((job.status, jobs.import_job_stalled(job)))
        return original(**kwargs)

    monkeypatch.setattr(writing, "accounts_upsert", watch)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.QUEUED, created_at=timezone.now() - timedelta(hours=1)
    )
    job.refresh_from_db()
    assert jobs.import_job_stalled(job)  # no record of its queueing: the upload's time
    assert run_import(job.pk, team.organization.pk) is True
    assert seen == [(ImportStatus.QUEUED, False)]  # the worker reported itself at once


def test_a_country_column_takes_names_and_codes_and_refuses_what_is_no_country(team):
    data = (
        "Name,Platform,Handle,Country,City\n"
        "Ann,instagram,ann,Deutschland,Berlin\n"
        "Bo,instagram,bo,at,\n"
        "Cy,instagram,cy,Atlantis,\n"
        'Di,instagram,di,,"Basel, Switzerland"\n'
    )
    job = make_job(team, data.encode())
    assert job.column_mapping["country"] == "Country"
    assert problems_of(job) == {
        4: ["Unknown country “Atlantis”: use its name (Germany) or its two-letter code (DE)."]
    }
    data = data.replace("Cy,instagram,cy,Atlantis,\n", "")
    job = make_job(team, data.encode())
    assert jobs.import_run(job=job)
    places = {i.name: (i.location, i.country.code) for i in Influencer.objects.all()}
    assert places == {"Ann": ("Berlin", "DE"), "Bo": ("", "AT"), "Di": ("Basel", "CH")}
