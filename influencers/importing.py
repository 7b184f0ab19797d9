"""Roster imports from CSV and XLSX files: read, map columns, check every row, then upsert.

The flow a marketer sees: upload a file (`import_job_create`), check the column mapping and a
preview listing every row's problems (`import_job_map`, `import_job_check`), fix the file and
upload it again until no row has a problem, then import (`import_job_start`). Small files
import inline; large ones run as the `influencers.run_import` task with a progress bar.

Everything is set-based so a 10,000-row file imports in seconds: the checks run column by
column over the whole pandas frame, and the write works in batches of `WRITE_BATCH` rows
(one SELECT of the batch's existing accounts, then bulk INSERTs and upserts), all inside ONE
transaction, so an import is all-or-nothing. An account is matched by (organisation,
platform, lower(handle)); a re-import of the same file finds every row equal to what is
stored and writes nothing.
"""

import csv
import io
import logging
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization, Platform
from influencers import services
from influencers.models import (
    DataSource,
    EngagementFormula,
    ImportJob,
    ImportStatus,
    Influencer,
    RelationshipStatus,
    SocialAccount,
)

logger = logging.getLogger(__name__)

MAX_FILE_MB = 10
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_ROWS = 50_000
# An .xlsx is compressed: a small file can unpack to gigabytes (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
INLINE_MAX_ROWS = 2_000  # larger files run as a Celery task with a progress bar
WRITE_BATCH = 1_000
REFRESH_CHUNK = 10_000  # ids per refresh_derived call: one call for any file up to this size
PROGRESS_TTL = 6 * 3600
QUEUED_TTL = 7 * 24 * 3600
# A queued job no worker has started on for this long can be queued again by the user.
STALLED_AFTER = timedelta(minutes=10)

MSG_TOO_LARGE = (
    f"The file is larger than {MAX_FILE_MB} MB. Split it into smaller files and import them "
    "one after another."
)
MSG_NOT_UTF8 = "The file is not UTF-8 text. In Excel use Save As → CSV UTF-8."
MSG_BINARY_CSV = (
    "The file is not a CSV text file (it contains binary data). Upload a .csv saved as "
    "CSV UTF-8, or an .xlsx workbook."
)
MSG_NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx). In Excel use Save As → Excel Workbook (.xlsx) "
    "or CSV UTF-8."
)
MSG_OLD_XLS = (
    "Old .xls workbooks cannot be read. In Excel use Save As → Excel Workbook (.xlsx) or CSV UTF-8."
)
MSG_EXTENSION = "Upload a .csv or .xlsx file."
MSG_EMPTY = "The file has no rows under its header row."
MSG_TOO_MANY_ROWS = (
    f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files and import them "
    "one after another."
)
MSG_FILE_GONE = "The uploaded file is no longer available. Upload it again."
MSG_SAME_COLUMN = "The file has two columns named “{name}”: rename or remove one."


# --- Target columns -------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A column the import understands, and the header names that probably mean it."""

    key: str
    label: str
    kind: str  # text, platform, handle, email, url, status, formula, list, niches, int, decimal
    required: bool = False
    max_length: int | None = None
    min_value: int = 0
    guesses: tuple[str, ...] = ()
    on: str = "account"  # which row the value lands on: "account" or "influencer"


TARGETS: list[Target] = [
    Target("name", "Name", "text", max_length=120, on="influencer",
           guesses=("fullname", "influencer", "influencername", "creator", "creatorname")),
    Target("email", "Email", "email", max_length=254, on="influencer",
           guesses=("emailaddress", "mail", "contactemail")),
    Target("location", "Location", "text", max_length=120, on="influencer",
           guesses=("city", "country", "place")),
    Target("languages", "Languages", "list", on="influencer", guesses=("language", "lang")),
    Target("niches", "Niches", "niches", on="influencer",
           guesses=("niche", "tags", "tag", "topics", "categories", "category")),
    Target("status", "Status", "status", on="influencer",
           guesses=("relationship", "relationshipstatus", "stage")),
    Target("platform", "Platform", "platform", required=True,
           guesses=("network", "channel", "socialnetwork", "site")),
    Target("handle", "Handle", "handle", required=True, max_length=100,
           guesses=("username", "user", "account", "accountname", "screenname", "ighandle")),
    Target("profile_url", "Profile URL", "url", max_length=200,
           guesses=("url", "profile", "link", "profilelink")),
    Target("followers", "Followers", "int",
           guesses=("followerscount", "followercount", "subscribers", "fans", "audience")),
    Target("following", "Following", "int", guesses=("followingcount", "follows")),
    Target("posts_count", "Posts", "int",
           guesses=("posts", "postcount", "numberofposts", "media", "mediacount", "videos")),
    Target("avg_likes", "Average likes", "decimal",
           guesses=("likes", "averagelikes", "likesperpost")),
    Target("avg_comments", "Average comments", "decimal",
           guesses=("comments", "averagecomments", "commentsperpost")),
    Target("avg_saves", "Average saves", "decimal",
           guesses=("saves", "averagesaves", "savesperpost")),
    Target("avg_shares", "Average shares", "decimal",
           guesses=("shares", "averageshares", "sharesperpost")),
    Target("avg_reach", "Average reach", "int", guesses=("reach", "averagereach")),
    Target("avg_views", "Average views", "int", guesses=("views", "averageviews")),
    Target("engagement_sample_size", "Posts averaged", "int", min_value=1,
           guesses=("samplesize", "postsaveraged", "sample")),
    Target("engagement_formula", "Engagement formula", "formula",
           guesses=("formula", "engagementrateformula", "erformula")),
    Target("bio", "Bio", "text", guesses=("biography", "description", "about")),
]  # fmt: skip
TARGETS_BY_KEY = {target.key: target for target in TARGETS}
INFLUENCER_KEYS = [t.key for t in TARGETS if t.on == "influencer" and t.key != "niches"]
ACCOUNT_KEYS = [t.key for t in TARGETS if t.on == "account"]
PLATFORMS = set(Platform.values)
STATUSES = {
    **{value: value for value in RelationshipStatus.values},
    **{label.lower(): value for value, label in RelationshipStatus.choices},
}
INT_MAX = 2_147_483_647  # PositiveIntegerField on every database
DECIMAL_MAX = Decimal("9999999999.99")  # max_digits=12, decimal_places=2
CENTS = Decimal("0.01")
HANDLE_RE = re.compile(r"[\w.\-]+")
THOUSANDS_RE = r"\d{1,3}(,\d{3})+(\.\d+)?"
# Exports prefix these with a quote so spreadsheets never run them (see exporting.py);
# the quote is dropped again here so an exported file re-imports unchanged.
FORMULA_TRIGGERS = "=+-@\t\r"


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(header).lower())


