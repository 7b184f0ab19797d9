import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import brand_save
from campaigns import services
from campaigns.models import Campaign, Goal, GoalMeasurement
from tests.factories import BrandFactory

LIST = reverse("campaigns-index")
IN_A_MONTH = date.today() + timedelta(days=30)


@pytest.fixture
def brand(team):
    return brand_save(
        organization=team.organization, name="Glow & Co", handles={"instagram": "glowco"}
    )


@pytest.fixture
def campaign(team, brand):
    return services.campaign_save(organization=team.organization, brand=brand, name="Scrub launch")


def _goal_form(**overrides):
    data = {
        "metric": "attributed_revenue",
        "baseline": "0",
        "target_kind": "absolute",
        "target_value": "20000",
        "deadline": IN_A_MONTH.isoformat(),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_empty_list_says_to_add_a_brand_first_then_to_start(marketer_client, team):
    assert "add your brand" in marketer_client.get(LIST).content.decode()
    BrandFactory(organization=team.organization)
    assert "Start a campaign" in marketer_client.get(LIST).content.decode()


@pytest.mark.django_db
def test_a_marketer_creates_a_campaign_and_impossible_values_are_refused(marketer_client, brand):
    form = {"brand": brand.pk, "name": "Scrub launch", "status": "planning",
            "budget_currency": "eur", "start_date": "2026-12-01", "end_date": "2026-11-01",
            "budget_amount": "-5"}  # fmt: skip
    page = marketer_client.post(reverse("campaigns-create"), form).content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    form["budget_amount"] = "6000"
    page = marketer_client.post(reverse("campaigns-create"), form).content.decode()
    assert "The campaign cannot end before it starts." in page
    assert not Campaign.objects.exists()
    form["end_date"] = "2026-12-31"
    response = marketer_client.post(reverse("campaigns-create"), form, follow=True)
    assert "Campaign Scrub launch created. Set its goals first." in response.content.decode()
    campaign = Campaign.objects.get()
    assert (campaign.budget_amount, campaign.budget_currency) == (Decimal("6000"), "EUR")


@pytest.mark.django_db
def test_another_organisations_brand_cannot_be_chosen(marketer_client, team, brand):
    theirs = BrandFactory(organization=team.outsider.organization)
    page = marketer_client.post(
        reverse("campaigns-create"),
        {"brand": theirs.pk, "name": "X", "status": "planning", "budget_currency": "EUR"},
    ).content.decode()
    assert "Select a valid choice." in page
    assert not Campaign.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"target_value": ""}, "A goal needs a target number: how much, exactly?"),
        ({"deadline": ""}, "A goal needs a deadline: by when?"),
        ({"deadline": "2020-01-01"}, "The deadline must be in the future"),
        ({"target_value": "0"}, "The target equals the baseline"),
        ({"target_kind": "percent", "target_value": "0"}, "A change of 0% is no goal"),
        ({"metric": "follower_growth"}, "Choose the brand account whose followers"),
        ({"metric": "engagement_rate", "target_value": "150"}, "at most 100"),
    ],
)
def test_a_vague_goal_is_refused_with_the_reason(marketer_client, campaign, overrides, message):
    url = reverse("campaigns-goal-create", args=[campaign.code])
    page = marketer_client.post(url, _goal_form(**overrides)).content.decode()
    assert message in page
    assert not Goal.objects.exists()


def _forecast_of(page: str, goal) -> str:
    """The forecast shown on the goal's own card of the campaign page."""
    card = page.split(f'id="goal-{goal.code}"', 1)[1].split("</article>", 1)[0]
    return re.search(r'<span class="forecast[^"]*">([^<]+)</span>', card).group(1)


