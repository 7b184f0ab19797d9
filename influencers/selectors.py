"""Reads of the influencer directory, each scoped to one organisation."""

from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet

from accounts.models import Organization
from influencers.engagement import AT_BENCHMARK_HIGH, AT_BENCHMARK_LOW, Verdict
from influencers.models import (
    Benchmark,
    EngagementSettings,
    FollowerTier,
    Influencer,
    Niche,
    SocialAccount,
)
from influencers.places import country_named

# Column key -> ORDER BY field. Every sort ends on the primary key so pages are stable.
# Followers, engagement and ratio have indexes that start with the organisation, in both
# directions, and the influencer's name has (organisation, name): a page of 50 reads 50
# index entries instead of sorting every row of the organisation.
SORTS = {
    "name": "influencer__name",
    "handle": "handle",
    "platform": "platform",
    "followers": "followers",
    "tier": "tier__lower",
    "engagement": "engagement_rate",
    "ratio": "benchmark_ratio",
    "location": "influencer__location",
    "status": "influencer__status",
}
# Fields that are never NULL sort without NULLS LAST, in the order their index has.
NOT_NULL = {"influencer__name", "handle", "platform", "influencer__location", "influencer__status"}
MISSING = "missing"  # the verdict filter's value for "no rate or no benchmark yet"


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    platform: str = ""
    tier: str = ""  # a tier's code
    niche: str = ""
    location: str = ""
    followers_min: int | None = None
    followers_max: int | None = None
    verdict: str = ""  # above, at, below or missing
    status: str = ""
    archived: bool = False  # the archived influencers instead of the current ones


def directory_accounts(
    *, organization: Organization, filters: DirectoryFilters, sort: str = "name"
) -> QuerySet[SocialAccount]:
    """Accounts of the directory, filtered and sorted; one row per account."""
    matches = directory_matches(organization=organization, filters=filters)
    return _with_related(_sorted(matches, organization, sort))


def directory_page(
    *, organization: Organization, filters: DirectoryFilters, sort: str, start: int, stop: int
) -> QuerySet[SocialAccount]:
    """Accounts start..stop of `directory_accounts`, in its order.

    The page's ids are chosen first, on the accounts' own columns (and the influencer's when
    sorting by them); only those rows are then joined with their influencer, tier and
    benchmark. Joining all 11,000 matches of a search before sorting them cost more than
    the rest of the page.
    """
    matches = directory_matches(organization=organization, filters=filters)
    ids = _sorted(matches, organization, sort).values("pk")[start:stop]
    rows = SocialAccount.objects.filter(organization=organization, pk__in=ids)
    return _with_related(rows.order_by(*_ordering(sort)))


def _sorted(accounts: QuerySet[SocialAccount], organization: Organization, sort: str):
    ordering = _ordering(sort)
    if ordering[0].expression.name.startswith("influencer__"):
        # The influencer's organisation is the account's; saying so lets the database read
        # the influencers' (organisation, name) index in order instead of sorting them all.
        accounts = accounts.filter(influencer__organization=organization)
    return accounts.order_by(*ordering)


def _with_related(accounts: QuerySet[SocialAccount]) -> QuerySet[SocialAccount]:
    return accounts.select_related("influencer", "tier", "benchmark").prefetch_related(
        Prefetch("influencer__niches", queryset=Niche.objects.order_by("name"))
    )


def directory_matches(
    *, organization: Organization, filters: DirectoryFilters
) -> QuerySet[SocialAccount]:
    """Accounts of the directory under the filters, unsorted: what the page count counts.

    Filters on the influencer are subqueries rather than joins, so counting 50,000 accounts
    reads the accounts' indexes alone.
    """
    accounts = SocialAccount.objects.filter(organization=organization)
    if filters.q:
        accounts = accounts.filter(pk__in=_search(organization, filters.q.strip().lstrip("@")))
    if filters.platform:
        accounts = accounts.filter(platform=filters.platform)
    if filters.tier:
        tiers = FollowerTier.objects.filter(organization=organization, code=filters.tier)
        accounts = accounts.filter(tier__in=tiers.values("pk"))
    if filters.followers_min is not None:
        accounts = accounts.filter(followers__gte=filters.followers_min)
    if filters.followers_max is not None:
        accounts = accounts.filter(followers__lte=filters.followers_max)
    accounts = _filter_verdict(accounts, filters.verdict)
    # Archived people are few, and most organisations have none: their partial index answers
    # "any?" at once, and only then are they left out, as a NOT IN over that small set (which
    # still changes the plan of a deep page: 57 -> 99 ms at 50,000 accounts).
    archived = Influencer.objects.filter(organization=organization, archived_at__isnull=False)
    if filters.archived:
        accounts = accounts.filter(influencer__in=archived.values("pk"))
    elif archived.exists():
        accounts = accounts.exclude(influencer__in=archived.values("pk"))
    people = Influencer.objects.filter(organization=organization)
    if filters.niche:
        niches = Niche.objects.filter(organization=organization, name=filters.niche)
        people = people.filter(niches__in=niches.values("pk"))
    if filters.location:
        # A country's name finds its people wherever their city; other text is a city.
        in_city = Q(location__icontains=filters.location)
        code = country_named(filters.location)
        people = people.filter(in_city | Q(country=code) if code else in_city)
    if filters.status:
        people = people.filter(status=filters.status)
    if filters.niche or filters.location or filters.status:
        accounts = accounts.filter(influencer__in=people.values("pk"))
    return accounts.order_by()


