"""Export of the filtered directory to CSV and XLSX, safe to open in a spreadsheet."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from influencers import exporting
from influencers.importing import jobs
from influencers.importing.checking import starts_a_formula
from influencers.models import Influencer, SocialAccount
from tests.factories import InfluencerFactory, make_account

DANGEROUS = ["=cmd|' /C calc'!A0", "+1", "-1", "@x", "\tlead tab", "\rcarriage"]
# Compatibility forms a spreadsheet folds to = and +: full-width, small.
LOOKALIKES = ['＝HYPERLINK("https://evil.example")', "﹢1"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def read_csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_xlsx(response):
    assert response["Content-Type"] == exporting.XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def export(client, **params):
    return client.get(reverse("influencers-export"), params)


@pytest.fixture
def dangerous(team):
    """An influencer whose text fields all start with a formula character."""
    person = InfluencerFactory(
        organization=team.organization,
        name=DANGEROUS[0],
        location=DANGEROUS[1],
        languages=[DANGEROUS[3]],
    )
    return make_account(
        person, handle="-dash", bio=DANGEROUS[2], profile_url="https://example.com/=x"
    )


@pytest.fixture
def lookalike(team):
    person = InfluencerFactory(
        organization=team.organization, name=LOOKALIKES[0], location=LOOKALIKES[1]
    )
    return make_account(person, platform="youtube", handle="wide")


@pytest.fixture
def carriage(team):
    person = InfluencerFactory(
        organization=team.organization, name=DANGEROUS[4], location=DANGEROUS[5]
    )
    return make_account(person, platform="tiktok", handle="tabby")


def test_csv_neutralises_formula_cells(team, marketer_client, dangerous, carriage, lookalike):
    response = export(marketer_client, format="csv")
    assert response.status_code == 200
    rows = {row["handle"]: row for row in read_csv(response)}
    assert rows["'-dash"]["name"] == "'=cmd|' /C calc'!A0"
    assert rows["'-dash"]["location"] == "'+1"
    assert rows["'-dash"]["bio"] == "'-1"
    assert rows["'-dash"]["languages"] == "'@x"
    assert rows["'-dash"]["profile_url"] == "https://example.com/=x"  # = not at the start
    assert rows["tabby"]["name"] == "'\tlead tab"
    assert rows["tabby"]["location"] == "'\rcarriage"
    assert rows["wide"]["name"] == "'" + LOOKALIKES[0]
    assert rows["wide"]["location"] == "'" + LOOKALIKES[1]
    for row in rows.values():
        for column, value in row.items():
            assert not starts_a_formula(value), (column, value)


def test_xlsx_neutralises_formula_cells(team, marketer_client, dangerous, carriage, lookalike):
    response = export(marketer_client, format="xlsx")
    assert response.status_code == 200
    rows = {row["handle"].value: row for row in read_xlsx(response)}
    assert rows["'-dash"]["name"].value == "'=cmd|' /C calc'!A0"
    assert rows["'-dash"]["location"].value == "'+1"
    assert rows["'-dash"]["bio"].value == "'-1"
    assert rows["'-dash"]["languages"].value == "'@x"
    assert rows["tabby"]["name"].value == "'\tlead tab"
    # XML reads a bare carriage return back as a line feed; the quote in front is what counts.
    assert rows["tabby"]["location"].value.replace("\n", "\r") == "'\rcarriage"
    assert rows["wide"]["name"].value == "'" + LOOKALIKES[0]
    for row in rows.values():
        for cell in row.values():
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not starts_a_formula(cell.value)


def test_missing_numbers_are_empty_cells_never_zero(team, marketer_client):
    person = InfluencerFactory(organization=team.organization, name="Measured")
    make_account(
        person,
        handle="measured",
        followers=4000,
        avg_likes=Decimal("554"),
        avg_comments=Decimal("40"),
    )
    make_account(
        InfluencerFactory(organization=team.organization, name="Unknown"), handle="unknown"
    )
    numbers = ["followers", "avg_likes", "avg_comments", "engagement_rate", "benchmark_ratio"]

    rows = {row["handle"]: row for row in read_csv(export(marketer_client))}
    assert [rows["unknown"][n] for n in numbers] == ["", "", "", "", ""]
    assert [rows["measured"][n] for n in numbers] == ["4000", "554.00", "40.00", "14.850", "2.475"]
    assert rows["measured"]["tier"] == "micro"
    assert rows["measured"]["engagement_interactions"] == "likes + comments"

    rows = {row["handle"].value: row for row in read_xlsx(export(marketer_client, format="xlsx"))}
    assert [rows["unknown"][n].value for n in numbers] == [None] * 5
    assert rows["measured"]["followers"].value == 4000
    assert rows["measured"]["engagement_rate"].value == pytest.approx(14.85)
    assert rows["measured"]["benchmark_ratio"].data_type == "n"
    assert rows["measured"]["audience_updated_at"].is_date


def test_the_export_follows_the_directorys_filters_and_sort(team, marketer_client):
    for handle, platform, followers in [
        ("alpha", "instagram", 500),
        ("beta", "tiktok", 5000),
        ("gamma", "tiktok", 50000),
    ]:
        person = InfluencerFactory(organization=team.organization, name=handle.title())
        make_account(person, handle=handle, platform=platform, followers=followers)
    rows = read_csv(export(marketer_client, platform="tiktok", sort="-followers"))
    assert [row["handle"] for row in rows] == ["gamma", "beta"]
    rows = read_csv(export(marketer_client, q="alp"))
    assert [row["handle"] for row in rows] == ["alpha"]
    rows = read_xlsx(export(marketer_client, format="xlsx", followers_min="1000", sort="handle"))
    assert [row["handle"].value for row in rows] == ["beta", "gamma"]
    # A filter with a bad value is left out rather than guessed (as on the directory).
    rows = read_csv(export(marketer_client, followers_min="lots"))
    assert len(rows) == 3


def test_a_manager_can_export_and_sees_only_their_organisation(team, manager_client):
    make_account(InfluencerFactory(organization=team.organization, name="Ours"), handle="ours")
    make_account(
        InfluencerFactory(organization=team.outsider.organization, name="Theirs"), handle="theirs"
    )
    response = export(manager_client, format="xlsx")
    assert response.status_code == 200
    slug = team.organization.slug
    assert response["Content-Disposition"].startswith(f'attachment; filename="influencers-{slug}-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert [row["handle"].value for row in read_xlsx(response)] == ["ours"]
    response = export(manager_client)
    assert response["Content-Disposition"].endswith('.csv"')
    assert [row["handle"] for row in read_csv(response)] == ["ours"]


def test_an_empty_directory_exports_the_header_only(team, marketer_client):
    assert read_csv(export(marketer_client)) == []
    assert read_xlsx(export(marketer_client, format="xlsx")) == []
    header = export(marketer_client).content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == exporting.COLUMNS


def test_an_unknown_format_is_refused(team, marketer_client):
    assert export(marketer_client, format="pdf").status_code == 400


def test_the_export_makes_the_same_queries_for_one_row_or_many(
    team, marketer_client, django_assert_max_num_queries
):
    make_account(InfluencerFactory(organization=team.organization), handle="first")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        export(marketer_client, format="csv")
    for n in range(20):
        make_account(InfluencerFactory(organization=team.organization), handle=f"h{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        export(marketer_client, format="csv")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_exported_file_imports_again_unchanged(
    team, marketer_client, dangerous, lookalike, kind
):
    make_account(
        InfluencerFactory(
            organization=team.organization, name="Anna", email="anna@example.com", status="partner"
        ),
        handle="anna",
        followers=4000,
        avg_likes=Decimal("554.5"),
        avg_comments=Decimal("40"),
        bio="Line one\nline two, with a comma",
    )
    Influencer.objects.get(name="Anna").niches.create(organization=team.organization, name="tea")
    response = export(marketer_client, format=kind)
    job = jobs.import_job_create(
        organization=team.organization,
        user=team.marketer.user,
        upload=SimpleUploadedFile(f"export.{kind}", response.content),
    )
    assert jobs.import_job_read(job=job)
    assert jobs.import_job_checked(job).problems == {}
    assert jobs.import_run(job=job)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 3), job.error
    assert SocialAccount.objects.count() == 3