@pytest.mark.django_db
def test_two_measurable_goals_with_progress_forecast_and_the_rail(marketer_client, campaign, brand):
    detail = reverse("campaigns-goals", args=[campaign.code])
    page = marketer_client.get(detail).content.decode()
    assert "No goals yet." in page and "Set a measurable goal." in page

    handle = brand.handles.get()
    marketer_client.post(
        reverse("campaigns-goal-create", args=[campaign.code]),
        _goal_form(metric="follower_growth", brand_handle=handle.pk, baseline="12000",
                   target_kind="percent", target_value="30"),
    )  # fmt: skip
    marketer_client.post(reverse("campaigns-goal-create", args=[campaign.code]), _goal_form())
    sales, followers = Goal.objects.order_by("metric")[:2]
    assert followers.target == Decimal("15600.00")
    page = marketer_client.get(detail).content.decode()
    assert "15,600 by" in page and "20,000.00 by" in page
    assert "2 goals without a measurement yet." in page

    today = date.today()
    for goal, values in ((followers, ("12000", "14500")), (sales, ("1000", "1500"))):
        for days_ago, value in zip((28, 0), values, strict=True):
            marketer_client.post(
                reverse("campaigns-measurement-record", args=[goal.code]),
                {"measured_on": (today - timedelta(days=days_ago)).isoformat(), "value": value},
            )
    page = marketer_client.get(detail).content.decode()
    assert "Least-squares line through 2 measurements" in page
    # Followers are whole people; revenue is money, to the cent.
    assert re.findall(r"\d\.\d\d\b", _card(page, followers).split("<details")[0]) == []
    assert "14,500 · " in _card(page, followers) and "1,500.00 · " in _card(page, sales)
    # Followers: +2,500 in 28 days, on course for 15,600. Sales: +500, far from 20,000.
    assert _forecast_of(page, followers) == "on track"
    assert _forecast_of(page, sales) == "at risk"
    assert "1 goal at risk or missed." in page
    assert GoalMeasurement.objects.count() == 4


def _reach_goal(campaign):
    return services.goal_save(campaign=campaign, metric="reach", baseline=Decimal(0),
                              target_kind="absolute", target_value=Decimal(100),
                              deadline=IN_A_MONTH)  # fmt: skip


def _card(page: str, goal) -> str:
    return page.split(f'id="goal-{goal.code}"', 1)[1].split("</article>", 1)[0]


@pytest.mark.django_db
def test_a_future_or_negative_measurement_is_refused_at_its_field(marketer_client, campaign):
    goal, other = _reach_goal(campaign), _reach_goal(campaign)
    url = reverse("campaigns-measurement-record", args=[goal.code])
    future = (date.today() + timedelta(days=1)).isoformat()
    response = marketer_client.post(url, {"measured_on": future, "value": "5"})
    # The goals page again, not a redirect: the form stays open with the error at its field
    # and what was typed, and the cursor (so the view) is put on that field.
    assert response.status_code == 200
    card = _card(response.content.decode(), goal)
    assert "<details open>" in card
    date_field = card.split(f'for="measurement-{goal.code}-measured_on"')[1].split("</div>")[0]
    assert "A measurement cannot be in the future." in card and f'value="{future}"' in card
    assert 'aria-invalid="true"' in date_field and "autofocus" in date_field
    assert "cannot be in the future" not in _card(response.content.decode(), other)
    page = marketer_client.post(url, {"measured_on": date.today().isoformat(), "value": "-5"})
    assert "A measured value cannot be negative." in _card(page.content.decode(), goal)
    assert not GoalMeasurement.objects.exists()


@pytest.mark.django_db
def test_a_goal_is_edited_and_keeps_its_measurements(marketer_client, campaign):
    goal = _reach_goal(campaign)
    services.goal_measurement_record(goal=goal, measured_on=date.today(), value=Decimal(40))
    edit = reverse("campaigns-goal-edit", args=[goal.code])
    assert 'value="100' in marketer_client.get(edit).content.decode()  # today's target shown
    response = marketer_client.post(edit, _goal_form(metric="reach", target_value="250"),
                                    follow=True)  # fmt: skip
    assert "Goal saved" in response.content.decode()
    goal.refresh_from_db()
    assert goal.target_value == 250 and goal.measurements.count() == 1


