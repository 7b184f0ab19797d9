"""Seed the database the API contract runs against; write what the run needs as JSON.

    seed.py <output.json>


Run by run.py with the contract's environment: the demo workspace (the organisation the
tokens act in), a second organisation with rows of its own (whose codes the run sends too,
so every answer about them must be a 404 or a 422), and an API token per role.
"""

import json
import os
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from accounts.demo import DEMO_ORGANIZATION_SLUG  # noqa: E402
from accounts.models import Brand, BrandHandle, Membership, Organization, Role, User  # noqa: E402
from accounts.services import api_token_create, brand_save, organization_create  # noqa: E402
from campaigns import services as campaigns  # noqa: E402
from campaigns.models import (  # noqa: E402
    Campaign,
    Goal,
    GoalMeasurement,
    Idea,
    ShortlistEntry,
    TermSheet,
)
from influencers import services as influencers  # noqa: E402
from influencers.models import Benchmark, FollowerTier, Influencer, SocialAccount  # noqa: E402

ROLES = {
    "owner": "owner@demo.example",
    "marketer": "marketer@demo.example",
    "manager": "manager@demo.example",
}
# Rows of each kind beyond the demo's, so that the run's deletes leave some to read and change.
SPARE = 12


def other_organisation() -> Organization:
    """Another organisation with one row of each kind, none of which the tokens may touch."""
    owner = User.objects.create_user("owner@other.example", "other-organisation-2026")
    organization = organization_create(user=owner, name="Other Org")
    brand = brand_save(organization=organization, name="Other brand", handles={"instagram": "oth"})
    campaign = campaigns.campaign_save(organization=organization, brand=brand, name="Theirs")
    goal = campaigns.goal_save(
        campaign=campaign,
        metric="attributed_revenue",
        baseline=Decimal(0),
        target_kind="absolute",
        target_value=Decimal(1000),
        deadline=date.today() + timedelta(days=90),
    )
    campaigns.goal_measurement_record(goal=goal, measured_on=date.today(), value=Decimal(10))
    campaigns.idea_save(campaign=campaign, title="Their idea", campaign_type="giveaway")
    campaigns.term_sheet_save(
        campaign=campaign,
        name="Their terms",
        compensation_model="product_only",
        product_value=Decimal(40),
    )
    person = influencers.influencer_save(organization=organization, name="Their creator")
    account = influencers.social_account_save(
        influencer=person, source="manual", platform="instagram", handle="their_creator"
    )
    campaigns.shortlist_add(campaign=campaign, account=account)
    return organization


def spare_rows(organization: Organization) -> None:
    """More of every kind of row in the organisation the tokens act in."""
    campaign = Campaign.objects.filter(organization=organization).first()
    brand = campaign.brand
    for number in range(SPARE):
        goal = campaigns.goal_save(
            campaign=campaign,
            metric="attributed_revenue",
            baseline=Decimal(0),
            target_kind="absolute",
            target_value=Decimal(1000 + number),
            deadline=date.today() + timedelta(days=30 + number),
        )
        campaigns.goal_measurement_record(goal=goal, measured_on=date.today(), value=Decimal(5))
        campaigns.idea_save(campaign=campaign, title=f"Idea {number}", campaign_type="event")
        campaigns.term_sheet_save(
            campaign=campaign,
            name=f"Terms {number}",
            compensation_model="product_only",
            product_value=Decimal(40),
        )
        person = influencers.influencer_save(organization=organization, name=f"Spare {number}")
        account = influencers.social_account_save(
            influencer=person, source="manual", platform="tiktok", handle=f"spare{number}"
        )
        campaigns.shortlist_add(campaign=campaign, account=account)
        campaigns.campaign_save(organization=organization, brand=brand, name=f"Campaign {number}")
        brand_save(organization=organization, name=f"Brand {number}")


def codes(model) -> list[str]:
    """Codes of every row of `model`, of both organisations."""
    return [str(code) for code in model.objects.order_by("pk").values_list("code", flat=True)]


def main() -> None:
    call_command("seed_demo", verbosity=0)
    spare_rows(Organization.objects.get(slug=DEMO_ORGANIZATION_SLUG))
    other_organisation()
    tokens = {}
    for role, email in ROLES.items():
        membership = Membership.objects.get(user__email=email, role=Role[role.upper()])
        tokens[role] = api_token_create(membership=membership, name="API contract")[1]
    rows = {
        "organisation": codes(Organization),
        "membership": codes(Membership),
        "brand": codes(Brand),
        "brand_handle": codes(BrandHandle),
        "influencer": codes(Influencer),
        "social_account": codes(SocialAccount),
        "tier": codes(FollowerTier),
        "benchmark": codes(Benchmark),
        "campaign": codes(Campaign),
        "goal": codes(Goal),
        "goal_measurement": codes(GoalMeasurement),
        "idea": codes(Idea),
        "shortlist_entry": codes(ShortlistEntry),
        "term_sheet": codes(TermSheet),
    }
    Path(sys.argv[1]).write_text(json.dumps({"tokens": tokens, "codes": rows}))


if __name__ == "__main__":
    # It writes and reads the rows of two organisations, outside any request.
    with scopes_disabled():
        main()
