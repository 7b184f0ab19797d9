"""Demo influencers for the demo workspace, labelled as sandbox data."""

from decimal import Decimal

from django.db import transaction

from accounts.models import Organization
from influencers import services
from influencers.models import DataSource, Influencer

# name, location, niches, status, platform, handle, followers, avg likes, avg comments, views
DEMO_ROSTER = [
    (
        "Anna Scrub",
        "Berlin, Germany",
        ["skincare", "coffee"],
        "partner",
        "instagram",
        "anna.scrub",
        4000,
        554,
        40,
        None,
    ),
    (
        "Ben Brews",
        "Hamburg, Germany",
        ["coffee"],
        "contacted",
        "instagram",
        "benbrews",
        8200,
        310,
        22,
        None,
    ),
    (
        "Clara Glow",
        "Vienna, Austria",
        ["skincare"],
        "prospect",
        "instagram",
        "claraglow",
        2600,
        95,
        6,
        None,
    ),
    (
        "Dev Runs",
        "Munich, Germany",
        ["fitness"],
        "prospect",
        "instagram",
        "devruns",
        46000,
        820,
        35,
        None,
    ),
    (
        "Ella Botanics",
        "Zurich, Switzerland",
        ["skincare", "vegan"],
        "prospect",
        "instagram",
        "ellabotanics",
        9600,
        610,
        48,
        None,
    ),
    (
        "Finn Tok",
        "Cologne, Germany",
        ["coffee", "lifestyle"],
        "prospect",
        "tiktok",
        "finntok",
        7300,
        1900,
        60,
        41000,
    ),
    (
        "Greta Green",
        "Berlin, Germany",
        ["vegan"],
        "do_not_contact",
        "instagram",
        "gretagreen",
        730,
        70,
        9,
        None,
    ),
    (
        "Hana Self-care",
        "Leipzig, Germany",
        ["skincare"],
        "prospect",
        "instagram",
        "hana.selfcare",
        5400,
        None,
        None,
        None,
    ),
    # Not shortlisted yet, and fitting the chosen idea: what "Find candidates" turns up.
    (
        "Ida Roast",
        "Salzburg, Austria",
        ["coffee", "skincare"],
        "prospect",
        "instagram",
        "ida.roast",
        6100,
        420,
        31,
        None,
    ),
    (
        "Jonas Bean",
        "Basel, Switzerland",
        ["coffee"],
        "prospect",
        "tiktok",
        "jonasbean",
        3900,
        880,
        41,
        22000,
    ),
]


@transaction.atomic
def demo_influencers_ensure(*, organization: Organization) -> None:
    if Influencer.objects.filter(organization=organization).exists():
        return
    for row in DEMO_ROSTER:
        name, location, niches, status, platform, handle, followers, likes, comments, views = row
        influencer = services.influencer_save(
            organization=organization, name=name, location=location, niches=niches, status=status
        )
        services.social_account_save(
            influencer=influencer,
            source=DataSource.SANDBOX,
            platform=platform,
            handle=handle,
            followers=followers,
            avg_likes=None if likes is None else Decimal(likes),
            avg_comments=None if comments is None else Decimal(comments),
            avg_views=views,
            engagement_sample_size=12 if likes is not None else None,
            engagement_formula="views" if views else "followers",
        )
