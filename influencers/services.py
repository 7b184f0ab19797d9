"""Every write to influencers, their accounts, tiers, benchmarks and engagement settings."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import CONFLICT, Organization
from influencers.defaults import DEFAULT_SCHEME, SCHEMES
from influencers.derived import social_accounts_recompute
from influencers.models import (
    Benchmark,
    EngagementFormula,
    EngagementSettings,
    FollowerTier,
    Influencer,
    Niche,
    SocialAccount,
)
from influencers.places import split_location

WRITE_BATCH = 1_000  # rows per INSERT or upsert statement
INLINE_RECOMPUTE_MAX = 2000  # accounts recomputed within the request; more go to a worker
NICHE_MAX_LENGTH = Niche._meta.get_field("name").max_length


# --- Organisation setup, tiers and benchmarks ------------------------------------------------


@transaction.atomic
def organization_defaults_create(*, organization: Organization) -> None:
    """Give an organisation its engagement settings and the default tiers and benchmarks.

    Called when the organisation is created (accounts.services.organization_create, through
    the registry that InfluencersConfig.ready fills); creates only what is missing, so it is
    safe to run twice. Pages and API lists read these rows and never create them.
    """
    EngagementSettings.objects.get_or_create(organization=organization)
    if not FollowerTier.objects.filter(organization=organization).exists():
        tier_scheme_apply(organization=organization, scheme_key=DEFAULT_SCHEME.key)


@transaction.atomic
def tier_scheme_apply(*, organization: Organization, scheme_key: str) -> None:
    """Replace the organisation's tiers and benchmarks with a published scheme's."""
    scheme = SCHEMES.get(scheme_key)
    if scheme is None:
        raise ValidationError({"scheme": "Unknown tier scheme."})
    FollowerTier.objects.filter(organization=organization).delete()  # benchmarks cascade
    tiers = {}
    for spec in scheme.tiers:
        cost_min, cost_max, cost_source = spec.cost or (None, None, "")
        tiers[spec.name] = FollowerTier.objects.create(
            organization=organization,
            name=spec.name,
            lower=spec.lower,
            upper=spec.upper,
            source=scheme.source,
            cost_min=cost_min,
            cost_max=cost_max,
            cost_source=cost_source,
        )
    Benchmark.objects.bulk_create(
        Benchmark(
            organization=organization,
            platform=spec.platform,
            tier=tiers[spec.tier],
            formula=spec.formula,
            rate=spec.rate,
            source=spec.source,
            year=spec.year,
        )
        for spec in scheme.benchmarks
    )
    EngagementSettings.objects.filter(organization=organization).update(tier_scheme=scheme.key)
    social_accounts_recompute(organization=organization)


# --- Engagement ---------------------------------------------------------------------------------


@transaction.atomic
def engagement_settings_update(
    *, organization: Organization, include_saves: bool, include_shares: bool
) -> bool:
    """Save which interactions count and recompute every rate.

    Returns True when the rates were recomputed at once; a large roster is recomputed by a
    worker after the commit instead, so the request stays short.
    """
    settings = EngagementSettings.objects.select_for_update().get(organization=organization)
    settings.include_saves = include_saves
    settings.include_shares = include_shares
    settings.save(update_fields=["include_saves", "include_shares"])
    if SocialAccount.objects.filter(organization=organization).count() <= INLINE_RECOMPUTE_MAX:
        social_accounts_recompute(organization=organization)
        return True
    from influencers.tasks import recompute_engagement

    transaction.on_commit(lambda: recompute_engagement.delay(organization.pk))
    return False


# --- Influencers and accounts ------------------------------------------------------------------


def niches_resolve(*, organization: Organization, names: list[str]) -> list[Niche]:
    """The organisation's niches of these names (lower case), created where missing."""
    cleaned = sorted({name.strip().lstrip("#").lower() for name in names if name.strip("# ")})
    too_long = [name for name in cleaned if len(name) > NICHE_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            {"niches": f"A niche has at most {NICHE_MAX_LENGTH} characters: “{too_long[0]}”."}
        )
    existing = {
        n.name: n for n in Niche.objects.filter(organization=organization, name__in=cleaned)
    }
    missing = [
        Niche(organization=organization, name=name) for name in cleaned if name not in existing
    ]
    Niche.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Niche.objects.filter(organization=organization, name__in=cleaned))


