from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from influencers.models import Influencer, RelationshipStatus
from influencers.services import influencer_save
from tests.factories import InfluencerFactory, make_account

URL = reverse("influencers-index")


def _worked_example(team):
    anna = influencer_save(
        organization=team.organization, name="Anna Scrub", location="Berlin", niches=["skincare"]
    )
    return make_account(
        anna, handle="anna.scrub", followers=4000, avg_likes=Decimal(554), avg_comments=Decimal(40)
    )


def _rows(response):
    return [account.handle for account in response.context["page"].object_list]


@pytest.mark.django_db
def test_an_empty_directory_says_what_to_do(marketer_client, manager_client):
    page = marketer_client.get(URL).content.decode()
    assert "No influencers in your directory yet." in page and "Add an influencer" in page
    page = manager_client.get(URL).content.decode()
    assert "Marketers and owners add influencers." in page


@pytest.mark.django_db
def test_the_directory_shows_tier_rate_and_verdict_beside_each_account(marketer_client, team):
    _worked_example(team)
    page = marketer_client.get(URL).content.decode()
    assert "@anna.scrub" in page and "4,000" in page
    assert "14.85%" in page and "2.5× · above" in page
    assert '<span class="badge">micro</span>' in page


@pytest.mark.django_db
def test_filters_combine_micro_instagram_above_benchmark(marketer_client, team):
    _worked_example(team)
    below = InfluencerFactory(organization=team.organization, name="Ben Below")
    make_account(
        below, handle="ben", followers=5000, avg_likes=Decimal(50), avg_comments=Decimal(5)
    )
    big = InfluencerFactory(organization=team.organization, name="Cara Big")
    make_account(
        big, handle="cara", followers=50_000, avg_likes=Decimal(9000), avg_comments=Decimal(9)
    )
    tiktok = InfluencerFactory(organization=team.organization, name="Dan Tok")
    make_account(
        tiktok,
        platform="tiktok",
        handle="dan",
        followers=4000,
        avg_likes=Decimal(900),
        avg_comments=Decimal(10),
        avg_views=20000,
        engagement_formula="views",
    )
    make_account(InfluencerFactory(organization=team.organization), handle="nofollowers")

    micro = str(team_tier(team, "micro").code)
    response = marketer_client.get(
        URL, {"tier": micro, "platform": "instagram", "verdict": "above"}
    )
    assert _rows(response) == ["anna.scrub"]
    assert _rows(marketer_client.get(URL, {"verdict": "below"})) == ["ben"]
    assert _rows(marketer_client.get(URL, {"verdict": "missing"})) == ["nofollowers"]
    assert _rows(marketer_client.get(URL, {"q": "@CARA"})) == ["cara"]
    assert _rows(marketer_client.get(URL, {"niche": "skincare"})) == ["anna.scrub"]
    assert _rows(marketer_client.get(URL, {"location": "berl"})) == ["anna.scrub"]
    assert _rows(marketer_client.get(URL, {"followers_min": 4500, "followers_max": 60000})) == [
        "ben",
        "cara",
    ]


def team_tier(team, name):
    from influencers.models import FollowerTier

    return FollowerTier.objects.get(organization=team.organization, name=name)


@pytest.mark.django_db
def test_sorting_puts_missing_numbers_last_both_ways(marketer_client, team):
    for handle, followers in [("small", 100), ("none", None), ("large", 90_000)]:
        make_account(
            InfluencerFactory(organization=team.organization), handle=handle, followers=followers
        )
    assert _rows(marketer_client.get(URL, {"sort": "followers"})) == ["small", "large", "none"]
    assert _rows(marketer_client.get(URL, {"sort": "-followers"})) == ["large", "small", "none"]


