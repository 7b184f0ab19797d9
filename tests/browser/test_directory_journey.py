"""A marketer builds the influencer directory through the real product in headless Chromium.

She signs in, adds an influencer and her Instagram account by hand and reads the computed
engagement (the worked example: (554 + 40) / 4,000 = 14.85%, 2.5 times the 6.0% micro
benchmark); uploads a roster file with mistakes, reads each problem at its row and finds
nothing imported; uploads the fixed file and imports it; filters the directory to micro
Instagram accounts above their benchmark; and exports exactly those rows to XLSX and CSV,
with a formula smuggled in through the file made harmless. Pages and clicks only.
"""

import csv
import io
import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from influencers.models import ImportJob, SocialAccount
from tests.browser.pages import sign_in
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMULA = '=HYPERLINK("https://evil.example/steal","Click me")'
HEADER = [
    "Influencer",  # guessed as Name
    "Email",
    "City",
    "Niches",
    "Platform",
    "Username",  # guessed as Handle
    "Followers",
    "Average likes",
    "Average comments",
    "Posts averaged",
    "Bio",
]
# The good rows: Mia is micro and far above the Instagram micro benchmark (13.14% vs 6.0%),
# Ben is micro and below it (2%), Nell is nano and above hers, Tia is on TikTok.
MIA = ["Mia Glow", "mia@example.com", "Munich", "skincare, #Serum", "Instagram", "@mia.glow",
       "5000", "612", "45", "12", FORMULA]  # fmt: skip
BEN = ["Ben Low", "ben@example.com", "Hamburg", "skincare", "instagram", "ben.low",
       "8000", "150", "10", "12", "Weekly routines."]  # fmt: skip
NELL = ["Nell Nano", "", "Vienna", "skincare", "instagram", "nell.nano",
        "800", "100", "10", "10", ""]  # fmt: skip
TIA = ["Tia Tok", "", "Berlin", "skincare", "tiktok", "tia.tok",
       "6000", "700", "40", "10", ""]  # fmt: skip


def _row(name, handle, *, platform="instagram", followers="3000", email=""):
    """A row without likes and comments: its engagement is not measured."""
    return [name, email, "Berlin", "skincare", platform, handle, followers, "", "", "", ""]


BAD_FILE = [
    MIA,  # row 2
    BEN,  # row 3
    _row("No Handle", ""),  # row 4
    _row("Tom Space", "tom", platform="myspace"),  # row 5
    _row("Neg Ative", "neg.ative", followers="-5"),  # row 6
    _row("Many Fans", "many.fans", followers="many"),  # row 7
    _row("Bad Mail", "bad.mail", email="bad-mail@"),  # row 8
    _row("Mia Again", "MIA.glow"),  # row 9: the same account as row 2
    NELL,  # row 10
]
FIXED_FILE = [
    MIA,
    BEN,
    _row("Many Fans", "many.fans", followers="1,200"),  # Excel's thousands separator
    _row("Bad Mail", "bad.mail", email="bad.mail@example.com"),
    NELL,
    TIA,
]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _open_directory(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Influencers").click()
    expect(page.get_by_role("heading", name="Influencers", exact=True)).to_be_visible()


def _upload(page: Page, path) -> None:
    page.get_by_label("Roster file").set_input_files(path)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name=f"Import of {path.name}")).to_be_visible()


def _directory_handles(page: Page) -> list[str]:
    return [
        text.strip().lstrip("@")
        for text in page.locator("table.directory tbody tr td:nth-child(3)").all_inner_texts()
    ]


