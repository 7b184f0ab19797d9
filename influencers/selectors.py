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

# Column key -> ORDER BY field. Every sort ends on the primary key so pages are stable.
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


def directory_accounts(
    *, organization: Organization, filters: DirectoryFilters, sort: str = "name"
) -> QuerySet[SocialAccount]:
    """Accounts of the directory, filtered and sorted; one row per account."""
    accounts = SocialAccount.objects.filter(organization=organization).select_related(
        "influencer", "tier", "benchmark"
    )
    if filters.q:
        term = filters.q.strip().lstrip("@")
        accounts = accounts.filter(Q(handle__icontains=term) | Q(influencer__name__icontains=term))
    if filters.platform:
        accounts = accounts.filter(platform=filters.platform)
    if filters.tier:
        accounts = accounts.filter(tier__code=filters.tier)
    if filters.niche:
        accounts = accounts.filter(influencer__niches__name=filters.niche)
    if filters.location:
        accounts = accounts.filter(influencer__location__icontains=filters.location)
    if filters.followers_min is not None:
        accounts = accounts.filter(followers__gte=filters.followers_min)
    if filters.followers_max is not None:
        accounts = accounts.filter(followers__lte=filters.followers_max)
    if filters.status:
        accounts = accounts.filter(influencer__status=filters.status)
    accounts = _filter_verdict(accounts, filters.verdict)
    return accounts.order_by(*_ordering(sort)).prefetch_related(
        Prefetch("influencer__niches", queryset=Niche.objects.order_by("name"))
    )


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
    expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
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