@transaction.atomic
def influencer_save(
    *,
    organization: Organization,
    influencer: Influencer | None = None,
    name: str,
    email: str = "",
    location: str = "",
    country: str = "",
    languages: list[str] = (),
    niches: list[str] = (),
    notes: str = "",
    status: str | None = None,
) -> Influencer:
    influencer = influencer or Influencer(organization=organization)
    influencer.name = name.strip()
    influencer.email = email.strip().lower()
    # Not chosen: the country the location names, if it names one ("Vienna, Austria").
    influencer.location, influencer.country = (
        (location.strip(), country) if country else split_location(location)
    )
    influencer.languages = [language.strip() for language in languages if language.strip()]
    influencer.notes = notes
    if status:
        influencer.status = status
    influencer.full_clean()
    influencer.save()
    influencer.niches.set(niches_resolve(organization=organization, names=list(niches)))
    return influencer


ACCOUNT_FIELDS = [
    "platform",
    "handle",
    "platform_id",
    "profile_url",
    "bio",
    "followers",
    "following",
    "posts_count",
    "avg_likes",
    "avg_comments",
    "avg_saves",
    "avg_shares",
    "avg_reach",
    "avg_views",
    "engagement_sample_size",
    "engagement_formula",
]


AUDIENCE_FIELDS = {"followers", "following", "posts_count"}
# What the engagement rate is computed from (followers is its usual denominator).
ENGAGEMENT_INPUTS = {
    "followers",
    "avg_likes",
    "avg_comments",
    "avg_saves",
    "avg_shares",
    "avg_reach",
    "avg_views",
    "engagement_sample_size",
    "engagement_formula",
}


def normalize_handle(handle: str) -> str:
    return handle.strip().lstrip("@").strip()


def social_account_assign(
    account: SocialAccount, values: dict, *, source: str, now: datetime
) -> set[str]:
    """Set measured and descriptive `values` on an account, in memory; the fields it changed.

    The one rule for every writer (form, API, import, metrics): a number's source and time
    change only with that number, so editing a bio does not turn imported figures into
    hand-entered ones. A new account takes `source` for all of its numbers. What derives
    from the numbers is left to `social_accounts_write`.
    """
    unknown = set(values) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown account field(s) {sorted(unknown)}")
    if "handle" in values:
        values = {**values, "handle": normalize_handle(values["handle"])}
    if not values.get("engagement_formula") and (
        account._state.adding or "engagement_formula" in values
    ):
        # Not chosen: the platform's usual formula, so the account meets its benchmarks.
        platform = values.get("platform", account.platform)
        views = values.get("avg_views", account.avg_views)
        values = {**values, "engagement_formula": EngagementFormula.usual_for(platform, views)}
    changed = {name for name, value in values.items() if getattr(account, name) != value}
    for name in changed:
        setattr(account, name, values[name])
    if account.handle_key != SocialAccount.key_for(account.handle):
        account.handle_key = SocialAccount.key_for(account.handle)
        changed.add("handle_key")
    is_new = account._state.adding
    if is_new or changed & AUDIENCE_FIELDS:
        account.audience_source, account.audience_updated_at = source, now
        changed |= {"audience_source", "audience_updated_at"}
    if is_new or changed & ENGAGEMENT_INPUTS:
        # The rate is recomputed from the new inputs now, even when it comes out the same.
        account.engagement_source, account.engagement_computed_at = source, now
        changed |= {"engagement_source", "engagement_computed_at"}
    return changed


def rows_update(model, objects: list, fields: set[str]) -> None:
    """Write `fields` of rows loaded in this transaction, one statement per batch.

    An upsert on the primary key (INSERT ... ON CONFLICT (id) DO UPDATE SET field =
    EXCLUDED.field, on PostgreSQL and SQLite) rather than bulk_update: bulk_update builds a
    CASE WHEN per row and field, which costs about a millisecond of Python per row and made a
    10,000-row update take over 10 s. Every object here was read from the database in this
    transaction, so the INSERT side never applies; created_at is not in `fields` and stays.
    """
    if objects and fields:
        model.objects.bulk_create(
            objects,
            batch_size=WRITE_BATCH,
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=sorted(fields),
        )