@pytest.mark.django_db
def test_bad_filter_values_get_a_message_at_the_field_and_are_ignored(marketer_client, team):
    _worked_example(team)
    response = marketer_client.get(URL, {"followers_min": "lots", "followers_max": "-5"})
    page = response.content.decode()
    assert "Enter a whole number." in page
    assert "Ensure this value is greater than or equal to 0." in page
    assert _rows(response) == ["anna.scrub"]
    response = marketer_client.get(URL, {"followers_min": 9000, "followers_max": 10})
    assert "Must be at least the lower bound." in response.content.decode()
    response = marketer_client.get(URL, {"q": "x" * 100_000, "location": "y" * 201})
    page = response.content.decode()
    assert page.count("Ensure this value has at most 200 characters") == 2
    assert _rows(response) == ["anna.scrub"]


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_with_10_or_many_rows(marketer_client, team):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert marketer_client.get(URL, {"sort": "-followers"}).status_code == 200
        return len(captured)

    for number in range(10):
        person = influencer_save(
            organization=team.organization, name=f"P{number}", niches=["a", "b"]
        )
        make_account(person, handle=f"p{number}", followers=1000 + number)
    with_ten = queries()
    for number in range(10, 80):
        person = influencer_save(organization=team.organization, name=f"P{number}", niches=["a"])
        make_account(person, handle=f"p{number}", followers=1000 + number)
    assert queries() == with_ten


@pytest.mark.django_db
def test_a_marketer_tags_and_sets_status_in_bulk(marketer_client, team):
    people = [InfluencerFactory(organization=team.organization) for _ in range(3)]
    for person in people:
        make_account(person, followers=2000)
    chosen = [str(people[0].code), str(people[1].code)]
    response = marketer_client.post(
        reverse("influencers-bulk"),
        {"selected": chosen, "action": "tag", "niche": "Coffee"},
        follow=True,
    )
    assert "Tagged 2 influencer(s) with “Coffee”." in response.content.decode()
    assert list(Influencer.objects.filter(niches__name="coffee").order_by("pk")) == people[:2]
    marketer_client.post(
        reverse("influencers-bulk"),
        {"selected": chosen, "action": "status", "status": RelationshipStatus.CONTACTED},
    )
    statuses = [p.status for p in Influencer.objects.order_by("pk")]
    assert statuses == ["contacted", "contacted", "prospect"]


@pytest.mark.django_db
def test_bulk_actions_ignore_another_organisations_influencers(marketer_client, team):
    theirs = InfluencerFactory(organization=team.outsider.organization)
    marketer_client.post(
        reverse("influencers-bulk"),
        {"selected": [str(theirs.code)], "action": "status", "status": "partner"},
    )
    theirs.refresh_from_db()
    assert theirs.status == "prospect"


@pytest.mark.django_db
def test_a_bulk_action_without_selection_says_so(marketer_client, team):
    response = marketer_client.post(
        reverse("influencers-bulk"), {"action": "tag", "niche": "x"}, follow=True
    )
    assert "Select at least one influencer" in response.content.decode()