def guess_mapping(columns) -> dict[str, str]:
    """Target key -> file column, by header name; each file column is used at most once."""
    keys = {column: _header_key(column) for column in columns}
    mapping: dict[str, str] = {}
    # Exact names first ("likes" must not take the column literally called "avg_likes").
    for names_of in (lambda t: {_header_key(t.key), _header_key(t.label)}, lambda t: t.guesses):
        for target in TARGETS:
            if target.key in mapping:
                continue
            names = set(names_of(target))
            for column in columns:
                if column not in mapping.values() and keys[column] in names:
                    mapping[target.key] = column
                    break
    return {target.key: mapping[target.key] for target in TARGETS if target.key in mapping}


# --- Reading -----------------------------------------------------------------------------------


def read_table(data: bytes, name: str, *, separator: str | None = None) -> pd.DataFrame:
    """The file's first sheet as text cells, indexed by spreadsheet row number.

    Row 1 is the header, so the first data row is row 2, as the user sees it in Excel.
    Empty rows are dropped. `separator` is for CSV files we wrote ourselves; a user's CSV
    has it guessed from the header. Raises ValidationError with a message for the user.
    """
    return _tidy(_read_cells(data, name, separator=separator))


def _read_cells(data: bytes, name: str, *, separator: str | None = None) -> pd.DataFrame:
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(MSG_TOO_LARGE)
    extension = Path(name).suffix.lower()
    if extension == ".csv":
        return _read_csv(data, separator)
    if extension == ".xlsx":
        return _read_xlsx(data)
    if extension == ".xls":
        raise ValidationError(MSG_OLD_XLS)
    raise ValidationError(MSG_EXTENSION)


