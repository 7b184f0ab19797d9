from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import brand_save
from campaigns import services
from campaigns.budget import budget_plan
from campaigns.models import TermSheet
from campaigns.rail import StepState


@pytest.fixture
def campaign(team):
    brand = brand_save(organization=team.organization, name="Glow & Co")
    return services.campaign_save(
        organization=team.organization,
        brand=brand,
        name="Scrub launch",
        budget_amount=Decimal("5000"),
        budget_currency="EUR",
    )


def _terms_form(**overrides):
    data = {
        "name": "Micro ambassadors",
        "deliverables": "2 reel instagram\n1 feed post instagram\n3 story tiktok",
        "compensation_model": "hybrid",
        "fee_amount": "250",
        "currency": "EUR",
        "product_value": "40",
        "commission_rate": "10",
        "required_hashtags": "#glowscrub, scrubup",
        "required_mentions": "@glowco",
        "disclosure": "#ad",
        "content_guidelines": "Show the scrub in the shower.",
        "usage_rights_days": "90",
        "usage_rights_channels": "website, paid social",
        "exclusivity_days": "30",
        "exclusivity_competitors": "Other body-care brands",
        "posting_window_start": "2026-05-01",
        "posting_window_end": "2026-05-31",
        "relationship_months": "6",
        "drafts_need_approval": "on",
        "influencers_planned": "10",
    }
    data.update(overrides)
    return data


def _page(campaign):
    return reverse("campaigns-terms", args=[campaign.code])


def _rail_step(response, number):
    return next(step for step in response.context["rail"] if step.number == number)


