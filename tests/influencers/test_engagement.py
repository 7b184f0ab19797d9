from decimal import Decimal

import pytest

from influencers import engagement
from influencers.engagement import Interactions, Verdict
from influencers.fit import Candidate, TargetProfile, fit_score


def test_the_worked_example_holds():
    result = engagement.rate_by_followers(Interactions(likes=554, comments=40), 4000)
    assert result.rate == Decimal("14.850")
    assert result.counted == ("likes", "comments")
    ratio = engagement.benchmark_ratio(result.rate, Decimal("6.0"))
    assert ratio == Decimal("2.475")
    assert f"{ratio:.1f}" == "2.5"
    assert engagement.verdict(ratio) == Verdict.ABOVE


def test_saves_and_shares_count_only_when_chosen_and_measured():
    interactions = Interactions(likes=100, comments=10, saves=20, shares=None)
    plain = engagement.rate_by_followers(interactions, 1000)
    assert plain.rate == Decimal("11.000") and plain.counted == ("likes", "comments")
    chosen = engagement.rate_by_followers(
        interactions, 1000, include_saves=True, include_shares=True
    )
    assert chosen.rate == Decimal("13.000")
    assert chosen.counted == ("likes", "comments", "saves")  # shares were not measured


def test_reach_and_views_divide_by_their_own_number():
    interactions = Interactions(likes=90, comments=10)
    assert engagement.rate_by_reach(interactions, 2000).rate == Decimal("5.000")
    assert engagement.rate_by_views(interactions, 10000).formula == "views"


@pytest.mark.parametrize(
    "likes, comments, denominator",
    [(None, 10, 1000), (10, None, 1000), (10, 10, None), (10, 10, 0)],
)
def test_a_missing_number_gives_no_rate_rather_than_zero(likes, comments, denominator):
    assert engagement.rate_by_followers(Interactions(likes, comments), denominator) is None


def test_verdict_bands_and_missing_values():
    assert engagement.verdict(Decimal("1.2")) == Verdict.ABOVE
    assert engagement.verdict(Decimal("1.1")) == Verdict.AT
    assert engagement.verdict(Decimal("0.9")) == Verdict.AT
    assert engagement.verdict(Decimal("0.85")) == Verdict.BELOW
    assert engagement.verdict(None) is None
    assert engagement.benchmark_ratio(Decimal("5"), None) is None


def _candidate(**overrides):
    values = dict(
        niches=frozenset({"skincare", "coffee"}),
        tier="micro",
        location="Berlin, Germany",
        followers=4000,
        engagement_rate=Decimal("14.85"),
    )
    values.update(overrides)
    return Candidate(**values)


def test_a_candidate_meeting_every_criterion_scores_100_with_reasons():
    profile = TargetProfile(
        niches=frozenset({"skincare"}),
        tiers=frozenset({"micro"}),
        locations=frozenset({"germany"}),
        followers_min=1000,
        followers_max=10000,
        min_engagement_rate=Decimal("3"),
    )
    fit = fit_score(_candidate(), profile)
    assert fit.score == 100
    assert fit.reasons == [
        "✓ niche skincare is wanted",
        "✓ tier micro is wanted",
        "✓ location Berlin, Germany is wanted",
        "✓ 4,000 followers within 1,000–10,000",
        "✓ engagement 14.85% ≥ 3%",
    ]


def test_missing_numbers_score_nothing_and_say_so():
    profile = TargetProfile(tiers=frozenset({"micro"}), min_engagement_rate=Decimal("3"))
    fit = fit_score(_candidate(tier=None, engagement_rate=None), profile)
    assert fit.score == 0
    assert fit.reasons == ["✗ tier unknown: followers missing", "✗ engagement rate not measured"]


def test_a_partial_fit_scores_its_share():
    profile = TargetProfile(niches=frozenset({"running"}), tiers=frozenset({"micro"}))
    fit = fit_score(_candidate(), profile)
    assert fit.score == 50
    assert fit.reasons[0] == "✗ no wanted niche (running)"


def test_fit_reasons_round_rates_as_the_directory_shows_them():
    profile = TargetProfile(min_engagement_rate=Decimal("3.000"))
    fit = fit_score(_candidate(engagement_rate=Decimal("3.885")), profile)
    assert fit.reasons == ["✓ engagement 3.89% ≥ 3%"]