def _search(organization: Organization, term: str) -> QuerySet:
    """Ids of the accounts whose handle or influencer's name contains the term.

    Two queries joined by UNION rather than one OR across the join: each side reads its own
    trigram index on PostgreSQL, where an OR over two tables reads every row.
    """
    by_handle = SocialAccount.objects.filter(organization=organization, handle__icontains=term)
    by_name = SocialAccount.objects.filter(
        organization=organization,
        influencer__in=Influencer.objects.filter(
            organization=organization, name__icontains=term
        ).values("pk"),
    )
    # UNION, not UNION ALL: its distinct ids give PostgreSQL a row estimate to plan the join
    # with; without it the planner guessed 200 rows and probed 11,000 ids one by one.
    return by_handle.values("pk").order_by().union(by_name.values("pk").order_by())


def _filter_verdict(accounts, verdict):
    # The same thresholds as engagement.verdict(), expressed as SQL.
    if verdict == Verdict.ABOVE:
        return accounts.filter(benchmark_ratio__gt=AT_BENCHMARK_HIGH)
    if verdict == Verdict.AT:
        return accounts.filter(
            benchmark_ratio__gte=AT_BENCHMARK_LOW, benchmark_ratio__lte=AT_BENCHMARK_HIGH
        )
    if verdict == Verdict.BELOW:
        return accounts.filter(benchmark_ratio__lt=AT_BENCHMARK_LOW)
    if verdict == MISSING:
        return accounts.filter(benchmark_ratio__isnull=True)
    return accounts


def _ordering(sort: str):
    descending = sort.startswith("-")
    field = SORTS.get(sort.lstrip("-"), SORTS["name"])
    # Missing numbers sort last whichever the direction: they are unknown, not zero.
    nulls_last = None if field in NOT_NULL else True
    expression = (
        F(field).desc(nulls_last=nulls_last) if descending else F(field).asc(nulls_last=nulls_last)
    )
    return [expression, "pk"]


def tier_list(*, organization: Organization) -> QuerySet[FollowerTier]:
    return FollowerTier.objects.filter(organization=organization).order_by("lower")


def benchmark_list(*, organization: Organization) -> QuerySet[Benchmark]:
    return Benchmark.objects.filter(organization=organization).select_related("tier")


def engagement_settings_get(*, organization: Organization) -> EngagementSettings:
    """The organisation's engagement settings, created with the organisation."""
    return EngagementSettings.objects.get(organization=organization)


def niche_list(*, organization: Organization) -> QuerySet[Niche]:
    return Niche.objects.filter(organization=organization).order_by("name")


def influencer_detail(*, organization: Organization) -> QuerySet[Influencer]:
    """Influencers with what their page shows, for `get_for_member`."""
    return Influencer.objects.filter(organization=organization).prefetch_related(
        Prefetch("niches", queryset=Niche.objects.order_by("name")),
        Prefetch(
            "accounts",
            queryset=SocialAccount.objects.select_related("tier", "benchmark").order_by(
                "platform", "handle"
            ),
        ),
    )


def influencer_find(*, organization: Organization, handle_or_name: str) -> list[Influencer]:
    """Influencers of the organisation with an account of this handle, or of exactly this
    name (case-insensitive); more than one means the answer is ambiguous."""
    text = handle_or_name.strip()
    by_handle = Influencer.objects.filter(
        organization=organization, accounts__handle_key=SocialAccount.key_for(text)
    )
    found = list(by_handle.distinct()[:2])
    if not found and not text.startswith("@"):
        found = list(Influencer.objects.filter(organization=organization, name__iexact=text)[:2])
    return found
