"""The API for influencers, social accounts, tiers and benchmarks: the screens' rules."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from influencers import services
from influencers.models import Benchmark, DataSource, FollowerTier, Influencer, SocialAccount
from tests.api import Api, api_errors

INFLUENCERS = "/api/v1/influencers/"
ACCOUNTS = "/api/v1/social-accounts/"
TIERS = "/api/v1/tiers/"
BENCHMARKS = "/api/v1/benchmarks/"
WORKED_EXAMPLE = {
    "platform": "instagram",
    "handle": "ana.glow",
    "followers": 4000,
    "avg_likes": "554",
    "avg_comments": "40",
}


def make_influencer(organization, name="Ana"):
    return services.influencer_save(organization=organization, name=name, niches=["skincare"])


def make_account(influencer, handle, **numbers):
    fields = {**WORKED_EXAMPLE, "handle": handle, **numbers}
    fields["avg_likes"], fields["avg_comments"] = (
        Decimal(fields["avg_likes"]),
        Decimal(fields["avg_comments"]),
    )
    return services.social_account_save(influencer=influencer, source=DataSource.MANUAL, **fields)


# --- Influencers -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_marketer_lists_creates_updates_and_deletes_influencers(team):
    api = Api(team.marketer)
    response = api.send(
        "post",
        INFLUENCERS,
        {"name": "Ana Glow", "email": "ANA@example.com", "niches": ["#Skincare", "coffee"]},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["email"] == "ana@example.com"
    assert created["niches"] == ["coffee", "skincare"] and created["status"] == "prospect"
    url = f"{INFLUENCERS}{created['code']}/"
    response = api.send("patch", url, {"status": "partner"})
    assert response.status_code == 200, response.content
    assert response.json()["niches"] == ["coffee", "skincare"]  # kept when not sent
    assert response.json()["status"] == "partner" and response.json()["name"] == "Ana Glow"
    names = [row["name"] for row in api.get(INFLUENCERS).json()["results"]]
    assert names == ["Ana Glow"]
    assert api.send("delete", url).status_code == 204
    assert not Influencer.objects.exists()


@pytest.mark.django_db
def test_bad_influencer_input_gets_a_message_per_field(team):
    response = Api(team.marketer).send(
        "post", INFLUENCERS, {"name": "", "email": "nope", "status": "famous"}
    )
    assert response.status_code == 400
    assert set(api_errors(response)) == {"name", "email", "status"}
    assert not Influencer.objects.exists()


# --- Social accounts -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_worked_example_through_the_api(team):
    influencer = make_influencer(team.organization)
    api = Api(team.marketer)
    response = api.send("post", ACCOUNTS, {**WORKED_EXAMPLE, "influencer": str(influencer.code)})
    assert response.status_code == 201, response.content
    account = response.json()
    assert account["engagement_rate"] == "14.850"
    assert account["benchmark_ratio"] == "2.475"
    assert account["engagement_formula"] == "followers"
    assert account["engagement_interactions"] == "likes + comments"
    assert (account["tier"], account["tier_range"]) == ("micro", "1,000–10,000")
    assert account["benchmark_rate"] == "6.000"
    assert account["benchmark_source"].startswith("Stryde, 'What Are Micro-Influencers")
    assert account["engagement_source"] == account["audience_source"] == "manual"
    assert account["engagement_computed_at"] and account["audience_updated_at"]
    assert account["influencer"] == str(influencer.code)


@pytest.mark.django_db
def test_a_marketer_lists_updates_and_deletes_accounts(team):
    ana = make_influencer(team.organization)
    other = make_influencer(team.organization, "Ben")
    account = make_account(ana, "ana")
    make_account(other, "ben")
    api = Api(team.marketer)
    rows = api.get(f"{ACCOUNTS}?influencer={ana.code}").json()["results"]
    assert [row["handle"] for row in rows] == ["ana"]
    assert len(api.get(ACCOUNTS).json()["results"]) == 2
    url = f"{ACCOUNTS}{account.code}/"
    response = api.send("patch", url, {"followers": 12_000, "engagement_rate": "99"})
    assert response.status_code == 200, response.content
    # A computed field cannot be written; it follows from the numbers.
    assert response.json()["engagement_rate"] == "4.950"
    assert response.json()["tier"] == "mid-tier"
    assert api.send("delete", url).status_code == 204
    assert list(SocialAccount.objects.values_list("handle", flat=True)) == ["ben"]


@pytest.mark.django_db
def test_an_account_cannot_move_to_another_influencer(team):
    account = make_account(make_influencer(team.organization), "ana")
    other = make_influencer(team.organization, "Ben")
    response = Api(team.marketer).send(
        "patch", f"{ACCOUNTS}{account.code}/", {"influencer": str(other.code)}
    )
    assert response.status_code == 422
    assert "influencer" in api_errors(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message", "status"),
    [
        ({"platform": "myspace"}, "platform", "not a valid choice", 400),
        ({"followers": -1}, "followers", "greater than or equal to 0", 400),
        ({"avg_likes": "-3"}, "avg_likes", "negative", 400),
        ({"handle": "bad handle!"}, "handle", "letters, digits", 400),
        ({"influencer": "not-a-code"}, "influencer", "code is a UUID", 400),
        ({"handle": "Taken"}, "handle", "already belongs to Ana", 409),
        ({"engagement_formula": "reach"}, "avg_reach", "divides by this number", 422),
        ({"influencer": "other-organisation"}, "influencer", "Unknown influencer.", 422),
    ],
)
def test_bad_account_input_gets_a_message_per_field_and_saves_nothing(
    team, change, field, message, status
):
    ana = make_influencer(team.organization)
    make_account(ana, "taken")
    outsiders_influencer = make_influencer(team.outsider.organization, "Elsewhere")
    data = {**WORKED_EXAMPLE, "influencer": str(ana.code), **change}
    if data["influencer"] == "other-organisation":
        data["influencer"] = str(outsiders_influencer.code)
    before = list(SocialAccount.objects.order_by("pk").values())
    response = Api(team.marketer).send("post", ACCOUNTS, data)
    assert response.status_code == status
    assert any(message in error for error in api_errors(response)[field]), response.json()
    assert list(SocialAccount.objects.order_by("pk").values()) == before
    assert str(outsiders_influencer.code) not in response.content.decode()


# --- Roles -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_manager_reads_but_every_write_is_403(team):
    influencer = make_influencer(team.organization)
    account = make_account(influencer, "ana")
    benchmark = account.benchmark
    api = Api(team.manager)
    for url in (INFLUENCERS, ACCOUNTS, TIERS, BENCHMARKS):
        assert api.get(url).status_code == 200
    writes = [
        ("post", INFLUENCERS, {"name": "New"}),
        ("patch", f"{INFLUENCERS}{influencer.code}/", {"name": "Renamed"}),
        ("delete", f"{INFLUENCERS}{influencer.code}/", None),
        ("post", ACCOUNTS, {**WORKED_EXAMPLE, "influencer": str(influencer.code)}),
        ("patch", f"{ACCOUNTS}{account.code}/", {"followers": 1}),
        ("delete", f"{ACCOUNTS}{account.code}/", None),
        ("post", TIERS, {"name": "giga", "lower": 5_000_000}),
        ("patch", f"{TIERS}{account.tier.code}/", {"name": "small"}),
        ("delete", f"{TIERS}{account.tier.code}/", None),
        ("patch", f"{BENCHMARKS}{benchmark.code}/", {"rate": "3"}),
        ("delete", f"{BENCHMARKS}{benchmark.code}/", None),
    ]
    for method, url, data in writes:
        assert api.send(method, url, data).status_code == 403, (method, url)
    assert Influencer.objects.get().name == "Ana"
    assert FollowerTier.objects.filter(organization=team.organization).count() == 5


@pytest.mark.django_db
def test_marketers_read_tiers_and_benchmarks_but_only_owners_change_them(team):
    micro = FollowerTier.objects.get(organization=team.organization, name="micro")
    marketer, owner = Api(team.marketer), Api(team.owner)
    assert marketer.send("patch", f"{TIERS}{micro.code}/", {"upper": 9000}).status_code == 403
    response = owner.send("patch", f"{TIERS}{micro.code}/", {"upper": 9000})
    assert response.status_code == 200, response.content
    assert response.json()["source"] == services.ORGANIZATION_SOURCE


@pytest.mark.django_db
def test_another_organisations_rows_are_404(team):
    account = make_account(make_influencer(team.outsider.organization), "elsewhere")
    api = Api(team.owner)
    for url in (
        f"{INFLUENCERS}{account.influencer.code}/",
        f"{ACCOUNTS}{account.code}/",
        f"{TIERS}{account.tier.code}/",
        f"{BENCHMARKS}{account.benchmark.code}/",
    ):
        assert api.get(url).status_code == 404
        assert api.send("delete", url).status_code == 404
    assert SocialAccount.objects.filter(pk=account.pk).exists()


# --- Tiers and benchmarks --------------------------------------------------------------------


@pytest.mark.django_db
def test_tiers_are_checked_against_the_whole_table(team):
    api = Api(team.owner)
    tiers = api.get(TIERS).json()["results"]
    assert [(t["name"], t["lower"], t["upper"]) for t in tiers][:2] == [
        ("nano", 0, 1000),
        ("micro", 1000, 10000),
    ]
    assert (tiers[1]["cost_min"], tiers[1]["cost_max"]) == ("150.00", "500.00")
    assert tiers[0]["cost_min"] is None  # missing, not 0
    response = api.send("post", TIERS, {"name": "giga", "lower": 5_000_000})
    assert response.status_code == 422
    assert api_errors(response) == {"lower": ["Overlaps mega (1,000,000+)."]}
    response = api.send("post", TIERS, {"name": "Micro", "lower": 5, "upper": 2})
    assert set(api_errors(response)) == {"name", "upper"}
    response = api.send("post", TIERS, {"name": "x", "lower": 0, "cost_min": "-1"})
    assert response.status_code == 400 and "cost_min" in api_errors(response)
    assert len(api.get(TIERS).json()["results"]) == 5
    mega = tiers[-1]["code"]
    response = api.send("patch", f"{TIERS}{mega}/", {"upper": 5_000_000})
    assert response.status_code == 200
    response = api.send("post", TIERS, {"name": "giga", "lower": 5_000_000, "cost_max": "9000"})
    assert response.status_code == 422 and api_errors(response) == {
        "cost_source": ["Say where this cost comes from."]
    }


@pytest.mark.django_db
def test_deleting_a_tier_re_tiers_its_accounts_and_the_last_one_stays(team):
    account = make_account(make_influencer(team.organization), "ana")
    api = Api(team.owner)
    assert api.send("delete", f"{TIERS}{account.tier.code}/").status_code == 204
    account.refresh_from_db()
    assert account.tier is None and account.benchmark_ratio is None
    for tier in FollowerTier.objects.filter(organization=team.organization)[:3]:
        assert api.send("delete", f"{TIERS}{tier.code}/").status_code == 204
    last = FollowerTier.objects.get(organization=team.organization)
    response = api.send("delete", f"{TIERS}{last.code}/")
    assert response.status_code == 422
    assert api_errors(response) == {"non_field_errors": ["Keep at least one tier."]}


@pytest.mark.django_db
def test_editing_a_benchmark_through_the_api_changes_the_ratio(team):
    account = make_account(make_influencer(team.organization), "ana")
    api = Api(team.owner)
    url = f"{BENCHMARKS}{account.benchmark.code}/"
    for bad, field in (
        ({"rate": "0"}, "rate"),
        ({"rate": "150"}, "rate"),
        ({"source": ""}, "source"),
    ):
        response = api.send("patch", url, bad)
        assert response.status_code == 422 and set(api_errors(response)) == {field}
    response = api.send("patch", url, {"rate": "3.0", "source": "Our sample", "year": 2025})
    assert response.status_code == 200, response.content
    account.refresh_from_db()
    assert account.benchmark_ratio == Decimal("4.950")


@pytest.mark.django_db
def test_benchmarks_are_created_for_a_tier_of_the_organisation_only(team):
    foreign = FollowerTier.objects.get(organization=team.outsider.organization, name="micro")
    micro = FollowerTier.objects.get(organization=team.organization, name="micro")
    api = Api(team.owner)
    data = {"platform": "other", "formula": "followers", "rate": "4.5", "source": "Sample"}
    response = api.send("post", BENCHMARKS, {**data, "tier": str(foreign.code)})
    assert response.status_code == 422 and api_errors(response) == {"tier": ["Unknown tier."]}
    response = api.send("post", BENCHMARKS, {**data, "tier": str(micro.code)})
    assert response.status_code == 201, response.content
    assert response.json()["tier_name"] == "micro"
    response = api.send("post", BENCHMARKS, {**data, "tier": str(micro.code)})
    assert response.status_code == 409 and "formula" in api_errors(response)
    created = Benchmark.objects.get(platform="other")
    assert api.send("delete", f"{BENCHMARKS}{created.code}/").status_code == 204
    assert not Benchmark.objects.filter(platform="other").exists()


# --- Query counts ----------------------------------------------------------------------------


def _tier_rows(number):
    return [
        {"name": f"t{n}", "lower": n * 100, "upper": n * 100 + 100, "cost_currency": "USD"}
        for n in range(number)
    ]


def _grow(resource, organization, start, stop):
    """Rows number `start` to `stop` of `resource` (influencers have two accounts each)."""
    if resource in (INFLUENCERS, ACCOUNTS):
        for n in range(start, stop):
            influencer = make_influencer(organization, f"Person {n}")
            make_account(influencer, f"h{n}")
            make_account(influencer, f"t{n}", platform="tiktok")
    elif resource == TIERS:
        services.tiers_save(organization=organization, rows=_tier_rows(stop))
    else:
        tiers = FollowerTier.objects.filter(organization=organization).order_by("lower")
        for tier in tiers[start:stop]:
            services.benchmark_save(
                organization=organization,
                platform="other",
                tier=tier,
                formula="followers",
                rate=Decimal("2"),
                source="Sample",
            )


@pytest.mark.django_db
@pytest.mark.parametrize("resource", [INFLUENCERS, ACCOUNTS, TIERS, BENCHMARKS])
def test_list_endpoints_cost_the_same_queries_for_one_or_thirty_rows(team, resource):
    api = Api(team.marketer)
    api.get(resource)  # the token's last-used time is written once, first
    if resource == BENCHMARKS:  # 31 tiers without benchmarks, to hang 1 and then 31 on
        services.tiers_save(organization=team.organization, rows=_tier_rows(31))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = api.get(resource)
            assert response.status_code == 200
        return len(captured), response.json()["count"]

    _grow(resource, team.organization, 0, 1)
    with_one, count = queries()
    assert count == (2 if resource == ACCOUNTS else 1)
    _grow(resource, team.organization, 1, 31)
    with_many, count = queries()
    assert count == (62 if resource == ACCOUNTS else 31)
    assert with_many == with_one