def test_marketer_adds_imports_filters_and_exports_influencers(new_page, live_server, tmp_path):
    url = live_server.url
    marketer = MembershipFactory(role=Role.MARKETER, organization__name="Glow Test Org")
    page = new_page()

    # 1. She signs in and opens the empty directory.
    sign_in(page, marketer.user.email)
    _open_directory(page)
    expect(page.get_by_text("No influencers in your directory yet.")).to_be_visible()

    # She adds Anna by hand (the header and the empty state both offer the link).
    page.get_by_role("link", name="Add an influencer").first.click()
    expect(page.get_by_role("heading", name="New influencer")).to_be_visible()
    page.get_by_label("Name").fill("Anna Scrub")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Country").select_option(label="Germany")
    page.get_by_label("Niches").fill("skincare")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Anna Scrub added. Add their accounts next.")).to_be_visible()
    expect(page.get_by_role("heading", name="Anna Scrub")).to_be_visible()
    expect(page.get_by_text("No accounts yet.")).to_be_visible()

    page.get_by_role("link", name="Add an account", exact=True).click()
    expect(page.get_by_role("heading", name="New account for Anna Scrub")).to_be_visible()
    page.get_by_label("Platform").select_option(label="Instagram")
    page.get_by_label("Handle").fill("anna.scrub")
    page.get_by_label("Followers").fill("4000")
    page.get_by_label("Average likes per post").fill("554")
    page.get_by_label("Average comments per post").fill("40")
    page.get_by_label("Posts averaged").fill("12")
    page.get_by_label("Engagement rate formula").select_option("followers")
    page.get_by_role("button", name="Save account").click()

    expect(page.get_by_text("Account @anna.scrub on Instagram added.")).to_be_visible()
    account = page.locator("section.account")
    expect(account.get_by_role("heading")).to_contain_text("Instagram · @anna.scrub")
    expect(account.get_by_role("heading")).to_contain_text("micro · 1,000–10,000")
    expect(account).to_contain_text("14.85%")
    expect(account).to_contain_text("2.5× · above")
    expect(account).to_contain_text("(554 likes + 40 comments) / 4,000 followers")
    expect(account).to_contain_text("averaged over 12 posts")
    expect(account).to_contain_text("2.5 times the Instagram micro benchmark of 6.0%")
    page.screenshot(path=str(tmp_path / "influencer.png"), full_page=True)

    # 2. She imports a roster file with mistakes; every problem is shown at its row.
    _open_directory(page)
    expect(page.get_by_text("1 account.")).to_be_visible()
    page.get_by_role("link", name="Import a file").click()
    expect(page.get_by_role("heading", name="Import influencers")).to_be_visible()
    _upload(page, _write_csv(tmp_path / "roster.csv", BAD_FILE))

    expect(page.locator(".import-summary")).to_have_text(
        re.compile(r"9 rows:\s+3 ready,\s+6 with problems\.")
    )
    problems = page.locator("table.problems-table")
    expect(problems.locator("tbody tr")).to_have_count(6)
    expected = {
        4: "Handle is missing.",
        5: "Unknown platform “myspace”: use instagram, tiktok, youtube or other.",
        6: "Followers must not be negative (-5).",
        7: "Followers “many” is not a number.",
        8: "Email “bad-mail@” is not a valid address.",
        9: "Same platform and handle as row 2: keep one of the two rows.",
    }
    for number, message in expected.items():
        row = problems.locator(f"tr#row-{number}")
        expect(row.locator("td").first).to_have_text(str(number))
        expect(row.locator("li")).to_have_text([message])
    for good in (2, 3, 10):
        expect(page.locator(f"tr#row-{good}")).to_have_count(0)
    # The preview marks the rows with problems and links to their messages.
    preview = page.locator("table.preview-table")
    expect(preview.locator("tbody tr.has-problems")).to_have_count(6)
    expect(preview.locator("tbody tr").nth(5).get_by_role("link")).to_have_text("1 problem")
    expect(page.get_by_text("Nothing can be imported while a row has a problem.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Import \d"))).to_have_count(0)
    page.screenshot(path=str(tmp_path / "preview-with-problems.png"), full_page=True)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Influencers").click()
    expect(page.get_by_text("1 account.")).to_be_visible()
    assert SocialAccount.objects.count() == 1

    # 3. She fixes the file and uploads it again; the guessed columns are right; she imports.
    page.get_by_role("link", name="Import a file").click()
    expect(page.get_by_role("row").filter(has_text="roster.csv")).to_contain_text(
        "6 rows with problems"
    )
    _upload(page, _write_csv(tmp_path / "roster-fixed.csv", FIXED_FILE))
    mapping = page.locator("form.mapping-form")
    for label, column in [
        ("Name", "Influencer"),
        ("Email", "Email"),
        ("City", "City"),
        ("Country", ""),
        ("Niches", "Niches"),
        ("Platform", "Platform"),
        ("Handle", "Username"),
        ("Followers", "Followers"),
        ("Average likes", "Average likes"),
        ("Average comments", "Average comments"),
        ("Posts averaged", "Posts averaged"),
        ("Bio", "Bio"),
        ("Posts", ""),
    ]:
        expect(mapping.get_by_label(label, exact=True)).to_have_value(column)
    expect(page.locator(".import-summary")).to_have_text(
        re.compile(r"6 rows:\s+6 ready,\s+0 with problems\.")
    )
    expect(page.locator("table.problems-table")).to_have_count(0)
    page.get_by_role("button", name="Import 6 rows").click()

    expect(
        page.get_by_text("roster-fixed.csv imported: 6 new, 0 updated, 0 unchanged.")
    ).to_be_visible()
    result = page.locator("section.card").filter(has=page.get_by_role("heading", name="Imported"))
    expect(result.locator("dt:has-text('New accounts') + dd")).to_have_text("6")
    expect(result.locator("dt:has-text('Updated') + dd")).to_have_text("0")
    expect(result.locator("dt:has-text('Unchanged') + dd")).to_have_text("0")
    assert ImportJob.objects.get(original_name="roster-fixed.csv").status == "done"

    # 4. In the directory she narrows to micro Instagram accounts above their benchmark.
    page.get_by_role("link", name="Open the directory").click()
    expect(page.get_by_text("7 accounts.")).to_be_visible()
    page.screenshot(path=str(tmp_path / "directory.png"), full_page=True)
    page.get_by_label("Tier").select_option(label="micro (1,000–10,000)")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("6 accounts match the filters.")).to_be_visible()
    assert sorted(_directory_handles(page)) == sorted(
        ["anna.scrub", "bad.mail", "ben.low", "many.fans", "mia.glow", "tia.tok"]
    )

    page.get_by_label("Platform").select_option(label="Instagram")
    page.get_by_label("Engagement vs benchmark").select_option(label="Above benchmark")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/influencers/\?.*verdict=above"))
    expect(page.get_by_text("2 accounts match the filters.")).to_be_visible()
    rows = page.locator("table.directory tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Anna Scrub")
    expect(rows.nth(0)).to_contain_text("14.85%")
    expect(rows.nth(0)).to_contain_text("2.5× · above")
    expect(rows.nth(1)).to_contain_text("Mia Glow")
    expect(rows.nth(1)).to_contain_text("@mia.glow")
    expect(rows.nth(1)).to_contain_text("13.14%")
    expect(rows.nth(1)).to_contain_text("2.2× · above")
    expect(rows.nth(1)).to_contain_text("serum")
    expect(page.get_by_role("table")).not_to_contain_text("Ben Low")
    expect(page.get_by_role("table")).not_to_contain_text("Nell Nano")
    # The filters stay chosen after the page reloads with them.
    expect(page.get_by_label("Platform")).to_have_value("instagram")
    expect(page.get_by_label("Engagement vs benchmark")).to_have_value("above")
    page.screenshot(path=str(tmp_path / "filtered-directory.png"), full_page=True)
    filtered_handles = _directory_handles(page)
    assert filtered_handles == ["anna.scrub", "mia.glow"]

    # 5. She exports the filtered rows, to XLSX and to CSV.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export XLSX").click()
    download = download_info.value
    assert re.fullmatch(r"influencers-.+-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    xlsx_path = tmp_path / download.suggested_filename
    download.save_as(xlsx_path)
    sheet = openpyxl.load_workbook(xlsx_path).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header, body = table[0], table[1:]
    assert header[:4] == ["name", "email", "country", "location"]
    exported = [dict(zip(header, row, strict=True)) for row in body]
    assert [row["handle"] for row in exported] == filtered_handles
    anna, mia = exported
    assert anna["name"] == "Anna Scrub" and anna["country"] == "DE"
    assert anna["engagement_rate"] == pytest.approx(14.85)
    assert anna["benchmark_ratio"] == pytest.approx(2.475)
    assert anna["followers"] == 4000
    assert anna["tier"] == "micro"
    assert anna["engagement_formula"] == "followers"
    assert anna["niches"] == "skincare"
    assert mia["bio"] == "'" + FORMULA  # plain text in a spreadsheet, never a live link
    assert sheet.cell(row=3, column=header.index("bio") + 1).data_type == "s"
    assert mia["niches"] == "serum, skincare"
    for row in exported:
        for column, value in row.items():
            assert not (isinstance(value, str) and value.startswith(("=", "+", "-", "@"))), (
                column,
                value,
            )

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    csv_path = tmp_path / download.suggested_filename
    download.save_as(csv_path)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the byte-order mark for UTF-8
    exported_csv = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [row["handle"] for row in exported_csv] == filtered_handles
    anna_csv, mia_csv = exported_csv
    assert anna_csv["engagement_rate"] == "14.850"
    assert anna_csv["benchmark_ratio"] == "2.475"
    assert anna_csv["followers"] == "4000"
    assert mia_csv["bio"] == "'" + FORMULA
    assert mia_csv["engagement_rate"] == "13.140"

    # The page is still the filtered directory (a download does not navigate).
    expect(page).to_have_url(re.compile(rf"^{re.escape(url)}/influencers/\?"))
