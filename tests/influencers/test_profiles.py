from decimal import Decimal

import pytest
from django.urls import reverse

from influencers.models import Influencer, SocialAccount
from tests.factories import InfluencerFactory, make_account


def _account_form(**overrides):
    data = {
        "platform": "instagram",
        "handle": "@Anna.Scrub",
        "followers": "4000",
        "avg_likes": "554",
        "avg_comments": "40",
        "engagement_sample_size": "12",
        "engagement_formula": "followers",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_marketer_adds_an_influencer_by_hand_and_sees_the_worked_example(marketer_client, team):
    response = marketer_client.post(
        reverse("influencers-create"),
        {
            "name": "Anna Scrub",
            "email": "Anna@Example.com",
            "location": "Berlin",
            "languages": "German, English",
            "niches": "Skincare, coffee",
            "status": "prospect",
        },
        follow=True,
    )
    assert "Anna Scrub added. Add their accounts next." in response.content.decode()
    anna = Influencer.objects.get()
    assert anna.email == "anna@example.com" and anna.languages == ["German", "English"]
    assert sorted(n.name for n in anna.niches.all()) == ["coffee", "skincare"]

    response = marketer_client.post(
        reverse("influencers-account-create", args=[anna.code]), _account_form(), follow=True
    )
    page = response.content.decode()
    assert "14.85%" in page
    assert "= (554 likes + 40 comments) / 4,000 followers, averaged over 12 posts" in page
    assert "2.5 times the Instagram micro benchmark of 6.0% (interactions / followers" in page
    assert "2.5× · above" in page
    assert "micro · 1,000–10,000" in page
    account = SocialAccount.objects.get()
    assert account.handle == "Anna.Scrub"
    assert account.engagement_rate == Decimal("14.850")
    assert account.benchmark_ratio == Decimal("2.475")


@pytest.mark.django_db
def test_missing_numbers_are_shown_as_missing(marketer_client, team):
    anna = InfluencerFactory(organization=team.organization)
    make_account(anna, handle="nodata")
    page = marketer_client.get(reverse("influencers-detail", args=[anna.code])).content.decode()
    assert "not measured" in page and "no tier" in page
    assert "0%" not in page


@pytest.mark.django_db
def test_bad_account_input_is_refused_at_the_field_and_nothing_saved(marketer_client, team):
    anna = InfluencerFactory(organization=team.organization)
    url = reverse("influencers-account-create", args=[anna.code])
    page = marketer_client.post(
        url, _account_form(followers="-3", handle="no spaces!")
    ).content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    assert "A handle has letters, digits, dots, dashes and underscores only." in page
    page = marketer_client.post(url, _account_form(engagement_formula="views")).content.decode()
    assert "The chosen formula divides by this number: enter it." in page
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_a_handle_is_unique_per_platform_whatever_its_case(marketer_client, team):
    first = InfluencerFactory(organization=team.organization, name="First")
    make_account(first, handle="anna.scrub")
    second = InfluencerFactory(organization=team.organization)
    page = marketer_client.post(
        reverse("influencers-account-create", args=[second.code]), _account_form()
    ).content.decode()
    assert "@Anna.Scrub on this platform already belongs to First." in page
    assert SocialAccount.objects.count() == 1
    # Another organisation may track the same person.
    make_account(InfluencerFactory(organization=team.outsider.organization), handle="anna.scrub")


@pytest.mark.django_db
def test_merging_moves_accounts_niches_and_notes_then_deletes_the_duplicate(marketer_client, team):
    keep = InfluencerFactory(organization=team.organization, name="Anna", notes="Met at a fair")
    dup = InfluencerFactory(
        organization=team.organization,
        name="Anna S.",
        email="anna@example.com",
        notes="Likes coffee",
    )
    make_account(keep, handle="anna_ig")
    make_account(dup, platform="tiktok", handle="anna_tt")
    response = marketer_client.post(
        reverse("influencers-merge", args=[keep.code]), {"other": "@ANNA_TT"}, follow=True
    )
    assert "Anna S. was merged into Anna." in response.content.decode()
    keep.refresh_from_db()
    assert sorted(a.handle for a in keep.accounts.all()) == ["anna_ig", "anna_tt"]
    assert keep.email == "anna@example.com"
    assert keep.notes == "Met at a fair\n\nLikes coffee"
    assert not Influencer.objects.filter(pk=dup.pk).exists()


@pytest.mark.django_db
def test_merging_finds_only_this_organisations_influencers(marketer_client, team):
    keep = InfluencerFactory(organization=team.organization, name="Anna")
    theirs = InfluencerFactory(organization=team.outsider.organization, name="Anna Other")
    make_account(theirs, handle="other_anna")
    url = reverse("influencers-merge", args=[keep.code])
    for other in ("@other_anna", "Anna Other", "Anna"):
        page = marketer_client.post(url, {"other": other}, follow=True).content.decode()
        assert "Nothing was merged." in page
    assert Influencer.objects.filter(pk=theirs.pk).exists()
    InfluencerFactory(organization=team.organization, name="Ben")
    InfluencerFactory(organization=team.organization, name="ben")
    page = marketer_client.post(url, {"other": "BEN"}, follow=True).content.decode()
    assert "Several influencers match" in page
    assert Influencer.objects.filter(organization=team.organization).count() == 3


@pytest.mark.django_db
def test_a_manager_reads_an_influencer_without_edit_controls(manager_client, team):
    anna = InfluencerFactory(organization=team.organization, name="Anna")
    make_account(anna, followers=4000, avg_likes=Decimal(554), avg_comments=Decimal(40))
    page = manager_client.get(reverse("influencers-detail", args=[anna.code])).content.decode()
    assert "14.85%" in page
    assert "Add an account" not in page and "Merge" not in page and "Delete" not in page


@pytest.mark.django_db
def test_editing_followers_moves_the_account_to_another_tier(marketer_client, team):
    anna = InfluencerFactory(organization=team.organization)
    account = make_account(
        anna, handle="anna", followers=4000, avg_likes=Decimal(554), avg_comments=Decimal(40)
    )
    marketer_client.post(
        reverse("influencers-account-edit", args=[account.code]),
        _account_form(handle="anna", followers="40000"),
    )
    account.refresh_from_db()
    assert account.tier.name == "mid-tier"
    assert account.engagement_rate == Decimal("1.485")
    assert account.benchmark_ratio == Decimal("0.917")  # 1.485 / 1.62


@pytest.mark.django_db
def test_a_whole_number_rate_is_divided_exactly_by_its_benchmark(team):
    # 7% against the 6% micro benchmark: 1.167, above (not 1, "at", as integer division gives).
    account = make_account(
        InfluencerFactory(organization=team.organization),
        followers=1000,
        avg_likes=Decimal(60),
        avg_comments=Decimal(10),
    )
    assert account.engagement_rate == Decimal("7.000")
    assert account.benchmark_ratio == Decimal("1.167")
    assert account.verdict == "above"


@pytest.mark.django_db
def test_a_too_long_niche_is_refused_at_the_field(marketer_client, team):
    page = marketer_client.post(
        reverse("influencers-create"),
        {"name": "Anna", "status": "prospect", "niches": "skincare, " + "x" * 61},
    ).content.decode()
    assert "A niche has at most 60 characters" in page
    assert not Influencer.objects.exists()


@pytest.mark.django_db
def test_an_implausible_rate_is_stored_and_shown_as_measured(marketer_client, team):
    anna = InfluencerFactory(organization=team.organization)
    response = marketer_client.post(
        reverse("influencers-account-create", args=[anna.code]),
        _account_form(followers="1", avg_likes="1000", avg_comments="0"),
        follow=True,
    )
    assert "100000.00%" in response.content.decode()
    assert marketer_client.get(reverse("influencers-index")).status_code == 200


@pytest.mark.django_db
def test_editing_only_the_bio_keeps_where_the_numbers_came_from(marketer_client, team):
    account = make_account(
        InfluencerFactory(organization=team.organization),
        source="import",
        handle="anna",
        followers=4000,
        avg_likes=Decimal(554),
        avg_comments=Decimal(40),
        engagement_sample_size=12,
    )
    imported_at = account.audience_updated_at
    form = _account_form(handle="anna", bio="New bio")
    marketer_client.post(reverse("influencers-account-edit", args=[account.code]), form)
    account.refresh_from_db()
    assert account.bio == "New bio"
    assert (account.audience_source, account.engagement_source) == ("import", "import")
    assert account.audience_updated_at == imported_at
    marketer_client.post(
        reverse("influencers-account-edit", args=[account.code]), {**form, "followers": "5000"}
    )
    account.refresh_from_db()
    assert (account.audience_source, account.engagement_source) == ("manual", "manual")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "likes, comments, followers", [(554, 40, 4000), (60, 10, 1000), (1, 0, 3), (997, 13, 6001)]
)
def test_the_stored_ratio_matches_the_engagement_definition(team, likes, comments, followers):
    from influencers import engagement

    account = make_account(
        InfluencerFactory(organization=team.organization),
        followers=followers,
        avg_likes=Decimal(likes),
        avg_comments=Decimal(comments),
    )
    expected = engagement.benchmark_ratio(account.engagement_rate, account.benchmark.rate)
    assert account.benchmark_ratio == expected


