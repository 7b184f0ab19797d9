from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import brand_save
from campaigns import services
from campaigns.models import Idea, IdeaComment, IdeaVote
from campaigns.selectors import campaign_target_profile


@pytest.fixture
def campaign(team):
    brand = brand_save(organization=team.organization, name="Glow & Co")
    return services.campaign_save(organization=team.organization, brand=brand, name="Scrub launch")


@pytest.fixture
def idea(campaign):
    return services.idea_save(campaign=campaign, title="Scrub giveaway", campaign_type="giveaway")


def _idea_form(**overrides):
    data = {
        "title": "Seed the scrub to skincare creators",
        "campaign_type": "gifting",
        "channels": ["instagram", "tiktok"],
        "niches": "Skincare, beauty",
        "tiers": "micro",
        "locations": "Germany",
        "followers_min": "10000",
        "followers_max": "100000",
        "min_engagement_rate": "2.5",
        "campaign_hashtag": "glowscrub",
        "disclosure_hashtag": "ad",
        "estimated_cost": "1500",
    }
    data.update(overrides)
    return data


def _page(campaign):
    return reverse("campaigns-ideas", args=[campaign.code])


@pytest.mark.django_db
def test_a_marketer_adds_an_idea_and_the_page_shows_it(marketer_client, team, campaign):
    page = marketer_client.get(_page(campaign)).content.decode()
    assert "No ideas yet." in page and "Add campaign ideas." in page

    response = marketer_client.post(
        reverse("campaigns-idea-create", args=[campaign.code]), _idea_form(), follow=True
    )
    page = response.content.decode()
    assert "Idea added: Seed the scrub to skincare creators." in page
    assert "Choose an idea." in page and "#glowscrub" in page
    idea = Idea.objects.get()
    assert idea.channels == ["instagram", "tiktok"]
    assert idea.niches == ["skincare", "beauty"]
    assert (idea.followers_min, idea.followers_max) == (10000, 100000)
    assert idea.created_by == team.marketer.user

    edit = reverse("campaigns-idea-edit", args=[idea.code])
    assert "skincare, beauty" in marketer_client.get(edit).content.decode()
    marketer_client.post(edit, _idea_form(title="Renamed", niches="coffee"))
    idea.refresh_from_db()
    assert (idea.title, idea.niches) == ("Renamed", ["coffee"])

    marketer_client.post(reverse("campaigns-idea-delete", args=[idea.code]))
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_a_manager_votes_and_comments_but_cannot_change_ideas(manager_client, team, idea):
    vote = reverse("campaigns-idea-vote", args=[idea.code])
    page = manager_client.post(vote, follow=True).content.decode()
    assert "Vote recorded." in page and "1 vote · you voted" in page
    page = manager_client.post(
        reverse("campaigns-idea-comment", args=[idea.code]), {"text": "Love it"}, follow=True
    ).content.decode()
    assert "Comment added." in page and "Love it" in page
    assert IdeaComment.objects.get().author == team.manager.user

    for name, data in (
        ("campaigns-idea-edit", _idea_form()),
        ("campaigns-idea-delete", {}),
        ("campaigns-idea-choose", {}),
    ):
        assert manager_client.post(reverse(name, args=[idea.code]), data).status_code == 403
    create = reverse("campaigns-idea-create", args=[idea.campaign.code])
    assert manager_client.post(create, _idea_form()).status_code == 403
    idea.refresh_from_db()
    assert (idea.title, idea.chosen, Idea.objects.count()) == ("Scrub giveaway", False, 1)


@pytest.mark.django_db
def test_voting_twice_takes_the_vote_back(manager_client, marketer_client, team, idea):
    vote = reverse("campaigns-idea-vote", args=[idea.code])
    manager_client.post(vote)
    marketer_client.post(vote)
    assert IdeaVote.objects.filter(idea=idea).count() == 2
    page = manager_client.post(vote, follow=True).content.decode()
    assert "Vote taken back." in page and "1 vote" in page and "you voted" not in page
    assert list(IdeaVote.objects.values_list("user", flat=True)) == [team.marketer.user.pk]


