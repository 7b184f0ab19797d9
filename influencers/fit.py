"""How well an account fits a target profile: a score out of 100 with the reasons.

Each criterion the profile sets (niches, tiers, locations, follower range, minimum
engagement rate) is worth the same share of the score. An account earns the share when it
meets the criterion; a missing number earns nothing and is named as missing, so a high rank
is never built on data nobody measured. Criteria the profile leaves empty are not scored.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from influencers.places import country_codes, country_name


@dataclass(frozen=True)
class TargetProfile:
    """The influencers a campaign looks for; an empty set or a None bound restricts nothing."""

    channels: frozenset[str] = frozenset()  # platforms: the shortlist filters, the score not
    niches: frozenset[str] = frozenset()  # lower case
    tiers: frozenset[str] = frozenset()  # tier names
    # Countries by name ("Germany": the influencer's country) or other places, matched
    # case-insensitively within the influencer's city ("Berlin").
    locations: frozenset[str] = frozenset()
    followers_min: int | None = None
    followers_max: int | None = None
    min_engagement_rate: Decimal | None = None  # percent


@dataclass(frozen=True)
class Candidate:
    niches: frozenset[str]
    tier: str | None
    location: str
    followers: int | None
    engagement_rate: Decimal | None
    country: str = ""  # ISO 3166 code, "" when unknown


@dataclass
class Fit:
    score: int
    reasons: list[str] = field(default_factory=list)  # each says met, missed or missing


def _location_check(candidate: Candidate, wanted: frozenset[str]) -> tuple[bool, str]:
    if not candidate.location and not candidate.country:
        return False, "location missing"
    place = ", ".join(filter(None, [candidate.location, country_name(candidate.country)]))
    city = candidate.location.lower()
    met = candidate.country in country_codes(wanted) or any(p.lower() in city for p in wanted)
    return met, f"location {place} is {'' if met else 'not '}wanted"


def fit_score(candidate: Candidate, profile: TargetProfile) -> Fit:
    checks = []
    if profile.niches:
        shared = sorted(candidate.niches & profile.niches)
        checks.append(
            (True, f"niche {', '.join(shared)} is wanted")
            if shared
            else (False, f"no wanted niche ({', '.join(sorted(profile.niches))})")
        )
    if profile.tiers:
        if candidate.tier is None:
            checks.append((False, "tier unknown: followers missing"))
        else:
            met = candidate.tier in profile.tiers
            checks.append((met, f"tier {candidate.tier} is {'' if met else 'not '}wanted"))
    if profile.locations:
        checks.append(_location_check(candidate, profile.locations))
    if profile.followers_min is not None or profile.followers_max is not None:
        checks.append(_followers_check(candidate.followers, profile))
    if profile.min_engagement_rate is not None:
        rate = candidate.engagement_rate
        if rate is None:
            checks.append((False, "engagement rate not measured"))
        else:
            met = rate >= profile.min_engagement_rate
            sign = "≥" if met else "<"
            shown = Decimal(rate).quantize(Decimal("0.01"), ROUND_HALF_UP)  # as the directory
            minimum = f"{Decimal(profile.min_engagement_rate).normalize():f}"
            checks.append((met, f"engagement {shown}% {sign} {minimum}%"))
    if not checks:
        return Fit(score=0, reasons=["the target profile sets no criteria"])
    met = sum(1 for passed, _ in checks if passed)
    return Fit(
        score=round(100 * met / len(checks)),
        reasons=[("✓ " if passed else "✗ ") + reason for passed, reason in checks],
    )


def _followers_check(followers, profile):
    low, high = profile.followers_min, profile.followers_max
    wanted = f"{low or 0:,}–{high:,}" if high is not None else f"{low:,}+"
    if followers is None:
        return False, "followers missing"
    met = (low is None or followers >= low) and (high is None or followers <= high)
    return met, f"{followers:,} followers {'within' if met else 'outside'} {wanted}"