@transaction.atomic
def social_accounts_write(
    *, organization: Organization, accounts: list[SocialAccount], fields: set[str]
) -> int:
    """Store accounts changed by `social_account_assign` and recompute what derives from them.

    New accounts are inserted, stored ones updated in `fields` (the union of what changed),
    in batches; then engagement rate, tier, benchmark and ratio are recomputed in SQL for
    exactly these accounts. Returns the number of accounts written.
    """
    now = timezone.now()
    new = [account for account in accounts if account._state.adding]
    stored = [account for account in accounts if not account._state.adding]
    SocialAccount.objects.bulk_create(new, batch_size=WRITE_BATCH)
    for account in stored:
        account.updated_at = now
    rows_update(SocialAccount, stored, fields | {"updated_at"})
    social_accounts_recompute(
        organization=organization, account_ids=[account.pk for account in accounts]
    )
    return len(accounts)


@transaction.atomic
def social_account_save(
    *, influencer: Influencer, account: SocialAccount | None = None, source: str, **fields
) -> SocialAccount:
    """Create or update one account from a form or the API; derives rate, tier and ratio."""
    organization = influencer.organization
    account = account or SocialAccount(organization=organization, influencer=influencer)
    changed = social_account_assign(account, fields, source=source, now=timezone.now())
    taken = (
        SocialAccount.objects.filter(
            organization=organization, platform=account.platform, handle_key=account.handle_key
        )
        .exclude(pk=account.pk)
        .select_related("influencer")
        .first()
    )
    if taken:
        message = f"@{account.handle} on this platform already belongs to {taken.influencer}."
        raise ValidationError({"handle": ValidationError(message, CONFLICT)})
    account.full_clean()
    if account._state.adding or changed:
        social_accounts_write(organization=organization, accounts=[account], fields=changed)
        account.refresh_from_db()
    return account


def social_account_delete(*, account: SocialAccount) -> None:
    account.delete()


def influencer_archive(*, influencer: Influencer, archived: bool = True) -> Influencer:
    """Archive an influencer (or restore one): out of the directory, kept in history."""
    influencer.archived_at = timezone.now() if archived else None
    influencer.save(update_fields=["archived_at"])
    return influencer


def influencer_delete(*, influencer: Influencer) -> None:
    """Delete an influencer with their accounts."""
    influencer.delete()


@transaction.atomic
def influencer_merge(*, keep: Influencer, merge: Influencer) -> Influencer:
    """Fold `merge` into `keep`: its accounts, niches and notes move over, then it is deleted.

    Fields `keep` lacks (email, location) are taken from `merge`; languages are joined.
    """
    if keep.organization_id != merge.organization_id or keep.pk == merge.pk:
        raise ValidationError("Choose another influencer of the same organisation to merge.")
    SocialAccount.objects.filter(influencer=merge).update(influencer=keep)
    keep.niches.add(*merge.niches.all())
    keep.email = keep.email or merge.email
    keep.location = keep.location or merge.location
    keep.languages = list(dict.fromkeys([*keep.languages, *merge.languages]))
    if merge.notes.strip():
        keep.notes = "\n\n".join(part for part in (keep.notes.strip(), merge.notes.strip()) if part)
    keep.save()
    merge.delete()
    return keep


@transaction.atomic
def influencers_bulk_tag(*, organization: Organization, influencer_codes: list, niche: str) -> int:
    """Add a niche to the organisation's influencers with these codes; returns how many."""
    [tag] = niches_resolve(organization=organization, names=[niche])
    ids = list(
        Influencer.objects.filter(organization=organization, code__in=influencer_codes).values_list(
            "pk", flat=True
        )
    )
    through = Influencer.niches.through
    through.objects.bulk_create(
        [through(influencer_id=pk, niche_id=tag.pk) for pk in ids], ignore_conflicts=True
    )
    return len(ids)


def influencers_bulk_set_status(
    *, organization: Organization, influencer_codes: list, status: str
) -> int:
    return Influencer.objects.filter(organization=organization, code__in=influencer_codes).update(
        status=status, updated_at=timezone.now()
    )


# --- Tier and benchmark tables, edited by the organisation's owners ---------------------------

