"""One write path for social accounts: the form, the API and the import derive alike."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from influencers import engagement, services
from influencers.derived import social_accounts_recompute
from influencers.importing import jobs
from influencers.models import EngagementSettings, ImportStatus, SocialAccount
from tests.api import Api
from tests.factories import InfluencerFactory, make_account
from tests.influencers.test_import import csv_bytes, make_job

DERIVED = [
    "engagement_rate",
    "engagement_interactions",
    "tier__name",
    "benchmark__rate",
    "benchmark_ratio",
]


def _derived(handle: str) -> dict:
    return SocialAccount.objects.filter(handle=handle).values(*DERIVED).get()


@pytest.mark.django_db
def test_the_directory_shows_the_new_rate_after_saves_start_to_count(owner_client, team):
    make_account(
        InfluencerFactory(organization=team.organization, name="Saver"),
        followers=4000,
        avg_likes=Decimal(554),
        avg_comments=Decimal(40),
        avg_saves=Decimal(60),
    )
    directory = reverse("influencers-index")
    assert "14.85%" in owner_client.get(directory).content.decode()

    owner_client.post(reverse("influencers-engagement-options"), {"include_saves": "on"})

    page = owner_client.get(directory).content.decode()
    assert "16.35%" in page  # (554 + 40 + 60) / 4,000
    assert "14.85%" not in page


@pytest.mark.django_db
def test_an_import_a_form_and_the_api_derive_the_same_figures(team, marketer_client):
    numbers = {"followers": "4000", "avg_likes": "554", "avg_comments": "40", "avg_saves": "60"}
    EngagementSettings.objects.filter(organization=team.organization).update(include_saves=True)
    influencer = InfluencerFactory(organization=team.organization)
    response = marketer_client.post(
        reverse("influencers-account-create", args=[influencer.code]),
        {"platform": "instagram", "handle": "by_form", "engagement_formula": "followers"} | numbers,
    )
    assert response.status_code == 302
    response = Api(team.marketer).send(
        "post",
        "/api/v1/social-accounts/",
        {"influencer": str(influencer.code), "platform": "instagram", "handle": "by_api"}
        | {**numbers, "followers": 4000, "engagement_formula": "followers"},
    )
    assert response.status_code == 201, response.content
    header = ["name", "platform", "handle", "followers", "avg_likes", "avg_comments", "avg_saves"]
    row = ["Imported", "instagram", "by_import", *numbers.values()]
    job = make_job(team, csv_bytes([row], header=header))
    assert jobs.import_run(job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.error

    expected = {
        "engagement_rate": Decimal("16.350"),
        "engagement_interactions": "likes + comments + saves",
        "tier__name": "micro",
        "benchmark__rate": Decimal("6.000"),
        "benchmark_ratio": Decimal("2.725"),
    }
    assert _derived("by_form") == _derived("by_api") == _derived("by_import") == expected


@pytest.mark.django_db
def test_a_recompute_with_nothing_changed_updates_no_row(team):
    accounts = [
        make_account(
            InfluencerFactory(organization=team.organization),
            followers=1000 * (n + 1),
            avg_likes=Decimal(100),
            avg_comments=Decimal(10),
            avg_saves=Decimal(20) if n % 2 else None,
        )
        for n in range(4)
    ]
    stamped = {a.pk: a.engagement_computed_at for a in accounts}
    assert social_accounts_recompute(organization=team.organization) == 0

    EngagementSettings.objects.filter(organization=team.organization).update(include_saves=True)
    assert social_accounts_recompute(organization=team.organization) == 2  # those with saves
    assert social_accounts_recompute(organization=team.organization) == 0

    moved = {
        pk
        for pk, at in SocialAccount.objects.values_list("pk", "engagement_computed_at")
        if at != stamped[pk]
    }
    assert moved == {accounts[1].pk, accounts[3].pk}  # the time moves only with the rate


@pytest.mark.django_db
def test_saving_an_account_unchanged_writes_nothing(team):
    account = make_account(
        InfluencerFactory(organization=team.organization),
        followers=4000,
        avg_likes=Decimal(554),
        avg_comments=Decimal(40),
    )
    with CaptureQueriesContext(connection) as queries:
        services.social_account_save(
            influencer=account.influencer,
            account=account,
            source="import",
            followers=4000,
            avg_likes=Decimal(554),
        )
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    account.refresh_from_db()
    assert account.audience_source == "manual"  # nothing changed, so no source moved


CASES = [
    # followers, likes, comments, saves, shares, reach, views, formula
    (4000, "554", "40", None, None, None, None, "followers"),  # the worked example
    (3, "1", "0", "1", "1", None, None, "followers"),
    (7, "2.5", "0.5", "0.25", None, None, None, "followers"),
    (1000, "10", None, None, None, None, None, "followers"),
    (0, "10", "2", None, None, None, None, "followers"),
    (500, "12.34", "5.67", "3", "4", 2000, None, "reach"),
    (200_000, "900", "35", None, "10", None, 30_000, "views"),
    (12_000, "900", "35", None, None, None, None, "views"),
    (1_500_000, "15000", "700", "80", "90", None, None, "followers"),
]


@pytest.mark.django_db
def test_the_database_computes_what_the_definition_says(team):
    EngagementSettings.objects.filter(organization=team.organization).update(
        include_saves=True, include_shares=True
    )
    expected = {}
    for followers, likes, comments, saves, shares, reach, views, formula in CASES:
        measured = {"likes": likes, "comments": comments, "saves": saves, "shares": shares}
        as_decimal = {
            name: None if value is None else Decimal(value) for name, value in measured.items()
        }
        account = make_account(
            InfluencerFactory(organization=team.organization),
            platform="instagram",
            followers=followers,
            avg_likes=as_decimal["likes"],
            avg_comments=as_decimal["comments"],
            avg_saves=as_decimal["saves"],
            avg_shares=as_decimal["shares"],
            avg_reach=reach,
            avg_views=views,
            engagement_formula=formula,
        )
        rate = getattr(engagement, f"rate_by_{formula}")(
            engagement.Interactions(**as_decimal),
            {"followers": followers, "reach": reach, "views": views}[formula],
            include_saves=True,
            include_shares=True,
        )
        expected[account.pk] = (
            rate.rate if rate else None,
            " + ".join(rate.counted) if rate else "",
        )
    for account in SocialAccount.objects.select_related("benchmark"):
        rate, counted = expected[account.pk]
        assert (account.engagement_rate, account.engagement_interactions) == (rate, counted)
        benchmark = account.benchmark.rate if account.benchmark else None
        assert account.benchmark_ratio == engagement.benchmark_ratio(rate, benchmark)
    worked = SocialAccount.objects.get(followers=4000)
    assert (worked.engagement_rate, worked.benchmark_ratio) == (Decimal("14.850"), Decimal("2.475"))
