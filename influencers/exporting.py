"""Export of directory rows to CSV and XLSX: pure functions from accounts to file bytes.

The first columns are the import's target columns, so an exported file imports again
unchanged; the computed figures (tier, engagement rate and how it was computed, benchmark
ratio, where the numbers came from and when) follow, and the import ignores them.

Spreadsheets run a cell that starts with =, +, -, @, tab or carriage return (or a full-width
or other compatibility form of them) as a formula, so every text cell that does is prefixed
with a single quote (OWASP "CSV injection"); the import drops that quote again. Missing
numbers are empty cells, never 0.
"""

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from influencers.importing.checking import TARGETS, TARGETS_BY_KEY, starts_a_formula
from influencers.models import SocialAccount

COMPUTED_COLUMNS = [
    "tier",
    "engagement_rate",
    "engagement_interactions",
    "benchmark_ratio",
    "audience_source",
    "audience_updated_at",
    "engagement_source",
    "engagement_computed_at",
]
COLUMNS = [target.key for target in TARGETS] + COMPUTED_COLUMNS
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A text cell a spreadsheet would run as a formula, made plain text; others unchanged."""
    if isinstance(value, str) and starts_a_formula(value):
        return "'" + value
    return value


def account_row(account: SocialAccount) -> list:
    """One account as Python values in COLUMNS order; None where a number is missing.

    Expects `influencer`, `tier` and `influencer__niches` loaded with the account
    (selectors.directory_accounts does).
    """
    return [_value(account, key) for key in COLUMNS]


def _value(account: SocialAccount, key: str):
    influencer = account.influencer
    if key == "languages":
        return ", ".join(influencer.languages)
    if key == "niches":
        return ", ".join(niche.name for niche in influencer.niches.all())
    if key == "country":
        return influencer.country.code or ""  # the code, as the import reads it back
    if key == "tier":
        return account.tier.name if account.tier else ""
    target = TARGETS_BY_KEY.get(key)
    return getattr(influencer if target and target.on == "influencer" else account, key)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return str(neutralise(value))


def accounts_csv(accounts: Iterable[SocialAccount]) -> bytes:
    """CSV UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for account in accounts:
        writer.writerow([_csv_cell(value) for value in account_row(account)])
    return buffer.getvalue().encode("utf-8-sig")


def accounts_xlsx(accounts: Iterable[SocialAccount]) -> bytes:
    """An .xlsx workbook written in openpyxl's write-only mode (flat memory per row)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Influencers")
    sheet.append(COLUMNS)
    for account in accounts:
        sheet.append([_xlsx_cell(sheet, value) for value in account_row(account)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    if value is None or isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, datetime):
        # Excel has no time zones: write UTC, and say so in the format.
        cell = WriteOnlyCell(sheet, value=value.astimezone(UTC).replace(tzinfo=None))
        cell.number_format = 'yyyy-mm-dd hh:mm:ss "UTC"'
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters XML cannot hold
    cell = WriteOnlyCell(sheet, value=neutralise(text))
    cell.data_type = "s"  # text, whatever it looks like: never a formula
    return cell