def _with_header(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells read without a header (columns 0, 1, ...): the first row becomes the header.

    Read this way, and not by pandas, so that a name given twice is seen (pandas renames
    the second "handle" to "handle.1"), and so that cells to the right of the header
    (a trailing comma on every data row) stay in columns of their own instead of pushing
    the row's values one column over. A column without a name is "Unnamed: <position>", as
    pandas calls it; one to the right of the header that is empty all the way down is
    dropped.
    """
    if cells.empty:
        raise ValidationError(MSG_EMPTY)
    header = ["" if pd.isna(name) else str(name).strip() for name in cells.iloc[0]]
    frame = cells.iloc[1:].fillna("")
    width = max((i + 1 for i, name in enumerate(header) if name), default=0)
    keep = [i for i in range(len(header)) if i < width or (frame.iloc[:, i] != "").any()]
    frame = frame.iloc[:, keep]
    frame.columns = [header[i] or f"Unnamed: {i}" for i in keep]
    seen = set()
    for name in frame.columns:
        if name in seen:
            raise ValidationError(MSG_SAME_COLUMN.format(name=_shown(name)))
        seen.add(name)
    return frame.reset_index(drop=True)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = [str(column).strip() for column in frame.columns]
    frame = frame.apply(lambda column: column.astype(str).str.strip())
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    frame = frame[(frame != "").any(axis=1)] if len(frame.columns) else frame
    if frame.empty:
        raise ValidationError(MSG_EMPTY)
    if len(frame) > MAX_ROWS:
        raise ValidationError(MSG_TOO_MANY_ROWS)
    return frame


def _read_csv(data: bytes, separator: str | None = None) -> pd.DataFrame:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, Excel's "Unicode Text"
        raise ValidationError(MSG_NOT_UTF8)
    if b"\x00" in data:
        raise ValidationError(MSG_BINARY_CSV)
    try:
        text = data.decode("utf-8-sig")  # utf-8, with or without Excel's byte-order mark
    except UnicodeDecodeError:
        raise ValidationError(MSG_NOT_UTF8) from None
    if not text.strip():
        raise ValidationError(MSG_EMPTY)
    if separator is None:
        header = re.sub(r'"[^"]*"', "", text.lstrip().split("\n", 1)[0])  # quoted names aside
        # Excel in many European locales saves CSV with semicolons.
        separator = max([",", ";", "\t"], key=header.count)
    try:
        # The widest row, so that every row's cells land in their own columns (pandas
        # would take a trailing comma on the data rows for an index column, or drop it).
        width = max(map(len, csv.reader(io.StringIO(text), delimiter=separator)), default=0)
        return _with_header(
            pd.read_csv(
                io.StringIO(text),
                sep=separator,
                header=None,
                names=range(max(width, 1)),
                index_col=False,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,  # keeps row numbers equal to the spreadsheet's
            )
        )
    except pd.errors.EmptyDataError:
        raise ValidationError(MSG_EMPTY) from None
    except (pd.errors.ParserError, csv.Error) as error:
        detail = str(error).removeprefix("Error tokenizing data. C error: ").strip()
        raise ValidationError(
            f"The file could not be read as CSV ({detail}). Check quotes and separators."
        ) from None


def _read_xlsx(data: bytes) -> pd.DataFrame:
    if not data.startswith(b"PK\x03\x04"):  # an .xlsx is a zip archive
        raise ValidationError(MSG_NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise ValidationError(MSG_NOT_XLSX) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ValidationError(MSG_TOO_LARGE)
    try:
        cells = pd.read_excel(
            io.BytesIO(data), engine="openpyxl", header=None, dtype=str, na_filter=False
        )
    except ValueError as error:
        if "empty" in str(error).lower():
            raise ValidationError(MSG_EMPTY) from None
        raise ValidationError(MSG_NOT_XLSX) from None
    except Exception:  # a damaged zip fails in many ways; all mean "not xlsx"
        raise ValidationError(MSG_NOT_XLSX) from None
    return _with_header(cells)


# --- Checking ----------------------------------------------------------------------------------


@dataclass
class Checked:
    """A file's rows under one mapping: normalised values and every row's problems."""

    rows: pd.DataFrame  # one column per target, Python values; index = spreadsheet row
    problems: dict[int, list[str]] = field(default_factory=dict)
    mapping_errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def bad(self) -> int:
        return self.total if self.mapping_errors else len(self.problems)

    @property
    def good(self) -> int:
        return self.total - self.bad

    @property
    def ok(self) -> bool:
        return not self.mapping_errors and not self.problems

    def refusal(self) -> str:
        """Why the file cannot be imported as it is."""
        if self.mapping_errors:
            return " ".join(self.mapping_errors)
        rows = "1 row has a problem" if self.bad == 1 else f"{self.bad:,} rows have problems"
        return f"{rows}. Fix the file and upload it again."


def _shown(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


class _Problems:
    def __init__(self):
        self.by_row: dict[int, list[str]] = defaultdict(list)

    def flag(self, mask: pd.Series, values: pd.Series, message: str) -> None:
        """Add `message` (with {value} filled in) to every row where `mask` holds."""
        for row in mask.index[mask.to_numpy(dtype=bool, na_value=False)]:
            self.by_row[int(row)].append(message.format(value=_shown(values.at[row])))


def check_rows(frame: pd.DataFrame, mapping: dict[str, str], organization=None) -> Checked:
    """Normalise the mapped columns and list every row's problems, column by column.

    With the `organization` (a model or its id), rows are also checked against its stored
    accounts: two rows for accounts of one person must not give that person different
    values.
    """
    missing = [
        f"Choose the file's column for {target.label}."
        for target in TARGETS
        if target.required and mapping.get(target.key) not in frame.columns
    ]
    raw = pd.DataFrame(index=frame.index)
    for target in TARGETS:
        column = mapping.get(target.key)
        raw[target.key] = frame[column] if column in frame.columns else ""
        raw[target.key] = raw[target.key].astype(str).map(_unquote)
    rows = pd.DataFrame(index=frame.index)
    problems = _Problems()
    for target in TARGETS:
        rows[target.key] = _CHECKS[target.kind](raw[target.key], target, problems)
    _check_formula_denominators(rows, problems)
    if not missing:
        _check_duplicates(rows, problems)
        if organization is not None:
            given = {key for key, column in mapping.items() if column in frame.columns}
            _check_same_people(organization, rows, given, problems)
    return Checked(rows=rows, problems=dict(problems.by_row), mapping_errors=missing)


def _unquote(value: str) -> str:
    """Drop the quote an export puts before a formula character ("'=x" -> "=x")."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def _given(values: pd.Series) -> pd.Series:
    return values != ""


def _too_long(values, target, problems):
    if target.max_length:
        problems.flag(
            values.str.len() > target.max_length,
            values,
            f"{target.label} is longer than {target.max_length} characters.",
        )


def _text(values, target, problems):
    _too_long(values, target, problems)
    return values.astype(object)


def _platform(values, target, problems):
    platform = values.str.lower()
    problems.flag(~_given(values), values, "Platform is missing.")
    problems.flag(
        _given(values) & ~platform.isin(PLATFORMS),
        values,
        "Unknown platform “{value}”: use instagram, tiktok, youtube or other.",
    )
    return platform.astype(object)


def _handle(values, target, problems):
    handle = values.str.lstrip("@").str.strip()
    problems.flag(~_given(handle), values, "Handle is missing.")
    invalid = handle.map(lambda h: h != "" and not HANDLE_RE.fullmatch(h))
    problems.flag(
        invalid, values, "Handle “{value}” may have letters, digits, dots, dashes and _ only."
    )
    _too_long(handle, target, problems)
    return handle.astype(object)


_email_validator = EmailValidator()
_url_validator = URLValidator(schemes=["http", "https"])


def _passes(validator):
    def check(value: str) -> bool:
        try:
            validator(value)
        except ValidationError:
            return False
        return True

    return check


def _email(values, target, problems):
    email = values.str.lower()
    invalid = _given(email) & ~email.map(_passes(_email_validator))
    problems.flag(invalid, values, "Email “{value}” is not a valid address.")
    _too_long(email, target, problems)
    return email.astype(object)


def _url(values, target, problems):
    url = values.where(
        ~_given(values) | values.str.contains("://", regex=False), "https://" + values
    )
    invalid = _given(url) & ~url.map(_passes(_url_validator))
    problems.flag(invalid, values, "Profile URL “{value}” is not a web address.")
    _too_long(url, target, problems)
    return url.astype(object)


def _status(values, target, problems):
    status = values.str.lower().str.replace("_", " ").map(lambda v: STATUSES.get(v, ""))
    problems.flag(
        _given(values) & (status == ""),
        values,
        "Unknown status “{value}”: use prospect, contacted, partner or do not contact.",
    )
    return status.astype(object)


FORMULAS = {
    **{value: value for value in EngagementFormula.values},
    **{label: value for value, label in EngagementFormula.choices},
}
# A rate by reach or by views divides by that average, so the row must give it.
FORMULA_NEEDS = {EngagementFormula.REACH: "avg_reach", EngagementFormula.VIEWS: "avg_views"}


def _formula(values, target, problems):
    formula = values.str.strip().str.lower().map(lambda v: FORMULAS.get(v, ""))
    problems.flag(
        _given(values) & (formula == ""),
        values,
        "Unknown engagement formula “{value}”: use followers, reach or views.",
    )
    return formula.astype(object)


def _check_formula_denominators(rows: pd.DataFrame, problems: "_Problems") -> None:
    for formula, needed in FORMULA_NEEDS.items():
        label = TARGETS_BY_KEY[needed].label
        problems.flag(
            (rows["engagement_formula"] == formula) & rows[needed].isna(),
            rows["engagement_formula"],
            f"The formula “{{value}}” divides by {label.lower()}: give {label} in this row.",
        )


def _split(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,;]", value) if item.strip()]


def _list(values, target, problems):
    return values.map(_split).astype(object)


def _niches(values, target, problems):
    # The same normalisation as services.niches_resolve: no #, lower case, no repeats.
    niches = values.map(
        lambda v: [n for n in dict.fromkeys(x.lstrip("#").strip().lower() for x in _split(v)) if n]
    )
    problems.flag(
        niches.map(lambda names: any(len(n) > 60 for n in names)),
        values,
        "A niche is longer than 60 characters.",
    )
    return niches.astype(object)


def _numbers(values, target, problems, *, whole: bool):
    given = _given(values)
    thousands = values.str.fullmatch(THOUSANDS_RE)
    cleaned = values.where(~thousands, values.str.replace(",", "", regex=False))
    number = pd.to_numeric(cleaned.where(given), errors="coerce")
    finite = number.notna() & number.abs().ne(float("inf"))
    problems.flag(given & ~finite, values, f"{target.label} “{{value}}” is not a number.")
    problems.flag(
        finite & (number < 0), values, f"{target.label} must not be negative ({{value}})."
    )
    if target.min_value > 0:
        problems.flag(
            finite & (number >= 0) & (number < target.min_value),
            values,
            f"{target.label} must be at least {target.min_value}.",
        )
    if whole:
        problems.flag(finite & (number % 1 != 0), values, f"{target.label} must be a whole number.")
        problems.flag(finite & (number > INT_MAX), values, f"{target.label} is too large.")
        valid = finite & (number >= 0) & (number % 1 == 0) & (number <= INT_MAX)
        result = pd.Series([None] * len(values), index=values.index, dtype=object)
        result[valid] = [int(n) for n in number[valid]]
        return result
    problems.flag(finite & (number > float(DECIMAL_MAX)), values, f"{target.label} is too large.")
    valid = finite & (number >= 0) & (number <= float(DECIMAL_MAX))
    result = pd.Series([None] * len(values), index=values.index, dtype=object)
    result[valid] = [_decimal(text) for text in cleaned[valid]]
    return result


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text).quantize(CENTS)
    except InvalidOperation:
        return None


