from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import brand_save
from campaigns import services
from campaigns.models import ShortlistEntry
from campaigns.rail import StepState, campaign_rail
from influencers.models import Niche
from tests.factories import InfluencerFactory, OrganizationFactory, make_account


@pytest.fixture
def campaign(team):
    brand = brand_save(organization=team.organization, name="Glow & Co")
    return services.campaign_save(organization=team.organization, brand=brand, name="Scrub launch")


def _person(organization, name, *, niche="skincare", location="Berlin, Germany", followers=5000):
    influencer = InfluencerFactory(organization=organization, name=name, location=location)
    niche_row, _ = Niche.objects.get_or_create(organization=organization, name=niche)
    influencer.niches.add(niche_row)
    return make_account(
        influencer,
        handle=name.lower().replace(" ", "_"),
        followers=followers,
        avg_likes=Decimal(followers) / 20,  # 5% engagement
        avg_comments=Decimal(0),
    )


@pytest.fixture
def chosen_idea(campaign):
    idea = services.idea_save(
        campaign=campaign,
        title="Seed the scrub",
        campaign_type="gifting",
        channels=["instagram"],
        niches=["skincare"],
        tiers=["micro"],
        locations=["germany"],
        min_engagement_rate=Decimal("2"),
    )
    services.idea_choose(idea=idea)
    return idea


def _search(campaign):
    return reverse("campaigns-shortlist-search", args=[campaign.code])


def _page(campaign):
    return reverse("campaigns-shortlist", args=[campaign.code])


def _add(client, campaign, account):
    return client.post(
        reverse("campaigns-shortlist-add", args=[campaign.code]),
        {"account": str(account.code)},
        follow=True,
    )


@pytest.mark.django_db
def test_the_search_applies_the_chosen_ideas_target_profile(
    marketer_client, team, campaign, chosen_idea
):
    _person(team.organization, "Inside Ines")
    _person(team.organization, "Macro Max", followers=500_000)  # outside the tiers
    _person(team.organization, "Coffee Carl", niche="coffee")  # outside the niches
    _person(team.organization, "Paris Paula", location="Paris, France")  # outside the places

    page = marketer_client.get(_search(campaign)).content.decode()
    assert "Inside Ines" in page
    assert "Macro Max" not in page and "Coffee Carl" not in page and "Paris Paula" not in page
    assert "✓ niche skincare is wanted" in page and "✓ tier micro is wanted" in page
    assert "100/100" in page
    assert "not checked yet" in page and "Add to shortlist" in page
    assert "1 account fits the target profile" in page


@pytest.mark.django_db
def test_without_a_chosen_idea_the_search_shows_the_whole_directory(
    marketer_client, team, campaign
):
    _person(team.organization, "Inside Ines")
    _person(team.organization, "Coffee Carl", niche="coffee")
    page = marketer_client.get(_search(campaign)).content.decode()
    assert "Choose an idea in step 2 to apply its target profile" in page
    assert "Inside Ines" in page and "Coffee Carl" in page
    page = marketer_client.get(_search(campaign), {"q": "carl"}).content.decode()
    assert "Coffee Carl" in page and "Inside Ines" not in page


@pytest.mark.django_db
def test_a_search_text_too_long_is_refused_at_the_field(marketer_client, team, campaign):
    _person(team.organization, "Inside Ines")
    response = marketer_client.get(_search(campaign), {"q": "x" * 100_000})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 200 characters" in page
    assert "Inside Ines" in page  # the rest of the page still works, unfiltered


