"""The API for campaigns, goals and measurements: the screens' rules, and forecasts out."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.models import BrandHandle
from campaigns import services
from campaigns.models import Campaign, Goal, GoalMeasurement
from tests.api import Api, api_errors

CAMPAIGNS = "/api/v1/campaigns/"
GOALS = "/api/v1/goals/"
MEASUREMENTS = "/api/v1/goal-measurements/"


def today():
    return timezone.localdate()


def make_brand(organization, name="Glow & Co"):
    return account_services.brand_save(
        organization=organization, name=name, handles={"instagram": "glowco"}
    )


def make_campaign(organization, name="Coffee scrub launch", brand=None):
    brand = brand or make_brand(organization)
    return services.campaign_save(organization=organization, brand=brand, name=name)


def make_goal(campaign, **change):
    fields = {
        "metric": "attributed_revenue",
        "baseline": Decimal(0),
        "target_kind": "absolute",
        "target_value": Decimal(20000),
        "deadline": today() + timedelta(days=35),
        **change,
    }
    return services.goal_save(campaign=campaign, **fields)


def follower_goal_data(campaign):
    handle = BrandHandle.objects.get(brand=campaign.brand, platform="instagram")
    return {
        "campaign": str(campaign.code),
        "metric": "follower_growth",
        "brand_handle": str(handle.code),
        "baseline": "12000",
        "target_kind": "percent",
        "target_value": "30",
        "deadline": str(today() + timedelta(days=35)),
    }


# --- Campaigns and goals ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_marketer_creates_a_campaign_and_a_goal(team):
    brand = make_brand(team.organization)
    api = Api(team.marketer)
    response = api.send(
        "post",
        CAMPAIGNS,
        {
            "brand": str(brand.code),
            "name": "Coffee scrub launch",
            "status": "recruiting",
            "start_date": str(today()),
            "end_date": str(today() + timedelta(days=35)),
            "budget_amount": "6000",
            "budget_currency": "eur",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["brand"], created["brand_name"]) == (str(brand.code), "Glow & Co")
    assert (created["budget_amount"], created["budget_currency"]) == ("6000.00", "EUR")
    campaign = Campaign.objects.get(code=created["code"])
    assert campaign.organization == team.organization and campaign.owner == team.marketer.user

    response = api.send("patch", f"{CAMPAIGNS}{campaign.code}/", {"status": "live"})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Coffee scrub launch"  # kept when not sent
    assert response.json()["status"] == "live"

    response = api.send("post", GOALS, follower_goal_data(campaign))
    assert response.status_code == 201, response.content
    goal = response.json()
    assert goal["campaign"] == str(campaign.code)
    assert goal["campaign_name"] == "Coffee scrub launch"
    assert (goal["baseline"], goal["target_value"], goal["target"]) == (
        "12000.00",
        "30.00",
        "15600.00",
    )
    assert goal["progress"]["forecast"] == "not enough data"
    assert goal["progress"]["current"] is None
    assert Goal.objects.get().organization == team.organization


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message", "status"),
    [
        # What the schema requires is a 400; what only the product knows is a 422.
        ({"deadline": None}, "deadline", "needs a deadline", 400),
        ({"deadline": "omit"}, "deadline", "needs a deadline", 400),
        ({"deadline": "past"}, "deadline", "must be in the future", 422),
        (
            {"target_kind": "absolute", "target_value": "12000"},
            "target_value",
            "equals the baseline",
            422,
        ),
        ({"target_value": None}, "target_value", "needs a target number", 400),
        ({"baseline": "omit"}, "baseline", "Enter today's value", 400),
        ({"baseline": "-1"}, "baseline", "negative", 400),
        ({"brand_handle": None}, "brand_handle", "Choose the brand account", 422),
        ({"brand_handle": "omit"}, "brand_handle", "Choose the brand account", 422),
    ],
)
def test_a_vague_goal_is_refused_with_the_reason_at_its_field(team, change, field, message, status):
    campaign = make_campaign(team.organization)
    data = {**follower_goal_data(campaign), **change}
    if data.get("deadline") == "past":
        data["deadline"] = str(today() - timedelta(days=1))
    data = {name: value for name, value in data.items() if value != "omit"}
    response = Api(team.marketer).send("post", GOALS, data)
    assert response.status_code == status
    assert any(message in error for error in api_errors(response)[field]), response.json()
    assert not Goal.objects.exists()


@pytest.mark.django_db
def test_a_manager_reads_but_every_write_is_403(team):
    campaign = make_campaign(team.organization)
    goal = make_goal(campaign)
    measurement = services.goal_measurement_record(goal=goal, measured_on=today(), value=Decimal(5))
    api = Api(team.manager)
    for url in (CAMPAIGNS, GOALS, MEASUREMENTS, f"{GOALS}{goal.code}/"):
        assert api.get(url).status_code == 200
    writes = [
        ("post", CAMPAIGNS, {"brand": str(campaign.brand.code), "name": "New"}),
        ("patch", f"{CAMPAIGNS}{campaign.code}/", {"name": "Renamed"}),
        ("delete", f"{CAMPAIGNS}{campaign.code}/", None),
        ("post", GOALS, follower_goal_data(campaign)),
        ("patch", f"{GOALS}{goal.code}/", {"target_value": "30000"}),
        ("delete", f"{GOALS}{goal.code}/", None),
        ("post", MEASUREMENTS, {"goal": str(goal.code), "measured_on": str(today()), "value": 9}),
        ("delete", f"{MEASUREMENTS}{measurement.code}/", None),
    ]
    for method, url, data in writes:
        assert api.send(method, url, data).status_code == 403, (method, url)
    assert Campaign.objects.get().name == "Coffee scrub launch"
    assert Goal.objects.get().target_value == 20000
    assert GoalMeasurement.objects.get().value == 5


# --- Organisations ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_organisations_brand_campaign_goal_or_handle_is_unknown(team):
    own = make_campaign(team.organization)
    own_goal = make_goal(own)
    theirs = make_campaign(team.outsider.organization, name="Their launch")
    their_goal = make_goal(theirs)
    their_handle = BrandHandle.objects.get(brand=theirs.brand)
    api = Api(team.marketer)
    attempts = [
        (CAMPAIGNS, {"brand": str(theirs.brand.code), "name": "Stolen"}, "brand", "Unknown brand."),
        (GOALS, {**follower_goal_data(own), "campaign": str(theirs.code)}, "campaign", "Unknown"),
        (
            GOALS,
            {**follower_goal_data(own), "brand_handle": str(their_handle.code)},
            "brand_handle",
            "Unknown brand account.",
        ),
        (
            MEASUREMENTS,
            {"goal": str(their_goal.code), "measured_on": str(today()), "value": "1"},
            "goal",
            "Unknown goal.",
        ),
    ]
    before = (Campaign.objects.count(), Goal.objects.count(), GoalMeasurement.objects.count())
    for url, data, field, message in attempts:
        response = api.send("post", url, data)
        # Well-formed codes of rows this organisation does not have: a 422, as made-up ones.
        assert response.status_code == 422, (url, field)
        assert any(message in error for error in api_errors(response)[field]), response.json()
        for code in (theirs.code, theirs.brand.code, their_goal.code, their_handle.code):
            assert str(code) not in response.content.decode()
    response = api.send("post", GOALS, {**follower_goal_data(own), "campaign": "not-a-code"})
    assert response.status_code == 400
    assert api_errors(response) == {"campaign": ["A campaign code is a UUID."]}
    assert (Campaign.objects.count(), Goal.objects.count(), GoalMeasurement.objects.count()) == (
        before
    )
    # Their rows are 404 and never listed; filtering by their code finds nothing.
    assert api.get(f"{CAMPAIGNS}{theirs.code}/").status_code == 404
    assert api.get(f"{GOALS}{their_goal.code}/").status_code == 404
    assert api.get(f"{GOALS}?campaign={theirs.code}").json()["results"] == []
    assert [row["code"] for row in api.get(GOALS).json()["results"]] == [str(own_goal.code)]


@pytest.mark.django_db
def test_a_goal_stays_with_its_campaign(team):
    goal = make_goal(make_campaign(team.organization))
    other = make_campaign(team.organization, name="Other", brand=goal.campaign.brand)
    response = Api(team.marketer).send(
        "patch", f"{GOALS}{goal.code}/", {"campaign": str(other.code)}
    )
    assert response.status_code == 422 and "campaign" in api_errors(response)


# --- Measurements and forecast ---------------------------------------------------------------


@pytest.mark.django_db
def test_recorded_measurements_make_the_goals_forecast_appear(team):
    campaign = make_campaign(team.organization)
    api = Api(team.marketer)
    goal = api.send("post", GOALS, follower_goal_data(campaign)).json()
    for weeks_ago, value in ((6, "12180"), (4, "12420"), (2, "12650"), (0, "12900")):
        response = api.send(
            "post",
            MEASUREMENTS,
            {
                "goal": goal["code"],
                "measured_on": str(today() - timedelta(weeks=weeks_ago)),
                "value": value,
            },
        )
        assert response.status_code == 201, response.content
        assert response.json()["campaign_name"] == "Coffee scrub launch"
    progress = api.get(f"{GOALS}{goal['code']}/").json()["progress"]
    assert progress["current"] == "12900.00"
    assert progress["achieved_percent"] == "25.0"  # 900 of the 3,600 to go
    assert progress["pace_per_week"] == "540.00"  # 2,700 left over 5 weeks
    assert progress["forecast"] == "at risk"
    assert Decimal(progress["projected"]) < Decimal(15600)
    assert "Least-squares line through 4 measurements" in progress["method"]
    rows = api.get(f"{MEASUREMENTS}?goal={goal['code']}").json()["results"]
    assert [row["value"] for row in rows] == ["12180.00", "12420.00", "12650.00", "12900.00"]


@pytest.mark.django_db
def test_bad_measurements_get_a_message_per_field(team):
    goal = make_goal(make_campaign(team.organization))
    api = Api(team.marketer)
    tomorrow = str(today() + timedelta(days=1))
    response = api.send(
        "post", MEASUREMENTS, {"goal": str(goal.code), "measured_on": tomorrow, "value": "1"}
    )
    assert response.status_code == 422 and "future" in api_errors(response)["measured_on"][0]
    response = api.send(
        "post", MEASUREMENTS, {"goal": str(goal.code), "measured_on": str(today()), "value": "-1"}
    )
    assert response.status_code == 400 and "negative" in api_errors(response)["value"][0]
    assert api.get(f"{MEASUREMENTS}?goal=nope").status_code == 400
    assert not GoalMeasurement.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("resource", [CAMPAIGNS, GOALS, MEASUREMENTS])
def test_list_endpoints_cost_the_same_queries_for_one_or_thirty_rows(team, resource):
    api = Api(team.marketer)
    api.get(resource)  # the token's last-used time is written once, first
    campaign = make_campaign(team.organization)

    def grow(count):
        for number in range(count):
            goal = make_goal(campaign, target_value=Decimal(1000 + number))
            for days_ago in (14, 7, 0):
                services.goal_measurement_record(
                    goal=goal,
                    measured_on=today() - timedelta(days=days_ago),
                    value=Decimal(10 * number + days_ago),
                )
            if resource == CAMPAIGNS:
                make_campaign(team.organization, name=f"Campaign {number}", brand=campaign.brand)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = api.get(resource)
            assert response.status_code == 200
        return len(captured), response.json()["count"]

    grow(1)
    with_one, count = queries()
    assert count == {CAMPAIGNS: 2, GOALS: 1, MEASUREMENTS: 3}[resource]
    grow(29)
    with_many, count = queries()
    assert count == {CAMPAIGNS: 31, GOALS: 30, MEASUREMENTS: 90}[resource]
    assert with_many == with_one