_CHECKS = {
    "text": _text,
    "platform": _platform,
    "handle": _handle,
    "email": _email,
    "url": _url,
    "status": _status,
    "formula": _formula,
    "list": _list,
    "niches": _niches,
    "int": lambda v, t, p: _numbers(v, t, p, whole=True),
    "decimal": lambda v, t, p: _numbers(v, t, p, whole=False),
}


def _check_duplicates(rows: pd.DataFrame, problems: _Problems) -> None:
    key = rows["platform"].astype(str) + "\x00" + rows["handle"].astype(str).str.casefold()
    keyed = (rows["platform"] != "") & (rows["handle"] != "")
    key = key[keyed]
    first_row = key.index.to_series(index=key.index).groupby(key).transform("first")
    problems.flag(
        key.duplicated(keep="first"),
        first_row,
        "Same platform and handle as row {value}: keep one of the two rows.",
    )


PLURALS = {
    "name": "names",
    "email": "emails",
    "location": "locations",
    "languages": "languages",
    "status": "statuses",
}


def _value_text(key: str, value) -> str:
    if key == "status":
        return _shown(RelationshipStatus(value).label)
    return _shown(", ".join(value) if isinstance(value, list) else value)


def _disagreement(key: str, person: str, first: tuple[int, object], then: tuple[int, object]):
    """The problem of two rows that give one person two different values."""
    return (
        f"Rows {first[0]} and {then[0]} give different {PLURALS[key]} for {_shown(person)} "
        f"(“{_value_text(key, first[1])}”, “{_value_text(key, then[1])}”): make them agree."
    )