@pytest.mark.django_db
def test_deleting_a_goal_asks_first_and_names_its_measurements(marketer_client, campaign):
    goal = _reach_goal(campaign)
    for days_ago in range(4):
        services.goal_measurement_record(
            goal=goal, measured_on=date.today() - timedelta(days=days_ago), value=Decimal(days_ago)
        )
    delete = reverse("campaigns-goal-delete", args=[goal.code])
    page = marketer_client.get(delete).content.decode()
    assert "Delete the goal" in page and "4 goal measurements" in page and "Cancel" in page
    assert Goal.objects.filter(pk=goal.pk).exists()  # asking removed nothing
    response = marketer_client.post(delete, follow=True)
    assert "Goal deleted" in response.content.decode()
    assert not Goal.objects.exists() and not GoalMeasurement.objects.exists()


@pytest.mark.django_db
def test_the_overview_summarises_and_the_rail_leads_to_each_step(marketer_client, campaign):
    goal = _reach_goal(campaign)
    services.goal_measurement_record(goal=goal, measured_on=date.today(), value=Decimal(40))
    page = marketer_client.get(reverse("campaigns-detail", args=[campaign.code])).content.decode()
    assert "Next actions" in page and "Add campaign ideas." in page
    assert "40.0% of the way to 100" in page and "Goal progress" in page
    assert 'aria-current="page"><span class="rail-number">·</span> <strong>Overview' in page
    for step in ("goals", "ideas", "shortlist", "terms"):
        url = reverse(f"campaigns-{step}", args=[campaign.code])
        assert f'href="{url}"' in page
        step_page = marketer_client.get(url).content.decode()
        assert f'href="{url}" aria-current="page"' in step_page


CAMPAIGN_PAGES = [
    "campaigns-detail",
    "campaigns-goals",
    "campaigns-ideas",
    "campaigns-shortlist",
    "campaigns-terms",
]


@pytest.mark.django_db
@pytest.mark.parametrize("page", CAMPAIGN_PAGES)
def test_each_campaign_page_costs_the_same_queries_with_1_or_100_goals(
    marketer_client, campaign, page
):
    detail = reverse(page, args=[campaign.code])

    def add_goal():
        goal = services.goal_save(campaign=campaign, metric="reach", baseline=Decimal(0),
                                  target_kind="absolute", target_value=Decimal(100),
                                  deadline=IN_A_MONTH)  # fmt: skip
        services.goal_measurement_record(goal=goal, measured_on=date.today(), value=Decimal(5))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert marketer_client.get(detail).status_code == 200
        return len(captured)

    add_goal()
    with_one = queries()
    for _ in range(99):
        add_goal()
    assert queries() == with_one


@pytest.mark.django_db
def test_a_campaign_keeps_its_brand_while_goals_are_measured_on_its_accounts(
    marketer_client, team, campaign, brand
):
    services.goal_save(campaign=campaign, metric="follower_growth",
                       brand_handle=brand.handles.get(), baseline=Decimal(100),
                       target_kind="percent", target_value=Decimal(10),
                       deadline=IN_A_MONTH)  # fmt: skip
    other = BrandFactory(organization=team.organization, name="Other brand")
    page = marketer_client.post(
        reverse("campaigns-edit", args=[campaign.code]),
        {"brand": other.pk, "name": "Scrub launch", "status": "planning", "budget_currency": "EUR"},
    ).content.decode()
    assert "Goals of this campaign are measured on Glow &amp; Co" in page
    campaign.refresh_from_db()
    assert campaign.brand == brand


def _campaign_names(response) -> list[str]:
    return re.findall(r'href="/campaigns/[0-9a-f-]+/">([^<]+)</a>', response.content.decode())


def _launch(team, brand, count, start=0):
    for number in range(start, start + count):
        services.campaign_save(organization=team.organization, brand=brand, name=f"C{number:03}")


@pytest.mark.django_db
def test_the_campaign_list_shows_one_campaign_without_page_links(marketer_client, team, brand):
    _launch(team, brand, 1)
    response = marketer_client.get(LIST)
    assert _campaign_names(response) == ["C000"]
    assert "Page 1 of" not in response.content.decode()