# A tier whose band the organisation changed no longer follows its published source.
ORGANIZATION_SOURCE = "Set by the organisation"
# Bounds stay far below the 32-bit limit so that tiers_save can park rows above them.
TIER_BOUND_MAX = 2_000_000_000
TIER_FIELDS = ["name", "lower", "upper", "cost_min", "cost_max", "cost_currency", "cost_source"]
TIER_NAME_MAX = 40
TIER_ROWS_MAX = 50  # published schemes have five to seven tiers
# Benchmark rates are percentages. Published figures run from a few tenths of a percent up;
# 0.01% is far below any of them, so a smaller number is a typo (0.001 for 0.1) that would
# make every account look thousands of times above its benchmark. At the minimum, the largest
# rate the account fields allow (4 x 10^12 %) gives a ratio of 4 x 10^14, well within
# SocialAccount.benchmark_ratio (17 digits before the decimal point).
BENCHMARK_RATE_MIN = Decimal("0.01")  # percent
BENCHMARK_RATE_MAX = 100  # percent
BENCHMARK_YEAR_MIN = 2000


def _tier_row_label(row: dict) -> str:
    """'micro (1,000–10,000)', or 'the tier 1,000–10,000' for a row whose name was refused."""
    band = FollowerTier(lower=row["lower"], upper=row["upper"]).range_label
    name = (row.get("name") or "").strip()
    return f"{name} ({band})" if name else f"the tier {band}"


def tier_rows_check(rows: list[dict]) -> dict[int | None, dict[str, list[str]]]:
    """The errors of a tier table by row index and field; empty when it can be saved.

    Rows are dicts of TIER_FIELDS with typed values (int, Decimal or None). Gaps between
    tiers are allowed (an account in a gap has no tier) but overlaps are not: an account
    belongs to one tier. Errors about the table as a whole are under the index None.

    A row may lack a field: a form row whose field failed its own validation leaves it out.
    Such a field is not judged again, and a row missing a bound is left out of the overlap
    check (a missing "upper" is unknown, not open-ended).
    """
    errors: dict[int | None, dict[str, list[str]]] = {}

    def add(index, field, message):
        errors.setdefault(index, {}).setdefault(field, []).append(message)

    if not rows:
        add(None, "tiers", "Keep at least one tier.")
    elif len(rows) > TIER_ROWS_MAX:
        add(None, "tiers", f"A tier table has at most {TIER_ROWS_MAX} rows.")
    names: dict[str, int] = {}
    bounded = []  # rows whose bounds are valid, for the overlap check
    for index, row in enumerate(rows):
        name, lower, upper = (row.get("name") or "").strip(), row.get("lower"), row.get("upper")
        if "name" not in row:
            pass  # refused by its own field: not judged again
        elif not name:
            add(index, "name", "Give the tier a name.")
        elif len(name) > TIER_NAME_MAX:
            add(index, "name", f"At most {TIER_NAME_MAX} characters.")
        elif name.casefold() in names:
            add(index, "name", f"Another tier is already called “{name}”.")
        else:
            names[name.casefold()] = index
        bounds_ok = "lower" in row and "upper" in row
        for field, value in (("lower", lower), ("upper", upper)):
            if field not in row:
                continue
            if value is None:
                if field == "lower":
                    add(index, field, "Enter the lowest follower count of this tier.")
                    bounds_ok = False
            elif value < 0 or value > TIER_BOUND_MAX:
                add(index, field, f"A follower count between 0 and {TIER_BOUND_MAX:,}.")
                bounds_ok = False
        if bounds_ok and upper is not None and upper <= lower:
            add(index, "upper", f"Must be above the lower bound ({lower:,}).")
            bounds_ok = False
        if bounds_ok:
            bounded.append(index)
        cost_min, cost_max = row.get("cost_min"), row.get("cost_max")
        for field, value in (("cost_min", cost_min), ("cost_max", cost_max)):
            if value is not None and value < 0:
                add(index, field, "A cost is never negative.")
        if cost_min is not None and cost_max is not None and 0 <= cost_max < cost_min:
            add(index, "cost_max", "Must be at least the minimum cost.")
        currency = row.get("cost_currency") or ""
        if "cost_currency" in row and not (
            len(currency) == 3 and currency.isalpha() and currency.isascii()
        ):
            add(index, "cost_currency", "A three-letter currency code, such as USD or EUR.")
        has_cost = cost_min is not None or cost_max is not None
        if has_cost and not (row.get("cost_source") or "").strip():
            add(index, "cost_source", "Say where this cost comes from.")
    for position, first in enumerate(bounded):
        for second in bounded[position + 1 :]:
            a, b = rows[first], rows[second]
            a_upper = TIER_BOUND_MAX + 1 if a["upper"] is None else a["upper"]
            b_upper = TIER_BOUND_MAX + 1 if b["upper"] is None else b["upper"]
            if a["lower"] < b_upper and b["lower"] < a_upper:
                # The higher tier's lower bound, or the lower tier's upper bound, must move.
                low, high = (first, second) if a["lower"] <= b["lower"] else (second, first)
                add(high, "lower", f"Overlaps {_tier_row_label(rows[low])}.")
                add(low, "upper", f"Overlaps {_tier_row_label(rows[high])}.")
    return errors


