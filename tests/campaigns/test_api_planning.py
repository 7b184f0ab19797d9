"""The API for the campaign plan: ideas with votes and comments, the shortlist, term sheets."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns import services
from campaigns.models import Idea, IdeaComment, IdeaVote, ShortlistEntry, TermSheet
from tests.api import Api, api_errors
from tests.campaigns.test_api import make_campaign
from tests.factories import InfluencerFactory, make_account

IDEAS = "/api/v1/ideas/"
SHORTLIST = "/api/v1/shortlist/"
TERM_SHEETS = "/api/v1/term-sheets/"


def make_idea(campaign, title="Glow giveaway"):
    return services.idea_save(campaign=campaign, title=title, campaign_type="giveaway")


def make_entry(campaign, handle="glowgirl"):
    influencer = InfluencerFactory(organization=campaign.organization, name=f"{handle} person")
    return services.shortlist_add(
        campaign=campaign, account=make_account(influencer, handle=handle)
    )


def make_sheet(campaign, name="Gifting wave"):
    return services.term_sheet_save(
        campaign=campaign,
        name=name,
        compensation_model="hybrid",
        fee_amount=Decimal(100),
        product_value=Decimal(40),
        commission_rate=Decimal(10),
        influencers_planned=5,
    )


# --- Ideas -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_marketer_creates_edits_and_chooses_an_idea(team):
    campaign = make_campaign(team.organization)
    api = Api(team.marketer)
    response = api.send(
        "post",
        IDEAS,
        {
            "campaign": str(campaign.code),
            "title": " Coffee scrub giveaway ",
            "campaign_type": "giveaway",
            "channels": ["instagram", "tiktok"],
            "followers_min": 5000,
            "followers_max": 50000,
            "campaign_hashtag": "glowlaunch",
        },
    )
    assert response.status_code == 201, response.content
    idea = response.json()
    assert idea["title"] == "Coffee scrub giveaway"
    assert idea["channels"] == ["instagram", "tiktok"]
    assert (idea["vote_count"], idea["chosen"], idea["comments"]) == (0, False, [])
    assert idea["campaign_name"] == "Coffee scrub launch"
    url = f"{IDEAS}{idea['code']}/"

    response = api.send("patch", url, {"description": "Win a year of scrub"})
    assert response.status_code == 200, response.content
    assert response.json()["followers_max"] == 50000  # kept when not sent

    response = api.send("post", f"{url}choose/", {"chosen": True})
    assert response.status_code == 200 and response.json()["chosen"] is True
    assert Idea.objects.get().chosen
    assert api.send("post", f"{url}choose/", {"chosen": False}).json()["chosen"] is False
    assert api.send("post", f"{url}choose/", {}).status_code == 400

    assert api.send("delete", url).status_code == 204
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_a_bad_idea_gets_a_message_per_field(team):
    campaign = make_campaign(team.organization)
    response = Api(team.marketer).send(
        "post",
        IDEAS,
        {
            "campaign": str(campaign.code),
            "title": "Idea",
            "campaign_type": "giveaway",
            "channels": ["myspace"],
            "campaign_hashtag": "#glow",
        },
    )
    # Values the schema refuses: a 400 for each, at its field.
    assert response.status_code == 400
    errors = api_errors(response)
    assert "Unknown channel “myspace”" in errors["channels.0"][0]
    assert "without #" in errors["campaign_hashtag"][0]
    response = Api(team.marketer).send(
        "post",
        IDEAS,
        {
            "campaign": str(campaign.code),
            "title": "Idea",
            "campaign_type": "giveaway",
            "followers_min": 500,
            "followers_max": 100,
        },
    )
    # Well-formed, but a rule the schema cannot say: a 422, at its field.
    assert response.status_code == 422
    assert "at least the minimum" in api_errors(response)["followers_max"][0]
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_a_manager_votes_and_comments_but_cannot_edit_or_choose(team):
    idea = make_idea(make_campaign(team.organization))
    url = f"{IDEAS}{idea.code}/"
    manager, marketer = Api(team.manager), Api(team.marketer)

    response = manager.send("post", f"{url}vote/")
    assert response.status_code == 200, response.content
    assert response.json() == {"voted": True, "vote_count": 1}
    assert marketer.send("post", f"{url}vote/").json() == {"voted": True, "vote_count": 2}
    assert manager.send("post", f"{url}vote/").json() == {"voted": False, "vote_count": 1}
    assert IdeaVote.objects.get().user == team.marketer.user

    response = manager.send("post", f"{url}comment/", {"text": " Love it "})
    assert response.status_code == 201, response.content
    assert response.json()["text"] == "Love it"
    assert response.json()["author"] == team.manager.user.email
    response = manager.send("post", f"{url}comment/", {"text": "  "})
    assert response.status_code == 400 and "Write a comment" in api_errors(response)["text"][0]
    shown = marketer.get(url).json()
    assert shown["vote_count"] == 1 and [c["text"] for c in shown["comments"]] == ["Love it"]

    for method, path, data in [
        (
            "post",
            IDEAS,
            {"campaign": str(idea.campaign.code), "title": "X", "campaign_type": "event"},
        ),
        ("patch", url, {"title": "Renamed"}),
        ("delete", url, None),
        ("post", f"{url}choose/", {"chosen": True}),
    ]:
        assert manager.send(method, path, data).status_code == 403, (method, path)
    idea.refresh_from_db()
    assert (idea.title, idea.chosen, Idea.objects.count()) == ("Glow giveaway", False, 1)
    assert IdeaComment.objects.count() == 1


# --- Shortlist -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_marketer_shortlists_checks_and_removes_an_account(team):
    campaign = make_campaign(team.organization)
    influencer = InfluencerFactory(organization=team.organization, name="Mia")
    account = make_account(influencer, handle="mia.glow")
    api = Api(team.marketer)
    data = {"campaign": str(campaign.code), "account": str(account.code)}
    response = api.send("post", SHORTLIST, data)
    assert response.status_code == 201, response.content
    entry = response.json()
    assert (entry["handle"], entry["influencer_name"], entry["status"]) == (
        "mia.glow",
        "Mia",
        "candidate",
    )
    assert api.send("post", SHORTLIST, data).json()["code"] == entry["code"]  # added once
    assert ShortlistEntry.objects.count() == 1
    url = f"{SHORTLIST}{entry['code']}/"

    response = api.send("post", f"{url}checklist/", {"niche_fit": True, "niche_fit_note": "Skin"})
    assert response.status_code == 200, response.content
    response = api.send("post", f"{url}checklist/", {"audience_fit": True})
    checked = response.json()
    assert (checked["niche_fit"], checked["niche_fit_note"], checked["audience_fit"]) == (
        True,
        "Skin",
        True,
    )
    assert api.send("delete", url).status_code == 204
    assert not ShortlistEntry.objects.exists()


@pytest.mark.django_db
def test_a_manager_decides_but_cannot_add_check_or_remove(team):
    entry = make_entry(make_campaign(team.organization))
    url = f"{SHORTLIST}{entry.code}/"
    manager = Api(team.manager)
    response = manager.send("post", f"{url}decide/", {"status": "approved", "reason": "Fits"})
    assert response.status_code == 200, response.content
    decided = response.json()
    assert (decided["status"], decided["reason"]) == ("approved", "Fits")
    assert decided["decided_by"] == team.manager.user.email and decided["decided_at"]

    response = manager.send("post", f"{url}decide/", {"status": "rejected", "reason": " "})
    assert response.status_code == 400 and "Say why" in api_errors(response)["reason"][0]
    response = manager.send("post", f"{url}decide/", {"status": "maybe", "reason": "x"})
    assert response.status_code == 400 and "status" in api_errors(response)

    account = make_account(InfluencerFactory(organization=team.organization), handle="other")
    for method, path, data in [
        ("post", SHORTLIST, {"campaign": str(entry.campaign.code), "account": str(account.code)}),
        ("post", f"{url}checklist/", {"niche_fit": True}),
        ("delete", url, None),
    ]:
        assert manager.send(method, path, data).status_code == 403, (method, path)
    entry.refresh_from_db()
    assert (entry.status, entry.niche_fit, ShortlistEntry.objects.count()) == ("approved", False, 1)


# --- Term sheets -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_marketer_writes_a_term_sheet_and_sees_its_cost(team):
    campaign = make_campaign(team.organization)
    api = Api(team.marketer)
    response = api.send(
        "post",
        TERM_SHEETS,
        {
            "campaign": str(campaign.code),
            "name": "Micro ambassadors",
            "deliverables": [
                {"count": 2, "type": "reel", "platform": "instagram"},
                {"count": 1, "type": "story", "platform": "instagram"},
            ],
            "compensation_model": "hybrid",
            "fee_amount": "150",
            "product_value": "40",
            "commission_rate": "10",
            "required_hashtags": ["#glowlaunch"],
            "influencers_planned": 8,
        },
    )
    assert response.status_code == 201, response.content
    sheet = response.json()
    assert sheet["deliverables"][0] == {"count": 2, "type": "reel", "platform": "instagram"}
    assert (sheet["currency"], sheet["required_hashtags"]) == ("EUR", ["glowlaunch"])
    assert (sheet["cost_per_influencer"], sheet["planned_total"]) == ("190.00", "1520.00")
    url = f"{TERM_SHEETS}{sheet['code']}/"

    response = api.send("patch", url, {"influencers_planned": 10})
    assert response.status_code == 200, response.content
    assert response.json()["planned_total"] == "1900.00"
    assert response.json()["fee_amount"] == "150.00"  # kept when not sent
    assert api.send("delete", url).status_code == 204
    assert not TermSheet.objects.exists()


@pytest.mark.django_db
def test_impossible_terms_get_a_message_per_field(team):
    campaign = make_campaign(team.organization)
    response = Api(team.marketer).send(
        "post",
        TERM_SHEETS,
        {
            "campaign": str(campaign.code),
            "name": "Fees",
            "compensation_model": "flat_fee",
            "commission_rate": "120",
            "posting_window_start": "2026-03-10",
            "posting_window_end": "2026-03-01",
            "deliverables": [{"count": 0, "type": "reel", "platform": "instagram"}],
        },
    )
    assert response.status_code == 400
    assert "deliverables.0.count" in api_errors(response)
    response = Api(team.marketer).send(
        "post",
        TERM_SHEETS,
        {
            "campaign": str(campaign.code),
            "name": "Fees",
            "compensation_model": "flat_fee",
            "commission_rate": "120",
            "posting_window_start": "2026-03-10",
            "posting_window_end": "2026-03-01",
        },
    )
    # Rules the schema cannot say come back together, each at its field.
    errors = api_errors(response)
    assert response.status_code == 422
    assert "needs the fee" in errors["fee_amount"][0]
    assert "from 0 to 100" in errors["commission_rate"][0]
    assert "cannot end before" in errors["posting_window_end"][0]
    assert not TermSheet.objects.exists()


@pytest.mark.django_db
def test_a_manager_reads_term_sheets_but_every_write_is_403(team):
    sheet = make_sheet(make_campaign(team.organization))
    url = f"{TERM_SHEETS}{sheet.code}/"
    manager = Api(team.manager)
    assert manager.get(url).status_code == 200
    for method, path, data in [
        ("post", TERM_SHEETS, {"campaign": str(sheet.campaign.code), "name": "New"}),
        ("patch", url, {"name": "Renamed"}),
        ("delete", url, None),
    ]:
        assert manager.send(method, path, data).status_code == 403, (method, path)
    assert TermSheet.objects.get().name == "Gifting wave"


# --- Organisations ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_organisations_campaigns_and_accounts_are_unknown(team):
    own = make_campaign(team.organization)
    theirs = make_campaign(team.outsider.organization, name="Their launch")
    their_idea, their_entry, their_sheet = make_idea(theirs), make_entry(theirs), make_sheet(theirs)
    own_account = make_account(InfluencerFactory(organization=team.organization), handle="mine")
    api = Api(team.marketer)
    attempts = [
        (IDEAS, {"campaign": str(theirs.code), "title": "X", "campaign_type": "event"}, "campaign"),
        (
            TERM_SHEETS,
            {"campaign": str(theirs.code), "name": "X", "compensation_model": "flat_fee"},
            "campaign",
        ),
        (SHORTLIST, {"campaign": str(theirs.code), "account": str(own_account.code)}, "campaign"),
    ]
    for url, data, field in attempts:
        response = api.send("post", url, data)
        assert response.status_code == 422, url
        assert "Unknown campaign." in api_errors(response)[field], response.json()
        assert str(theirs.code) not in response.content.decode()
    response = api.send(
        "post", SHORTLIST, {"campaign": str(own.code), "account": str(their_entry.account.code)}
    )
    assert response.status_code == 422
    assert api_errors(response) == {
        "account": ["Choose an account from your organisation's directory."]
    }
    assert ShortlistEntry.objects.filter(campaign=own).count() == 0

    for url, row in ((IDEAS, their_idea), (SHORTLIST, their_entry), (TERM_SHEETS, their_sheet)):
        assert api.get(f"{url}{row.code}/").status_code == 404
        assert api.get(f"{url}?campaign={theirs.code}").json()["results"] == []
        assert api.get(url).json()["results"] == []
        assert api.get(f"{url}?campaign=nope").status_code == 400
    assert api.send("post", f"{IDEAS}{their_idea.code}/vote/").status_code == 404
    assert not IdeaVote.objects.exists()


@pytest.mark.django_db
def test_patching_a_row_to_another_campaign_is_refused(team):
    campaign = make_campaign(team.organization)
    other = make_campaign(team.organization, name="Other", brand=campaign.brand)
    api = Api(team.marketer)
    for url, row in ((IDEAS, make_idea(campaign)), (TERM_SHEETS, make_sheet(campaign))):
        response = api.send("patch", f"{url}{row.code}/", {"campaign": str(other.code)})
        assert response.status_code == 422 and "campaign" in api_errors(response), url


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("resource", [IDEAS, SHORTLIST, TERM_SHEETS])
def test_list_endpoints_cost_the_same_queries_for_one_or_thirty_rows(team, resource):
    api = Api(team.marketer)
    api.get(resource)  # the token's last-used time is written once, first
    campaign = make_campaign(team.organization)

    def grow(start, count):
        for number in range(start, start + count):
            if resource == IDEAS:
                idea = make_idea(campaign, title=f"Idea {number}")
                services.idea_vote_toggle(idea=idea, user=team.marketer.user)
                services.idea_vote_toggle(idea=idea, user=team.owner.user)
                services.idea_comment_add(idea=idea, author=team.owner.user, text="Good")
            elif resource == SHORTLIST:
                entry = make_entry(campaign, handle=f"account{number}")
                services.shortlist_decide(
                    entry=entry, status="approved", reason="Fits", user=team.owner.user
                )
            else:
                make_sheet(campaign, name=f"Sheet {number}")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = api.get(resource)
            assert response.status_code == 200
        return len(captured), response.json()["count"]

    grow(0, 1)
    with_one, count = queries()
    assert count == 1
    grow(1, 29)
    with_many, count = queries()
    assert count == 30
    assert with_many == with_one
    if resource == IDEAS:
        row = api.get(resource).json()["results"][0]
        assert (row["vote_count"], len(row["comments"])) == (2, 1)