@pytest.mark.django_db
def test_bad_bulk_input_gets_a_message_not_an_error(marketer_client, team):
    bulk = reverse("influencers-bulk")
    page = marketer_client.post(
        bulk, {"selected": ["not-a-code"], "action": "tag", "niche": "x"}, follow=True
    ).content.decode()
    assert "The selection is not valid: select again." in page
    person = InfluencerFactory(organization=team.organization)
    page = marketer_client.post(
        bulk, {"selected": [str(person.code)], "action": "status"}, follow=True
    ).content.decode()
    assert "Choose the status to set." in page
    page = marketer_client.post(
        bulk, {"selected": [str(person.code)], "action": "tag", "niche": "n" * 61}, follow=True
    ).content.decode()
    assert "Ensure this value has at most 60 characters" in page
    assert not person.niches.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_value", "lands_on"),
    [
        ("/influencers/?page=2", "/influencers/?page=2"),
        ("-1", "/influencers/"),
        ("foo", "/influencers/"),
        ("https://evil.example/", "/influencers/"),
        ("//evil.example/", "/influencers/"),
        ("/\\evil.example/", "/influencers/"),
    ],
)
def test_a_bulk_action_goes_back_only_to_a_page_of_this_site(
    marketer_client, team, next_value, lands_on
):
    person = InfluencerFactory(organization=team.organization)
    response = marketer_client.post(
        reverse("influencers-bulk"),
        {
            "selected": [str(person.code)],
            "action": "status",
            "status": "partner",
            "next": next_value,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == lands_on


@pytest.mark.django_db
def test_search_finds_a_name_or_a_handle_once_and_never_another_organisations(
    marketer_client, team
):
    coco = influencer_save(organization=team.organization, name="Coco Bean", location="Wien")
    make_account(coco, handle="coco.beans")
    make_account(coco, platform="tiktok", handle="cocotok")
    bean = influencer_save(organization=team.organization, name="Ann", status="partner")
    make_account(bean, handle="mr_bean")
    theirs = influencer_save(organization=team.outsider.organization, name="Coco Bean")
    make_account(theirs, handle="coco.beans")

    assert sorted(_rows(marketer_client.get(URL, {"q": "bean"}))) == [
        "coco.beans",
        "cocotok",
        "mr_bean",
    ]
    assert _rows(marketer_client.get(URL, {"q": "@COCOTOK"})) == ["cocotok"]
    assert _rows(marketer_client.get(URL, {"q": "bean", "status": "partner"})) == ["mr_bean"]
    response = marketer_client.get(URL, {"q": "bean", "location": "WIEN", "sort": "-handle"})
    assert _rows(response) == ["cocotok", "coco.beans"]
    assert response.context["page"].paginator.count == 2


@pytest.mark.django_db
def test_pages_sorted_by_name_follow_on_in_both_directions(marketer_client, team):
    for number in range(60):
        person = influencer_save(organization=team.organization, name=f"P{number:02}")
        make_account(person, handle=f"p{number:02}", followers=number)
    other = influencer_save(organization=team.outsider.organization, name="P00")
    make_account(other, handle="theirs")

    first = marketer_client.get(URL, {"sort": "name"})
    second = marketer_client.get(URL, {"sort": "name", "page": 2})
    assert first.context["page"].paginator.count == 60
    assert _rows(first) + _rows(second) == [f"p{number:02}" for number in range(60)]
    backwards = marketer_client.get(URL, {"sort": "-name", "page": 2})
    assert _rows(backwards) == [f"p{number:02}" for number in range(9, -1, -1)]
    by_followers = marketer_client.get(URL, {"sort": "-followers", "page": 2})
    assert _rows(by_followers) == [f"p{number:02}" for number in range(9, -1, -1)]


@pytest.mark.django_db
def test_an_archived_influencer_leaves_the_directory_and_keeps_her_shortlist_entry(
    marketer_client, team
):
    from accounts.services import brand_save
    from campaigns.services import campaign_save, shortlist_add

    account = _worked_example(team)
    influencer = account.influencer
    brand = brand_save(organization=team.organization, name="Glow & Co")
    campaign = campaign_save(organization=team.organization, brand=brand, name="Scrub launch")
    shortlist_add(campaign=campaign, account=account)
    archive = reverse("influencers-archive", args=[influencer.code])

    response = marketer_client.post(archive, follow=True)
    assert "Anna Scrub archived" in response.content.decode()
    assert "Archived on" in response.content.decode() and "Restore" in response.content.decode()
    assert _rows(marketer_client.get(URL)) == []
    assert _rows(marketer_client.get(URL, {"archived": "on"})) == ["anna.scrub"]
    search = reverse("campaigns-shortlist-search", args=[campaign.code])
    assert "Anna Scrub" not in marketer_client.get(search).content.decode()
    shortlist = reverse("campaigns-shortlist", args=[campaign.code])
    assert "Anna Scrub" in marketer_client.get(shortlist).content.decode()
    assert Influencer.objects.filter(pk=influencer.pk).exists()

    marketer_client.post(archive, {"restore": "1"})
    assert _rows(marketer_client.get(URL)) == ["anna.scrub"]


@pytest.mark.django_db
def test_the_location_filter_takes_a_city_or_a_country(marketer_client, team):
    for name, location in [("Anna", "Berlin, Germany"), ("Clara", "Vienna, Austria")]:
        person = influencer_save(organization=team.organization, name=name, location=location)
        make_account(person, handle=name.lower(), followers=4000)
    assert _rows(marketer_client.get(URL, {"location": "Germany"})) == ["anna"]
    assert _rows(marketer_client.get(URL, {"location": "vienna"})) == ["clara"]