@pytest.mark.django_db
def test_a_marketer_shortlists_five_and_a_manager_approves_one(
    marketer_client, manager_client, team, campaign, chosen_idea
):
    accounts = [_person(team.organization, f"Creator {n}") for n in range(5)]
    for account in accounts:
        page = _add(marketer_client, campaign, account).content.decode()
        assert f"Added to the shortlist: {account.influencer.name}." in page
    assert ShortlistEntry.objects.filter(campaign=campaign).count() == 5
    # Added accounts leave the search.
    assert "Creator 0" not in marketer_client.get(_search(campaign)).content.decode()

    entry = ShortlistEntry.objects.get(account=accounts[0])
    decide = reverse("campaigns-shortlist-decide", args=[entry.code])
    page = manager_client.post(
        decide, {"status": "approved", "reason": "Lovely texture shots"}, follow=True
    ).content.decode()
    assert "Creator 0: approved." in page
    entry.refresh_from_db()
    assert entry.status == "approved" and entry.decided_by == team.manager.user
    assert entry.decided_at is not None and entry.reason == "Lovely texture shots"
    assert "Lovely texture shots" in page and "4 awaiting a decision." in page

    before = list(ShortlistEntry.objects.order_by("pk").values())
    other = ShortlistEntry.objects.get(account=accounts[1])
    assert _add(manager_client, campaign, _person(team.organization, "New")).status_code == 403
    checklist = reverse("campaigns-shortlist-checklist", args=[other.code])
    assert manager_client.post(checklist, {"niche_fit": "on"}).status_code == 403
    remove = reverse("campaigns-shortlist-remove", args=[other.code])
    assert manager_client.post(remove).status_code == 403
    assert list(ShortlistEntry.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_a_decision_without_a_reason_is_refused(manager_client, team, campaign):
    entry = services.shortlist_add(campaign=campaign, account=_person(team.organization, "Ines"))
    decide = reverse("campaigns-shortlist-decide", args=[entry.code])
    page = manager_client.post(
        decide, {"status": "rejected", "reason": "  "}, follow=True
    ).content.decode()
    assert "Say why, for the record." in page
    entry.refresh_from_db()
    assert entry.status == "candidate" and entry.decided_by is None
    with pytest.raises(ValidationError, match="Say why"):
        services.shortlist_decide(entry=entry, status="approved", reason="", user=None)


@pytest.mark.django_db
def test_another_organisations_account_is_refused(marketer_client, team, campaign):
    foreign = _person(OrganizationFactory(), "Foreign Fiona")
    page = _add(marketer_client, campaign, foreign).content.decode()
    assert "Nothing added." in page and "your organisation" in page
    assert not ShortlistEntry.objects.exists()
    with pytest.raises(ValidationError):
        services.shortlist_add(campaign=campaign, account=foreign)
    assert not ShortlistEntry.objects.exists()


@pytest.mark.django_db
def test_the_checklist_is_ticked_with_notes_and_shown_on_the_entry(marketer_client, team, campaign):
    entry = services.shortlist_add(campaign=campaign, account=_person(team.organization, "Ines"))
    checklist = reverse("campaigns-shortlist-checklist", args=[entry.code])
    page = marketer_client.post(
        checklist,
        {
            "content_quality": "on",
            "content_quality_note": "Sharp, warm photos",
            "comments_genuine_note": "Many one-emoji comments",
        },
        follow=True,
    ).content.decode()
    assert "Checklist saved." in page
    assert "✓ Content quality: Sharp, warm photos" in page
    assert "☐ Comments look genuine: Many one-emoji comments" in page
    entry.refresh_from_db()
    assert entry.content_quality and not entry.comments_genuine

    remove = reverse("campaigns-shortlist-remove", args=[entry.code])
    assert (
        "Removed from the shortlist: Ines."
        in marketer_client.post(remove, follow=True).content.decode()
    )
    assert not ShortlistEntry.objects.exists()


@pytest.mark.django_db
def test_the_rail_follows_the_shortlist(team, campaign):
    def step():
        return campaign_rail([], shortlist=list(campaign.shortlist.all()))[2]

    assert step().state == StepState.NOT_STARTED
    first = services.shortlist_add(campaign=campaign, account=_person(team.organization, "A"))
    second = services.shortlist_add(campaign=campaign, account=_person(team.organization, "B"))
    assert (step().state, step().note) == (StepState.IN_PROGRESS, "2 awaiting a decision.")
    user = team.manager.user
    services.shortlist_decide(entry=first, status="rejected", reason="Off brand", user=user)
    services.shortlist_decide(entry=second, status="rejected", reason="Bots", user=user)
    assert (step().state, step().note) == (
        StepState.NEEDS_ATTENTION,
        "All rejected: find more candidates.",
    )
    services.shortlist_decide(entry=second, status="approved", reason="Checked again", user=user)
    assert (step().state, step().note) == (StepState.DONE, "1 approved.")


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_campaign_page_costs_the_same_queries_with_1_or_100_entries(
    marketer_client, team, campaign, chosen_idea
):
    def add(number):
        entry = services.shortlist_add(
            campaign=campaign, account=_person(team.organization, f"Creator {number}")
        )
        if number % 2:
            services.shortlist_decide(
                entry=entry, status="approved", reason="Fits", user=team.manager.user
            )

    add(0)
    with_one = _count_queries(marketer_client, _page(campaign))
    for number in range(1, 100):
        add(number)
    assert _count_queries(marketer_client, _page(campaign)) == with_one


@pytest.mark.django_db
def test_the_search_costs_the_same_queries_with_10_or_60_accounts(
    marketer_client, team, campaign, chosen_idea
):
    for number in range(10):
        _person(team.organization, f"Creator {number}")
    _count_queries(marketer_client, _search(campaign))
    with_ten = _count_queries(marketer_client, _search(campaign))
    for number in range(10, 60):
        _person(team.organization, f"Creator {number}")
    assert _count_queries(marketer_client, _search(campaign)) == with_ten


@pytest.mark.django_db
def test_the_influencer_page_lists_her_campaigns_with_each_decision(
    marketer_client, team, campaign
):
    account = _person(team.organization, "Inside Ines")
    page_url = reverse("influencers-detail", args=[account.influencer.code])
    assert "Not in any campaign yet." in marketer_client.get(page_url).content.decode()

    entry = services.shortlist_add(campaign=campaign, account=account)
    services.shortlist_decide(entry=entry, status="approved", reason="Honest reviews", user=None)
    brand = campaign.brand
    autumn = services.campaign_save(organization=team.organization, brand=brand, name="Autumn")
    services.shortlist_add(campaign=autumn, account=account)

    def visit():
        with CaptureQueriesContext(connection) as captured:
            page = marketer_client.get(page_url).content.decode()
        return page, len(captured)

    page, queries = visit()
    rows = page.split('<table class="influencer-campaigns">')[1].split("</table>")[0]
    assert "Scrub launch" in rows and "Autumn" in rows
    assert "Approved" in rows and "Honest reviews" in rows and "Candidate" in rows
    assert "Not in any campaign yet." not in page
    for number in range(3):
        extra = services.campaign_save(
            organization=team.organization, brand=brand, name=f"Wave {number}"
        )
        services.shortlist_add(campaign=extra, account=account)
    assert visit()[1] == queries