def _check_same_people(organization, rows: pd.DataFrame, given, problems: _Problems) -> None:
    """Rows whose stored accounts belong to one influencer must agree on that person's fields.

    A person with an Instagram and a TikTok account has two rows in an exported file, both
    with their name, email, location...: equal values are fine, but two different ones would
    each overwrite the other, so the later row gets a problem naming both rows.
    """
    keys = [key for key in INFLUENCER_KEYS if key in given]
    if not keys:
        return
    handle_keys = rows["handle"].map(lambda h: SocialAccount.key_for(h) if h else "")
    usable = rows["platform"].isin(PLATFORMS) & (handle_keys != "")
    usable &= ~(rows["platform"] + "\x00" + handle_keys).duplicated(keep="first")
    numbers = [int(number) for number in rows.index[usable]]
    pairs = list(zip(rows["platform"][usable], handle_keys[usable], strict=True))
    by_platform = defaultdict(list)
    for platform, handle_key in pairs:
        by_platform[platform].append(handle_key)
    owner = {}  # (platform, handle key) -> influencer id
    names = {}  # influencer id -> name
    for platform, wanted in by_platform.items():
        for start in range(0, len(wanted), WRITE_BATCH):
            for handle_key, influencer_id, name in SocialAccount.objects.filter(
                organization=organization,
                platform=platform,
                handle_key__in=wanted[start : start + WRITE_BATCH],
            ).values_list("handle_key", "influencer_id", "influencer__name"):
                owner[platform, handle_key] = influencer_id
                names[influencer_id] = name
    rows_of = defaultdict(list)  # influencer id -> its spreadsheet rows, in order
    for number, pair in zip(numbers, pairs, strict=True):
        if pair in owner:
            rows_of[owner[pair]].append(number)
    values = {key: dict(zip(numbers, rows[key][usable], strict=True)) for key in keys}
    for influencer_id, group in rows_of.items():
        if len(group) < 2:
            continue
        for key in keys:
            first = None
            for number in group:
                value = values[key][number]
                if not _has_value(value):
                    continue
                if first is None:
                    first = (number, value)
                elif value != first[1]:
                    problems.by_row[number].append(
                        _disagreement(key, names[influencer_id], first, (number, value))
                    )


# --- Jobs: upload, mapping, preview, start -------------------------------------------------------


def import_job_list(*, organization: Organization):
    return ImportJob.objects.filter(organization=organization).select_related("created_by")


def import_job_create(*, organization: Organization, user, upload) -> ImportJob:
    """Store an uploaded file as a job, with the mapping guessed from its header.

    Raises ValidationError with a message for the user when the file cannot be read.
    """
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(MSG_TOO_LARGE)
    data = upload.read()
    cells = _read_cells(data, upload.name)
    suffix = Path(upload.name).suffix.lower()
    if suffix == ".xlsx":
        # Parsing a workbook takes seconds where the same cells as CSV take milliseconds,
        # and the preview, the start and the task each read the file again: keep its first
        # sheet as CSV UTF-8, blank rows included so row numbers stay the spreadsheet's.
        # It is read back with a comma, never a guessed separator (see import_job_read).
        data, suffix = cells.to_csv(index=False).encode(), ".csv"
    frame = _tidy(cells)
    job = ImportJob(
        organization=organization,
        created_by=user,
        original_name=Path(upload.name).name[:255],
        column_mapping=guess_mapping(list(frame.columns)),
        total_rows=len(frame),
    )
    job.file.save(f"{job.code}{suffix}", ContentFile(data), save=False)
    job.save()
    return job