@pytest.mark.django_db
def test_a_tiktok_account_takes_the_views_formula_its_benchmarks_use(marketer_client, team):
    finn = InfluencerFactory(organization=team.organization, name="Finn Tok")
    create = reverse("influencers-account-create", args=[finn.code])
    tiktok = _account_form(platform="tiktok", handle="finntok", engagement_formula="")
    page = marketer_client.post(create, {**tiktok, "avg_views": "20000"}, follow=True)
    account = SocialAccount.objects.get(handle="finntok")
    # (554 + 40) / 20,000 views = 2.97%, against TikTok's micro benchmark of 3.8% per view.
    assert account.engagement_formula == "views" and account.engagement_rate == Decimal("2.970")
    assert account.benchmark.rate == Decimal("3.8") and "no benchmark" not in page.content.decode()

    without_views = _account_form(platform="tiktok", handle="finn2", engagement_formula="")
    page = marketer_client.post(create, without_views, follow=True).content.decode()
    assert SocialAccount.objects.get(handle="finn2").engagement_formula == "followers"
    assert "no benchmark" in page
    assert "TikTok benchmarks are published per view: add the average views" in page


@pytest.mark.django_db
def test_the_api_gives_a_new_youtube_account_the_views_formula(team):
    from tests.api import Api

    influencer = InfluencerFactory(organization=team.organization)
    body = {
        "influencer": str(influencer.code),
        "platform": "youtube",
        "handle": "yt",
        "followers": 8000,
        "avg_likes": "300",
        "avg_comments": "20",
        "avg_views": 20000,
    }
    response = Api(team.marketer).send("post", "/api/v1/social-accounts/", body)
    assert response.status_code == 201, response.content
    assert response.json()["engagement_formula"] == "views"
    assert response.json()["benchmark_rate"] == "1.745"


@pytest.mark.django_db
def test_a_location_that_ends_in_a_country_is_stored_as_city_and_country(marketer_client, team):
    form = {"name": "Clara", "location": "Vienna, Austria", "status": "prospect"}
    marketer_client.post(reverse("influencers-create"), form)
    clara = Influencer.objects.get(name="Clara")
    assert (clara.location, clara.country.code) == ("Vienna", "AT")
    page = marketer_client.get(reverse("influencers-detail", args=[clara.code])).content.decode()
    assert "Vienna, Austria" in page
    # A country chosen wins; a city naming no country keeps its text and no country.
    chosen = {"name": "Lou", "location": "Los Angeles, CA", "country": "US", "status": "prospect"}
    marketer_client.post(reverse("influencers-create"), chosen)
    lou = Influencer.objects.get(name="Lou")
    assert (lou.location, lou.country.code) == ("Los Angeles, CA", "US")
    ottawa = {"name": "Ca", "location": "Ottawa, CA", "status": "prospect"}
    marketer_client.post(reverse("influencers-create"), ottawa)
    assert Influencer.objects.get(name="Ca").country.code == ""  # "CA" alone is no country
