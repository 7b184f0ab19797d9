"""Checking roster rows: the columns the import understands, the mapping guessed from a
file's header, and every row's problems under a mapping.

The checks run column by column over a pandas frame of the mapped columns (indexed by the
spreadsheet's row numbers), so 50,000 rows are checked in seconds.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from accounts.models import HANDLE_RE, Platform
from influencers.models import EngagementFormula, RelationshipStatus, SocialAccount
from influencers.places import country_code

LOOKUP_BATCH = 1_000  # handles per query when rows are compared with stored accounts

# --- Target columns ----------------------------------------------------------------------------


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
    Target("country", "Country", "country", on="influencer",
           guesses=("countrycode", "nation")),
    Target("location", "City", "text", max_length=120, on="influencer",
           guesses=("location", "place", "town")),
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
THOUSANDS_RE = r"\d{1,3}(,\d{3})+(\.\d+)?"
# Counts as platforms and tools export them: "12.5k", "1.2M" (thousands, millions).
SUFFIXED_RE = r"(\d+(?:\.\d+)?)\s*([kKmM])"
SUFFIXES = {"k": 1_000, "m": 1_000_000}
# A spreadsheet runs a cell that starts with one of these as a formula. Exports prefix such a
# cell with a quote (see exporting.py); the quote is dropped again here so an exported file
# re-imports unchanged.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def starts_a_formula(text: str) -> bool:
    """Whether a spreadsheet could run `text` as a formula.

    Its first character is compared as Unicode compatibility folds it, as spreadsheets do:
    a full-width ＝ or a superscript ⁼ starts a formula as surely as =.
    """
    return unicodedata.normalize("NFKC", text[:1]).startswith(FORMULA_TRIGGERS)


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
        return refusal(self.mapping_errors, self.bad)


def refusal(mapping_errors: list[str], bad: int) -> str:
    """Why a file cannot be imported as it is: its mapping lacks a column, or `bad` rows."""
    if mapping_errors:
        return " ".join(mapping_errors)
    rows = "1 row has a problem" if bad == 1 else f"{bad:,} rows have problems"
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


def mapping_errors(columns, mapping: dict[str, str]) -> list[str]:
    """What the mapping lacks before any row can be imported: a column for each required target."""
    return [
        f"Choose the file's column for {target.label}."
        for target in TARGETS
        if target.required and mapping.get(target.key) not in columns
    ]


def has_value(value) -> bool:
    return value not in (None, "", [])


def check_rows(frame: pd.DataFrame, mapping: dict[str, str], organization=None) -> Checked:
    """Normalise the mapped columns and list every row's problems, column by column.

    With the `organization` (a model or its id), rows are also checked against its stored
    accounts: two rows for accounts of one person must not give that person different
    values.
    """
    missing = mapping_errors(frame.columns, mapping)
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
    if value.startswith("'") and starts_a_formula(value[1:]):
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


def _country(values, target, problems):
    codes = values.map(country_code)
    problems.flag(
        _given(values) & (codes == ""),
        values,
        "Unknown country “{value}”: use its name (Germany) or its two-letter code (DE).",
    )
    return codes.astype(object)


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


def _expand_suffix(text: str) -> str:
    """ "12.5k" -> "12500", exactly (Decimal, never a float's 12499.999)."""
    number, suffix = re.fullmatch(SUFFIXED_RE, text.strip()).groups()
    return f"{(Decimal(number) * SUFFIXES[suffix.lower()]).normalize():f}"


def _numbers(values, target, problems, *, whole: bool):
    given = _given(values)
    thousands = values.str.fullmatch(THOUSANDS_RE)
    cleaned = values.where(~thousands, values.str.replace(",", "", regex=False))
    suffixed = values.str.strip().str.fullmatch(SUFFIXED_RE)
    cleaned = cleaned.where(~suffixed, values[suffixed].map(_expand_suffix))
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
    "country": _country,
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


def disagreement(key: str, person: str, first: tuple[int, object], then: tuple[int, object]):
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
        for start in range(0, len(wanted), LOOKUP_BATCH):
            for handle_key, influencer_id, name in SocialAccount.objects.filter(
                organization=organization,
                platform=platform,
                handle_key__in=wanted[start : start + LOOKUP_BATCH],
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
                if not has_value(value):
                    continue
                if first is None:
                    first = (number, value)
                elif value != first[1]:
                    problems.by_row[number].append(
                        disagreement(key, names[influencer_id], first, (number, value))
                    )