@pytest.mark.django_db
def test_an_empty_comment_is_refused(manager_client, idea):
    url = reverse("campaigns-idea-comment", args=[idea.code])
    page = manager_client.post(url, {"text": "  "}, follow=True).content.decode()
    assert "Write a comment first." in page
    assert not IdeaComment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, overrides, message",
    [
        ("followers_max", {"followers_min": "50000", "followers_max": "1000"},
         "The maximum followers must be at least the minimum."),
        ("min_engagement_rate", {"min_engagement_rate": "150"},
         "An engagement rate is a percentage: from 0 to 100."),
        ("estimated_cost", {"estimated_cost": "-5"}, "A cost cannot be negative."),
        ("campaign_hashtag", {"campaign_hashtag": "glow scrub"},
         "Write the hashtag without # and without spaces"),
        ("disclosure_hashtag", {"disclosure_hashtag": "#ad"},
         "Write the hashtag without # and without spaces"),
    ],
)  # fmt: skip
def test_impossible_values_are_refused_at_the_field(
    marketer_client, campaign, field, overrides, message
):
    url = reverse("campaigns-idea-create", args=[campaign.code])
    response = marketer_client.post(url, _idea_form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Idea.objects.exists()


def test_the_service_refuses_unknown_channels(db, campaign):
    with pytest.raises(ValidationError, match="Unknown channel: myspace"):
        services.idea_save(campaign=campaign, title="x", campaign_type="event",
                           channels=["myspace"])  # fmt: skip


@pytest.mark.django_db
def test_choosing_an_idea_completes_step_2_of_the_rail(marketer_client, campaign, idea):
    choose = reverse("campaigns-idea-choose", args=[idea.code])
    page = marketer_client.post(choose, follow=True).content.decode()
    assert "Idea chosen: Scrub giveaway." in page
    assert "1 idea chosen." in page and "badge-chosen" in page
    idea.refresh_from_db()
    assert idea.chosen
    page = marketer_client.post(choose, {"chosen": "0"}, follow=True).content.decode()
    assert "Choose an idea." in page
    assert not Idea.objects.get().chosen


@pytest.mark.django_db
def test_the_chosen_ideas_merge_into_one_target_profile(campaign):
    assert campaign_target_profile(campaign) is None
    first = services.idea_save(
        campaign=campaign, title="Seeding", campaign_type="gifting",
        channels=["instagram"], niches=["Skincare"], tiers=["micro"], locations=["Germany"],
        followers_min=10_000, followers_max=100_000, min_engagement_rate=Decimal("3"),
    )  # fmt: skip
    second = services.idea_save(
        campaign=campaign, title="Takeover", campaign_type="takeover",
        channels=["tiktok", "instagram"], niches=["beauty", "skincare"], tiers=["mid-tier"],
        locations=["Austria"], followers_min=50_000, followers_max=500_000,
        min_engagement_rate=Decimal("1.5"),
    )  # fmt: skip
    services.idea_save(campaign=campaign, title="Not chosen", campaign_type="event",
                       channels=["youtube"], niches=["coffee"])  # fmt: skip
    services.idea_choose(idea=first)
    services.idea_choose(idea=second)

    profile = campaign_target_profile(campaign)
    assert profile.channels == {"instagram", "tiktok"}
    assert profile.niches == {"skincare", "beauty"}
    assert profile.tiers == {"micro", "mid-tier"}
    assert profile.locations == {"Germany", "Austria"}
    assert (profile.followers_min, profile.followers_max) == (10_000, 500_000)
    assert profile.min_engagement_rate == Decimal("1.5")


@pytest.mark.django_db
def test_the_campaign_page_costs_the_same_queries_with_1_or_100_ideas(
    marketer_client, team, campaign
):
    voters = [team.owner.user, team.marketer.user, team.manager.user]

    def add_idea(number):
        idea = services.idea_save(campaign=campaign, title=f"Idea {number}",
                                  campaign_type="event", niches=["coffee"])  # fmt: skip
        for user in voters:
            services.idea_vote_toggle(idea=idea, user=user)
            services.idea_comment_add(idea=idea, author=user, text=f"Comment {number}")
        if number % 2:
            services.idea_choose(idea=idea)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert marketer_client.get(_page(campaign)).status_code == 200
        return len(captured)

    add_idea(1)
    with_one = queries()
    for number in range(2, 101):
        add_idea(number)
    assert queries() == with_one


@pytest.mark.django_db
def test_an_unknown_tier_is_refused_and_a_known_one_takes_the_tables_spelling(campaign):
    with pytest.raises(ValidationError) as refused:
        services.idea_save(
            campaign=campaign, title="Giga", campaign_type="gifting", tiers=["micro", "giga"]
        )
    assert refused.value.message_dict["tiers"] == [
        "Unknown tier: giga. Use your tier table's: nano, micro, mid-tier, macro, mega."
    ]
    idea = services.idea_save(
        campaign=campaign, title="Micro", campaign_type="gifting", tiers=["Micro"]
    )
    assert idea.tiers == ["micro"]


@pytest.mark.django_db
def test_channels_show_as_people_write_them(marketer_client, campaign):
    services.idea_save(
        campaign=campaign, title="Reels", campaign_type="gifting", channels=["tiktok", "youtube"]
    )
    page = marketer_client.get(_page(campaign)).content.decode()
    assert "TikTok, YouTube" in page and "tiktok, youtube" not in page