@pytest.mark.django_db
def test_a_marketer_writes_a_term_sheet_and_the_page_shows_it(marketer_client, campaign):
    response = marketer_client.get(_page(campaign))
    assert "No term sheets yet." in response.content.decode()
    assert _rail_step(response, 4).state == StepState.NOT_STARTED

    response = marketer_client.post(
        reverse("campaigns-terms-create", args=[campaign.code]), _terms_form(), follow=True
    )
    page = response.content.decode()
    assert "Term sheet added: Micro ambassadors." in page
    sheet = TermSheet.objects.get()
    assert sheet.deliverables == [
        {"count": 2, "type": "reel", "platform": "instagram"},
        {"count": 1, "type": "feed_post", "platform": "instagram"},
        {"count": 3, "type": "story", "platform": "tiktok"},
    ]
    assert sheet.fee_amount == Decimal("250") and sheet.commission_rate == Decimal("10")
    assert sheet.required_hashtags == ["glowscrub", "scrubup"]
    assert sheet.required_mentions == ["glowco"]
    assert "2 × Reel on Instagram" in page and "#glowscrub" in page
    # 10 × (250 + 40) = 2,900 of a 5,000 budget; the commission is shown, not added.
    assert "EUR 2,900.00" in page and "+ 10% of sales (variable)" in page
    assert "Over budget" not in page
    step = _rail_step(response, 4)
    assert step.state == StepState.DONE and step.note == "1 term sheet within budget."

    edit = reverse("campaigns-terms-edit", args=[sheet.code])
    assert "1 feed_post instagram" in marketer_client.get(edit).content.decode()
    marketer_client.post(edit, _terms_form(name="Renamed", deliverables="1 video youtube"))
    sheet.refresh_from_db()
    assert sheet.name == "Renamed"
    assert sheet.deliverables == [{"count": 1, "type": "video", "platform": "youtube"}]

    marketer_client.post(reverse("campaigns-terms-delete", args=[sheet.code]))
    assert not TermSheet.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"fee_amount": "-5"}, "fee_amount", "A fee cannot be negative."),
        ({"product_value": "-1"}, "product_value", "A product value cannot be negative."),
        ({"commission_rate": "150"}, "commission_rate", "A commission is a percentage"),
        (
            {"posting_window_start": "2026-06-01", "posting_window_end": "2026-05-01"},
            "posting_window_end",
            "The posting window cannot end before it starts.",
        ),
        (
            {"compensation_model": "flat_fee", "fee_amount": ""},
            "fee_amount",
            "Flat fee needs the fee per influencer.",
        ),
        (
            {"compensation_model": "commission", "commission_rate": ""},
            "commission_rate",
            "needs the commission rate",
        ),
        (
            {"compensation_model": "product_only", "product_value": ""},
            "product_value",
            "Product only needs the value of the product sent.",
        ),
        ({"deliverables": "2 reel"}, "deliverables", "Line 1 (“2 reel”): write count, type"),
        ({"deliverables": "many reel instagram"}, "deliverables", "start with a count"),
        (
            {"deliverables": "1 story instagram\n2 dance myspace"},
            "deliverables",
            "Line 2: unknown type “dance”",
        ),
        ({"deliverables": "0 reel instagram"}, "deliverables", "at least 1"),
        ({"currency": "EURO"}, "currency", ""),
        ({"influencers_planned": "-3"}, "influencers_planned", "cannot be negative"),
    ],
)
def test_impossible_terms_are_refused_at_the_field(
    marketer_client, campaign, overrides, field, message
):
    response = marketer_client.post(
        reverse("campaigns-terms-create", args=[campaign.code]), _terms_form(**overrides)
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not TermSheet.objects.exists()


@pytest.mark.django_db
def test_a_sheet_over_budget_shows_the_warning_and_the_rail_asks_for_attention(
    marketer_client, campaign
):
    # 25 × (250 + 0) = 6,250 against 5,000.
    marketer_client.post(
        reverse("campaigns-terms-create", args=[campaign.code]),
        _terms_form(compensation_model="flat_fee", product_value="", influencers_planned="25"),
    )
    response = marketer_client.get(_page(campaign))
    page = response.content.decode()
    assert "Over budget by EUR 1,250.00" in page
    step = _rail_step(response, 4)
    assert step.state == StepState.NEEDS_ATTENTION
    assert step.note == "Over budget by EUR 1,250.00."


@pytest.mark.django_db
def test_sheets_in_another_currency_are_not_added(marketer_client, campaign):
    services.term_sheet_save(
        campaign=campaign, name="Euro wave", compensation_model="flat_fee",
        fee_amount=Decimal("100"), influencers_planned=10,
    )  # fmt: skip
    services.term_sheet_save(
        campaign=campaign, name="Dollar wave", compensation_model="flat_fee",
        fee_amount=Decimal("9000"), currency="usd", influencers_planned=10,
    )  # fmt: skip
    plan = budget_plan(
        list(campaign.term_sheets.all()), budget=Decimal("5000"), budget_currency="EUR"
    )
    assert plan.total == Decimal("1000.00") and plan.left_out == 1
    assert plan.over_by is None and plan.under_by == Decimal("4000.00")
    dollar = plan.sheets[1]
    assert dollar.planned_total == Decimal("90000") and not dollar.counted

    page = marketer_client.get(_page(campaign)).content.decode()
    assert "In USD, the budget in EUR: cannot be added." in page
    assert "Over budget" not in page


def test_missing_numbers_stay_missing():
    sheet = TermSheet(
        name="Affiliates", compensation_model="commission", currency="EUR",
        commission_rate=Decimal("15"), influencers_planned=20,
    )  # fmt: skip
    plan = budget_plan([sheet], budget=None, budget_currency="EUR")
    cost = plan.sheets[0]
    assert cost.per_influencer is None and cost.planned_total is None and not cost.counted
    assert plan.difference is None and plan.warning == ""


@pytest.mark.django_db
def test_fee_guidance_shows_the_tier_costs_with_their_source(marketer_client, campaign):
    page = marketer_client.get(_page(campaign)).content.decode()
    assert "Fee guidance per post" in page
    assert "150–500 USD" in page
    assert "Stryde, &#x27;What Are Micro-Influencers" in page
    assert "(article; no study or year named)" in page
    # The campaign's budget is in EUR: the USD guidance is not silently read as euros.
    assert "USD, not converted to EUR" in page


@pytest.mark.django_db
def test_a_manager_reads_terms_but_cannot_write_them(manager_client, marketer_client, campaign):
    sheet = services.term_sheet_save(
        campaign=campaign, name="Gifting wave", compensation_model="product_only",
        product_value=Decimal("40"),
    )  # fmt: skip
    page = manager_client.get(_page(campaign)).content.decode()
    assert "Gifting wave" in page and "Add a term sheet" not in page
    create = reverse("campaigns-terms-create", args=[campaign.code])
    assert manager_client.post(create, _terms_form()).status_code == 403
    edit = reverse("campaigns-terms-edit", args=[sheet.code])
    assert manager_client.get(edit).status_code == 403
    assert manager_client.post(edit, _terms_form()).status_code == 403
    delete = reverse("campaigns-terms-delete", args=[sheet.code])
    assert manager_client.post(delete).status_code == 403
    assert manager_client.get(delete).status_code == 403
    assert "Delete the term sheet “Gifting wave”?" in marketer_client.get(delete).content.decode()
    assert list(TermSheet.objects.values_list("name", flat=True)) == ["Gifting wave"]


@pytest.mark.django_db
def test_the_campaign_page_costs_the_same_queries_with_1_or_100_sheets(marketer_client, campaign):
    def add_sheet(number):
        services.term_sheet_save(
            campaign=campaign, name=f"Sheet {number}", compensation_model="hybrid",
            fee_amount=Decimal("10"), commission_rate=Decimal("5"), influencers_planned=2,
            deliverables=[{"count": 1, "type": "reel", "platform": "instagram"}],
        )  # fmt: skip

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert marketer_client.get(_page(campaign)).status_code == 200
        return len(captured)

    add_sheet(1)
    with_one = queries()
    for number in range(2, 101):
        add_sheet(number)
    assert queries() == with_one