class TierTableError(ValidationError):
    """A tier table that cannot be saved; `rows` maps row index (or None) to field errors."""

    def __init__(self, rows: dict[int | None, dict[str, list[str]]]):
        self.rows = rows
        super().__init__(
            [message for fields in rows.values() for msgs in fields.values() for message in msgs]
        )


def _tier_row_normalized(row: dict) -> dict:
    return {
        **{field: row.get(field) for field in TIER_FIELDS},
        "code": str(row["code"]) if row.get("code") else None,
        "name": (row.get("name") or "").strip(),
        "cost_currency": (row.get("cost_currency") or "USD").strip().upper(),
        "cost_source": (row.get("cost_source") or "").strip(),
    }


@transaction.atomic
def tiers_save(*, organization: Organization, rows: list[dict]) -> list[FollowerTier]:
    """Make the organisation's tier table exactly `rows`, all or nothing; re-tier accounts.

    A row carrying the `code` of one of the organisation's tiers updates that tier and keeps
    its benchmarks; a row without a code adds a tier; tiers left out are deleted with their
    benchmarks. Raises TierTableError, before writing anything, when the table is invalid.
    """
    rows = [_tier_row_normalized(row) for row in rows]
    existing = {
        str(tier.code): tier
        for tier in FollowerTier.objects.select_for_update().filter(organization=organization)
    }
    errors = tier_rows_check(rows)
    seen = set()
    for index, row in enumerate(rows):
        if row["code"] and row["code"] not in existing:
            errors.setdefault(index, {}).setdefault("name", []).append(
                "This tier was removed meanwhile; reload the page."
            )
        elif row["code"] in seen:
            errors.setdefault(index, {}).setdefault("name", []).append(
                "This tier appears twice; reload the page."
            )
        if row["code"]:
            seen.add(row["code"])
    if errors:
        raise TierTableError(errors)

    kept = [row["code"] for row in rows if row["code"]]
    FollowerTier.objects.filter(organization=organization).exclude(code__in=kept).delete()
    before = {code: (tier.name, tier.lower, tier.upper) for code, tier in existing.items()}
    # Names and lower bounds are unique, and the database checks that row by row, so two
    # tiers swapping a name or bound would collide halfway. Park the changing rows first.
    for offset, row in enumerate(rows):
        tier = existing.get(row["code"]) if row["code"] else None
        if tier and (tier.name, tier.lower) != (row["name"], row["lower"]):
            tier.name, tier.lower, tier.upper = str(tier.code), TIER_BOUND_MAX + 1 + offset, None
            tier.save(update_fields=["name", "lower", "upper"])
    saved = []
    for index, row in enumerate(rows):
        tier = existing.get(row["code"]) if row["code"] else None
        if tier is None:
            tier = FollowerTier(organization=organization, source=ORGANIZATION_SOURCE)
        elif before[row["code"]] != (row["name"], row["lower"], row["upper"]):
            tier.source = ORGANIZATION_SOURCE
        for field in TIER_FIELDS:
            setattr(tier, field, row[field])
        try:
            tier.full_clean()
        except ValidationError as error:  # what the checks above missed: at the row, too
            raise TierTableError({index: error.message_dict}) from None
        tier.save()
        saved.append(tier)
    social_accounts_recompute(organization=organization)
    return saved


def _tier_rows_of(organization: Organization) -> tuple[list[FollowerTier], list[dict]]:
    tiers = list(FollowerTier.objects.filter(organization=organization).order_by("lower"))
    rows = [{"code": tier.code, **{f: getattr(tier, f) for f in TIER_FIELDS}} for tier in tiers]
    return tiers, rows