def import_job_read(job: ImportJob) -> pd.DataFrame:
    """The job's file as a frame; ValidationError when it is gone or unreadable."""
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        raise ValidationError(MSG_FILE_GONE) from None
    # A workbook is kept as the CSV that import_job_create wrote, with commas: guessing the
    # separator from its header would split a column named "notes; a; b" on the semicolons.
    ours = Path(job.original_name).suffix.lower() == ".xlsx"
    return read_table(data, job.file.name, separator="," if ours else None)


def import_job_check(job: ImportJob) -> Checked:
    return check_rows(import_job_read(job), job.column_mapping, job.organization_id)


def import_job_map(*, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Keep the columns the user chose for the targets."""
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.FAILED):
        raise ValidationError("This file was imported already; upload it again to change it.")
    unknown = set(mapping) - set(TARGETS_BY_KEY)
    if unknown:
        raise ValidationError(f"Unknown target columns: {', '.join(sorted(unknown))}.")
    job.column_mapping = {key: column for key, column in mapping.items() if column}
    job.save(update_fields=["column_mapping"])
    return job


def _claim(job: ImportJob, from_statuses, to_status) -> bool:
    """Move the job on only if it is still where we expect: one caller wins a race."""
    changed = ImportJob.objects.filter(
        pk=job.pk, organization=job.organization_id, status__in=list(from_statuses)
    ).update(status=to_status, error="", processed_rows=0, finished_at=None)
    if changed:
        job.status, job.error, job.processed_rows, job.finished_at = to_status, "", 0, None
    return bool(changed)


STARTABLE = (ImportStatus.UPLOADED, ImportStatus.FAILED)


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Import a file without problems: inline when small, else queued as a Celery task.

    A queued job that no worker has picked up (`import_job_stalled`) is queued again.
    """
    if job.status == ImportStatus.QUEUED:
        return import_job_requeue(job=job)
    checked = import_job_check(job)
    if not checked.ok:
        raise ValidationError(checked.refusal())
    if checked.total <= INLINE_MAX_ROWS:
        import_run(job=job, from_statuses=STARTABLE)
        return job
    if _claim(job, STARTABLE, ImportStatus.QUEUED):
        _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    from influencers.tasks import run_import

    cache.set(_queued_key(job.pk), timezone.now().timestamp(), QUEUED_TTL)
    job_id, organization_id = job.pk, job.organization_id
    transaction.on_commit(lambda: run_import.delay(job_id, organization_id))


def _queued_key(job_id: int) -> str:
    return f"influencers:import-queued:{job_id}"


def import_job_stalled(job: ImportJob) -> bool:
    """Whether a queued job has waited STALLED_AFTER without a worker starting on it.

    Most likely its task message was lost (a broker restart, a purged queue): the user may
    queue it again. The time it was queued is kept in the cache (the job's created_at, the
    upload, when the cache has lost it). A worker that has claimed the job reports progress
    from the start, so a job that is merely slow is never taken for a stalled one.
    """
    if job.status != ImportStatus.QUEUED or import_progress(job) is not None:
        return False
    queued = cache.get(_queued_key(job.pk))
    queued_at = datetime.fromtimestamp(queued, tz=UTC) if queued else job.created_at
    return timezone.now() - queued_at >= STALLED_AFTER


def import_job_requeue(*, job: ImportJob) -> ImportJob:
    """Send a stalled job's task again.

    Safe even if the first message turns up after all: whichever run claims the job
    (QUEUED -> RUNNING, inside its transaction) imports it, the other finds it taken.
    """
    if job.status != ImportStatus.QUEUED:
        raise ValidationError("This import is no longer waiting for a worker.")
    if not import_job_stalled(job):
        minutes = int(STALLED_AFTER.total_seconds() // 60)
        raise ValidationError(
            "A worker may still pick this import up. If nothing happens for "
            f"{minutes} minutes, start it again."
        )
    _enqueue(job)
    return job


def import_run_queued(*, job_id: int, organization_id: int) -> bool:
    """The task's side: run a queued job once; a deleted or already claimed job is a no-op."""
    job = (
        ImportJob.objects.filter(pk=job_id, organization_id=organization_id)
        .select_related("organization")
        .first()
    )
    if job is None:
        return False
    return import_run(job=job, from_statuses=(ImportStatus.QUEUED,))


def _progress_key(job_id: int) -> str:
    return f"influencers:import-progress:{job_id}"


def import_progress(job: ImportJob) -> int | None:
    """Rows written so far, or None while no worker has started on the job.

    A running import's writes, its RUNNING status included, sit inside one uncommitted
    transaction that the progress page cannot see, so the count travels through the cache
    (shared by web and workers: Redis, or the file cache by default).
    """
    return cache.get(_progress_key(job.pk))


# --- The import ----------------------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    touched_account_ids: list[int] = field(default_factory=list)


def import_run(*, job: ImportJob, from_statuses=STARTABLE + (ImportStatus.QUEUED,)) -> bool:
    """Claim the job and import its whole file in one transaction.

    Returns False when the job was not in `from_statuses` (another run has it). The claim is
    part of the import's transaction: a second run waits on the job's row lock and then
    finds it done, and a worker that dies half-way rolls the claim back with the rows, so the
    redelivered task starts the job again. On a failure nothing of the file is saved and the
    job is FAILED with the reason.
    """
    organization = job.organization
    try:
        with transaction.atomic():
            if not _claim(job, from_statuses, ImportStatus.RUNNING):
                return False
            # From now on the job page shows a progress bar, not "waiting for a worker".
            cache.set(_progress_key(job.pk), 0, PROGRESS_TTL)
            services.organization_setup(organization=organization)
            checked = import_job_check(job)
            if not checked.ok:
                raise ValidationError(checked.refusal())
            counts = _upsert(organization=organization, rows=checked.rows, job=job)
            for start in range(0, len(counts.touched_account_ids), REFRESH_CHUNK):
                services.social_accounts_refresh_derived(
                    organization=organization,
                    account_ids=counts.touched_account_ids[start : start + REFRESH_CHUNK],
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
    except Exception as error:  # whatever failed, the job must say so
        if not isinstance(error, ValidationError):
            logger.exception("Import %s failed", job.pk)
        _fail(job, error)
    finally:
        cache.delete(_progress_key(job.pk))
    return True


MSG_CONCURRENT = (
    "Another import or edit added one of these accounts at the same time; import the file again."
)


def _fail(job: ImportJob, error: Exception) -> None:
    if isinstance(error, ValidationError):
        reason = " ".join(error.messages)
    elif isinstance(error, IntegrityError):
        # The accounts are locked while the import runs, but an account added meanwhile is
        # not there to lock: the import's INSERT of the same handle meets the unique index.
        reason = MSG_CONCURRENT
    else:
        detail = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
        reason = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
        reason = f"The import stopped ({reason})."
    job.status = ImportStatus.FAILED
    job.error = f"{reason} Nothing from the file was saved."
    job.processed_rows = 0
    job.created_count = job.updated_count = job.unchanged_count = 0
    job.finished_at = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=job.status,
        error=job.error,
        processed_rows=0,
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        finished_at=job.finished_at,
    )


def _upsert(*, organization: Organization, rows: pd.DataFrame, job: ImportJob) -> Counts:
    """Write the checked rows in batches; must run inside a transaction."""
    settings = services.engagement_settings_for(organization)
    given = {t.key for t in TARGETS if t.key in job.column_mapping}
    all_niches = sorted({name for names in rows["niches"] for name in names})
    niche_ids = {
        niche.name: niche.pk
        for niche in services.niches_resolve(organization=organization, names=all_niches)
    }
    records = rows.to_dict("records")
    for number, record in zip(rows.index, records, strict=True):
        record["row"] = int(number)
    counts = Counts()
    people = _People()
    now = timezone.now()
    for start in range(0, len(records), WRITE_BATCH):
        batch = records[start : start + WRITE_BATCH]
        _write_batch(organization, batch, given, niche_ids, settings, now, counts, people)
        cache.set(_progress_key(job.pk), start + len(batch), PROGRESS_TTL)
    return counts


def _existing_accounts(organization, batch) -> dict[tuple[str, str], SocialAccount]:
    by_platform = defaultdict(list)
    for record in batch:
        by_platform[record["platform"]].append(SocialAccount.key_for(record["handle"]))
    condition = Q()
    for platform, keys in by_platform.items():
        condition |= Q(platform=platform, handle_key__in=keys)
    accounts = (
        SocialAccount.objects.filter(organization=organization)
        .filter(condition)
        .select_related("influencer")
        # Locked until the import commits: an edit or a delete meanwhile waits, instead of
        # being overwritten with the values read here (or resurrected by the upsert).
        .select_for_update()
    )
    return {(account.platform, account.handle_key): account for account in accounts}


@dataclass
class _People:
    """The import's one object per stored influencer, shared by all of that person's rows.

    Each account is read with its own copy of its influencer; two copies of one person
    would both be written, in one upsert statement (which PostgreSQL refuses) or one after
    the other (the later row wins, and the next import of the file flips it back).
    """

    by_id: dict[int, Influencer] = field(default_factory=dict)
    stored: dict[int, dict] = field(default_factory=dict)  # the fields before the import
    given: dict[tuple[int, str], tuple[int, object]] = field(default_factory=dict)

    def of(self, account: SocialAccount) -> Influencer:
        influencer = self.by_id.get(account.influencer_id)
        if influencer is None:
            influencer = self.by_id[account.influencer_id] = account.influencer
            self.stored[influencer.pk] = {k: getattr(influencer, k) for k in INFLUENCER_KEYS}
        account.influencer = influencer
        return influencer

    def changes(self, influencer: Influencer, values: dict, row: int) -> set[str]:
        """The fields this row changes from what was stored; two rows must agree."""
        stored = self.stored[influencer.pk]
        for key in INFLUENCER_KEYS:
            if key not in values:
                continue
            first = self.given.setdefault((influencer.pk, key), (row, values[key]))
            if first[1] != values[key]:
                # check_rows finds this before the import; here it is found when the
                # accounts changed hands in between (a merge).
                raise ValidationError(_disagreement(key, stored["name"], first, (row, values[key])))
        return {k for k in INFLUENCER_KEYS if k in values and stored[k] != values[k]}


def _has_value(value) -> bool:
    return value not in (None, "", [])


def _write_batch(
    organization, batch, given, niche_ids, settings, now, counts: Counts, people: _People
) -> None:
    existing = _existing_accounts(organization, batch)
    through = Influencer.niches.through
    linked = set()
    if niche_ids and existing:
        linked = set(
            through.objects.filter(
                influencer_id__in={a.influencer_id for a in existing.values()}
            ).values_list("influencer_id", "niche_id")
        )
    new_pairs, changed_accounts, links = [], [], []
    changed_influencers = {}  # by id: a person with two rows is written once
    account_fields, influencer_fields = set(), set()
    for record in batch:
        values = {k: record[k] for k in given if _has_value(record[k])}
        account = existing.get((record["platform"], SocialAccount.key_for(record["handle"])))
        niches = [niche_ids[name] for name in record["niches"]]
        if account is None:
            influencer = Influencer(
                organization=organization,
                name=values.get("name") or record["handle"],
                **{
                    k: values[k]
                    for k in ("email", "location", "languages", "status")
                    if k in values
                },
            )
            account = SocialAccount(
                organization=organization,
                audience_source=DataSource.IMPORT,
                engagement_source=DataSource.IMPORT,
                audience_updated_at=now,
                **{k: values[k] for k in ACCOUNT_KEYS if k in values},
            )
            account.handle_key = SocialAccount.key_for(account.handle)
            services.compute_engagement(account, settings)
            new_pairs.append((influencer, account, niches))
            continue
        account_changes = {
            k for k in ACCOUNT_KEYS if k in values and getattr(account, k) != values[k]
        }
        influencer = people.of(account)
        influencer_changes = people.changes(influencer, values, record["row"])
        new_links = [(influencer.pk, n) for n in niches if (influencer.pk, n) not in linked]
        if account_changes:
            for k in account_changes:
                setattr(account, k, values[k])
            account.handle_key = SocialAccount.key_for(account.handle)
            account.updated_at = now
            account_fields |= account_changes | {"updated_at", "handle_key"}
            # A number's source and time change only with that number, as in the service.
            if account_changes & services.AUDIENCE_FIELDS:
                account.audience_source = DataSource.IMPORT
                account.audience_updated_at = now
                account_fields |= {"audience_source", "audience_updated_at"}
            if account_changes & services.ENGAGEMENT_INPUTS:
                account.engagement_source = DataSource.IMPORT
                services.compute_engagement(account, settings)
                account_fields |= {"engagement_source", *services.ENGAGEMENT_FIELDS}
            changed_accounts.append(account)
        if influencer_changes:
            for k in influencer_changes:
                setattr(influencer, k, values[k])
            influencer.updated_at = now
            influencer_fields |= influencer_changes | {"updated_at"}
            changed_influencers[influencer.pk] = influencer
        links += new_links
        linked.update(new_links)
        if account_changes or influencer_changes or new_links:
            counts.updated += 1
            counts.touched_account_ids.append(account.pk)
        else:
            counts.unchanged += 1

    if new_pairs:
        Influencer.objects.bulk_create([pair[0] for pair in new_pairs], batch_size=WRITE_BATCH)
        for influencer, account, niches in new_pairs:
            account.influencer = influencer
            links += [(influencer.pk, n) for n in niches]
        SocialAccount.objects.bulk_create([pair[1] for pair in new_pairs], batch_size=WRITE_BATCH)
        counts.created += len(new_pairs)
        counts.touched_account_ids += [pair[1].pk for pair in new_pairs]
    _update_rows(SocialAccount, changed_accounts, account_fields)
    _update_rows(Influencer, list(changed_influencers.values()), influencer_fields)
    if links:
        through.objects.bulk_create(
            [through(influencer_id=i, niche_id=n) for i, n in links],
            batch_size=WRITE_BATCH,
            ignore_conflicts=True,
        )


def _update_rows(model, objects, fields) -> None:
    """Write `fields` of rows loaded in this transaction, one statement per batch.

    An upsert on the primary key (INSERT ... ON CONFLICT (id) DO UPDATE SET field =
    EXCLUDED.field, on PostgreSQL and SQLite) rather than bulk_update: bulk_update builds a
    CASE WHEN per row and field, which costs about a millisecond of Python per row and made a
    10,000-row update take over 10 s. Every object here was read from the database in this
    transaction, so the INSERT side never applies; created_at is not in `fields` and stays.
    """
    if objects:
        model.objects.bulk_create(
            objects,
            batch_size=WRITE_BATCH,
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=sorted(fields),
        )
