"""Engagement rates and their comparison with a benchmark: pure functions, no database.

An engagement rate is interactions / denominator as a percentage, where the denominator is
the account's followers (the default, and what public data allows), the reach of a post, or
its views. Which interactions count is the organisation's choice: likes and comments always,
saves and shares when it opts in and the numbers exist. Every result says what it counted,
so a figure on screen can be reproduced by hand.

Worked example: 4,000 followers, 554 likes and 40 comments give (554 + 40) / 4,000 = 14.85%,
which is 2.475 (shown as 2.5) times a 6.0% benchmark.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

RATE_PLACES = Decimal("0.001")
RATIO_PLACES = Decimal("0.001")

# A rate within 10% of its benchmark is "at" the benchmark; the band keeps a rounding
# difference from turning into a verdict.
AT_BENCHMARK_LOW = Decimal("0.9")
AT_BENCHMARK_HIGH = Decimal("1.1")


class Verdict(StrEnum):
    ABOVE = "above"
    AT = "at"
    BELOW = "below"


@dataclass(frozen=True)
class Interactions:
    """Average interactions per post; None where the platform did not give the number."""

    likes: Decimal | None
    comments: Decimal | None
    saves: Decimal | None = None
    shares: Decimal | None = None


@dataclass(frozen=True)
class EngagementRate:
    rate: Decimal  # percent
    interactions: Decimal
    counted: tuple[str, ...]  # e.g. ("likes", "comments")
    denominator: int
    formula: str  # "followers", "reach" or "views"


def counted_interactions(
    interactions: Interactions, *, include_saves: bool = False, include_shares: bool = False
) -> tuple[Decimal, tuple[str, ...]] | None:
    """The interactions that count and their names; None when likes or comments are missing.

    Saves and shares count only when the organisation opted in and the number exists, so an
    account without them is not pushed down by a zero nobody measured.
    """
    if interactions.likes is None or interactions.comments is None:
        return None
    total = Decimal(interactions.likes) + Decimal(interactions.comments)
    counted = ["likes", "comments"]
    if include_saves and interactions.saves is not None:
        total += Decimal(interactions.saves)
        counted.append("saves")
    if include_shares and interactions.shares is not None:
        total += Decimal(interactions.shares)
        counted.append("shares")
    return total, tuple(counted)


def _rate(
    interactions: Interactions, denominator: int | None, formula: str, **include
) -> EngagementRate | None:
    counted = counted_interactions(interactions, **include)
    if counted is None or not denominator or denominator <= 0:
        return None
    total, names = counted
    rate = (total * 100 / Decimal(denominator)).quantize(RATE_PLACES, ROUND_HALF_UP)
    return EngagementRate(rate, total, names, denominator, formula)


def rate_by_followers(interactions: Interactions, followers: int | None, **include):
    return _rate(interactions, followers, "followers", **include)


def rate_by_reach(interactions: Interactions, reach: int | None, **include):
    return _rate(interactions, reach, "reach", **include)


def rate_by_views(interactions: Interactions, views: int | None, **include):
    return _rate(interactions, views, "views", **include)


def benchmark_ratio(rate: Decimal | None, benchmark: Decimal | None) -> Decimal | None:
    """How many times the benchmark a rate is; None when either is missing.

    The definition. The directory stores the same figure for every account at once in SQL
    (influencers.derived.social_accounts_recompute); tests hold the two to the same results.
    """
    if rate is None or not benchmark:
        return None
    return (Decimal(rate) / Decimal(benchmark)).quantize(RATIO_PLACES, ROUND_HALF_UP)


def verdict(ratio: Decimal | None) -> Verdict | None:
    if ratio is None:
        return None
    if ratio > AT_BENCHMARK_HIGH:
        return Verdict.ABOVE
    if ratio < AT_BENCHMARK_LOW:
        return Verdict.BELOW
    return Verdict.AT