@pytest.mark.django_db
def test_the_campaign_list_pages_by_50_newest_first(marketer_client, team, brand):
    _launch(team, brand, 51)
    other = BrandFactory(organization=team.outsider.organization)
    services.campaign_save(organization=team.outsider.organization, brand=other, name="Theirs")
    first = marketer_client.get(LIST)
    assert _campaign_names(first) == [f"C{number:03}" for number in range(50, 0, -1)]
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    second = marketer_client.get(LIST, {"page": 2})
    assert _campaign_names(second) == ["C000"]
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "shown"), [("abc", 1), ("0", 2), ("-1", 2), ("3", 2), ("9" * 40, 2), ("1.5", 1)]
)
def test_a_page_number_that_is_no_page_shows_the_first_or_last(
    marketer_client, team, brand, page, shown
):
    _launch(team, brand, 51)
    response = marketer_client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert f"Page {shown} of 2" in response.content.decode()


@pytest.mark.django_db
def test_the_campaign_list_costs_the_same_queries_with_1_or_120_campaigns(
    marketer_client, team, brand
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert marketer_client.get(LIST).status_code == 200
        return len(captured)

    _launch(team, brand, 1)
    with_one = queries()
    _launch(team, brand, 119, start=1)
    assert queries() == with_one


@pytest.mark.django_db
def test_home_shows_live_campaigns_with_their_next_action(marketer_client, team, brand):
    home = reverse("home")
    assert "No live campaigns." in marketer_client.get(home).content.decode()

    live = services.campaign_save(organization=team.organization, brand=brand, name="Scrub launch")
    services.campaign_save(
        organization=team.organization, brand=brand, name="Old spring wave", status="completed"
    )
    _reach_goal(live)

    def visit():
        with CaptureQueriesContext(connection) as captured:
            page = marketer_client.get(home).content.decode()
        return page, len(captured)

    page, queries = visit()
    card = page.split("Scrub launch", 1)[1].split("</li>", 1)[0]
    # The goal has no measurement yet: that is the next thing to do, on the goals page.
    goals = reverse("campaigns-goals", args=[live.code])
    assert f'href="{goals}">1. Goals: 1 goal without a measurement yet.' in card
    assert "Old spring wave" not in page
    for number in range(5):
        more = services.campaign_save(
            organization=team.organization, brand=brand, name=f"Wave {number}"
        )
        _reach_goal(more)
    page, more_queries = visit()
    assert "Wave 4" in page and more_queries == queries


@pytest.mark.django_db
def test_an_archived_campaign_leaves_the_lists_and_waits_under_its_filter(
    marketer_client, team, brand
):
    services.campaign_save(organization=team.organization, brand=brand, name="Scrub launch")
    old = services.campaign_save(
        organization=team.organization, brand=brand, name="Old wave", status="archived"
    )
    index = reverse("campaigns-index")
    current = marketer_client.get(index).content.decode()
    assert "Scrub launch" in current and "Old wave" not in current
    assert "Old wave" not in marketer_client.get(reverse("home")).content.decode()
    archived = marketer_client.get(index, {"archived": "1"}).content.decode()
    assert "Old wave" in archived and "Scrub launch" not in archived
    overview = marketer_client.get(reverse("campaigns-detail", args=[old.code])).content.decode()
    assert "Archived: this campaign is hidden from the campaign list" in overview


@pytest.mark.django_db
def test_messages_read_as_sentences_with_figures_as_people_write_them(marketer_client, campaign):
    goal = _reach_goal(campaign)
    record = reverse("campaigns-measurement-record", args=[goal.code])
    response = marketer_client.post(
        record, {"measured_on": "2026-11-30", "value": "12500"}, follow=True
    )
    assert "Measurement recorded: 12,500 on 30 Nov 2026." in response.content.decode()
    assert str(goal) == f"Reach or views: 100 by {IN_A_MONTH.day} {IN_A_MONTH:%b %Y}"