def _tier_errors_for_row(error: TierTableError, index: int) -> ValidationError:
    """One row's errors by field, for an API that changes one tier at a time.

    Another row's error is only the other side of an overlap this row has too, unless this
    row has none: then the table as a whole is what is wrong.
    """
    fields = dict(error.rows.get(index, {}))
    if fields:
        return ValidationError(fields)
    others = [
        message
        for row_fields in error.rows.values()
        for messages in row_fields.values()
        for message in messages
    ]
    return ValidationError({"non_field_errors": others})


def tier_save(
    *, organization: Organization, tier: FollowerTier | None = None, **fields
) -> FollowerTier:
    """Add a tier, or change `tier`, checked against the whole table as tiers_save does."""
    unknown = set(fields) - set(TIER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown tier field(s) {sorted(unknown)}")
    tiers, rows = _tier_rows_of(organization)
    if tier is None:
        index = len(rows)
        rows.append({"code": None, "cost_currency": "USD", **fields})
    else:
        index = next((i for i, existing in enumerate(tiers) if existing.pk == tier.pk), None)
        if index is None:
            raise ValidationError("This tier was removed meanwhile.")
        rows[index].update(fields)
    try:
        return tiers_save(organization=organization, rows=rows)[index]
    except TierTableError as error:
        raise _tier_errors_for_row(error, index) from None


def tier_delete(*, tier: FollowerTier) -> None:
    """Delete a tier with its benchmarks; its accounts are re-tiered (or left without)."""
    tiers, rows = _tier_rows_of(tier.organization)
    rows = [row for existing, row in zip(tiers, rows, strict=True) if existing.pk != tier.pk]
    try:
        tiers_save(organization=tier.organization, rows=rows)
    except TierTableError as error:
        raise ValidationError(error.messages) from None


def benchmark_value_errors(*, rate, source: str, year: int | None) -> dict[str, str]:
    """What is wrong with a benchmark's rate, source and year, by field."""
    errors = {}
    if rate is None or rate < BENCHMARK_RATE_MIN:
        errors["rate"] = f"A benchmark rate is at least {BENCHMARK_RATE_MIN}%."
    elif rate > BENCHMARK_RATE_MAX:
        errors["rate"] = f"A rate is a percentage: at most {BENCHMARK_RATE_MAX}."
    if not (source or "").strip():
        errors["source"] = "Say where the number comes from."
    next_year = timezone.now().year + 1
    if year is not None and not BENCHMARK_YEAR_MIN <= year <= next_year:
        errors["year"] = f"A year between {BENCHMARK_YEAR_MIN} and {next_year}."
    return errors


@transaction.atomic
def benchmark_save(
    *,
    organization: Organization,
    benchmark: Benchmark | None = None,
    platform: str,
    tier: FollowerTier,
    formula: str,
    rate,
    source: str,
    year: int | None = None,
) -> Benchmark:
    """Add a benchmark, or change `benchmark`; then refresh every account's ratio."""
    errors = benchmark_value_errors(rate=rate, source=source, year=year)
    if tier.organization_id != organization.pk:
        errors["tier"] = "Unknown tier."
    duplicate = Benchmark.objects.filter(
        organization=organization, platform=platform, tier=tier, formula=formula
    ).exclude(pk=benchmark.pk if benchmark else None)
    if "tier" not in errors and duplicate.exists():
        errors["formula"] = ValidationError(
            f"{tier.name} already has a benchmark here by this formula; edit it.", CONFLICT
        )
    if errors:
        raise ValidationError(errors)
    benchmark = benchmark or Benchmark(organization=organization)
    benchmark.platform, benchmark.tier, benchmark.formula = platform, tier, formula
    benchmark.rate, benchmark.source, benchmark.year = rate, source.strip(), year
    benchmark.full_clean()
    benchmark.save()
    social_accounts_recompute(organization=organization)
    return benchmark


@transaction.atomic
def benchmark_delete(*, benchmark: Benchmark) -> None:
    """Delete a benchmark; accounts it judged are left without a ratio."""
    organization = benchmark.organization
    benchmark.delete()
    social_accounts_recompute(organization=organization)
