"""A marketer plans a campaign through the real product in headless Chromium, with her manager.

She starts a campaign for the brand with a budget of EUR 1,000 and finds every step of the
rail "not started"; sets goals, where a vague goal and a goal already past its deadline are
refused at their fields; adds two ideas, one of which the manager (in a browser of her own)
votes on and comments on, and chooses it; searches the directory with its target profile
(Instagram, micro, skincare), reads why each account fits and shortlists five, of which the
manager approves three and rejects one, each with a reason; and writes a term sheet that goes
over the budget, which the budget planner and the rail point out. Pages and clicks only.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from accounts.services import brand_save
from campaigns.models import ShortlistEntry
from influencers.services import influencer_save
from tests.browser.pages import sign_in
from tests.factories import MembershipFactory, make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAMPAIGN = "Spring glow"
STEPS = ["Goals", "Ideas", "Shortlist", "Terms", "Pitches", "Deals", "Results"]
# (name, platform, followers, niche): the first six fit the chosen idea's profile
# (Instagram, micro, skincare); the last three miss it by platform, tier or niche.
FITTING = [
    ("Ada Serum", "instagram", 4000, "skincare"),
    ("Bea Balm", "instagram", 5000, "skincare"),
    ("Cleo Cream", "instagram", 6000, "skincare"),
    ("Dora Dew", "instagram", 7000, "skincare"),
    ("Eve Essence", "instagram", 8000, "skincare"),
    ("Fay Foam", "instagram", 9000, "skincare"),
]
MISFITS = [
    ("Tia Tok", "tiktok", 6000, "skincare"),  # another platform
    ("Nell Nano", "instagram", 800, "skincare"),  # nano tier
    ("Max Lift", "instagram", 6000, "fitness"),  # another niche
]


def _open_campaign(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    expect(page.get_by_role("heading", name="Campaigns", exact=True)).to_be_visible()
    page.get_by_role("link", name=CAMPAIGN).click()
    expect(page.get_by_role("heading", name=CAMPAIGN, level=1)).to_be_visible()


def _step(page: Page, name: str):
    return page.locator("ol.rail li.rail-step:not(.rail-overview)").filter(
        has=page.locator("strong", has_text=re.compile(rf"^{name}$"))
    )


def _go(page: Page, name: str) -> None:
    """Open a step's page through the rail, the campaign's navigation."""
    _step(page, name).get_by_role("link").click()
    expect(_step(page, name).get_by_role("link")).to_have_attribute("aria-current", "page")


def _state(page: Page, name: str):
    return _step(page, name).locator(".rail-state")


def _field(page: Page, label: str):
    """A form field's box (label, input, help and errors) found by its label."""
    return page.locator("div.field").filter(
        has=page.locator("label", has_text=re.compile(rf"^{re.escape(label)}$"))
    )


def _goal_form(page: Page, *, metric, handle=False, baseline="", kind=None, target="", deadline=""):
    page.get_by_role("link", name="Add a goal").first.click()
    expect(page.get_by_role("heading", name="New goal")).to_be_visible()
    page.get_by_label("Metric").select_option(label=metric)
    if handle:
        page.get_by_label("Measured on the brand account").select_option(
            label="@glowco on Instagram"
        )
    page.get_by_label("Baseline").fill(baseline)
    if kind:
        page.get_by_label("The target is").select_option(label=kind)
    page.get_by_label("Target", exact=True).fill(target)
    page.get_by_label("Deadline").fill(deadline)
    page.get_by_role("button", name="Set goal").click()


def _add_idea(page: Page, title: str, *, niches: str, tiers: str) -> None:
    page.get_by_role("link", name="Add an idea").first.click()
    expect(page.get_by_role("heading", name="New idea")).to_be_visible()
    page.get_by_label("Title").fill(title)
    page.get_by_role("checkbox", name="Instagram").check()
    page.get_by_label("Niches").fill(niches)
    page.get_by_label("Tiers").fill(tiers)
    page.get_by_role("button", name="Add idea").click()
    expect(page.get_by_text(f"Idea added: {title}.")).to_be_visible()


def _entry(page: Page, name: str):
    return page.locator("article.shortlist-entry").filter(has_text=name)


def test_marketer_plans_a_campaign_with_her_manager(new_page, tmp_path):
    marketer = MembershipFactory(role=Role.MARKETER, organization__name="Glow Test Org")
    organization = marketer.organization
    manager = MembershipFactory(role=Role.MANAGER, organization=organization)
    brand_save(
        organization=organization,
        name="Glow Co",
        hashtags=["glow"],
        handles={"instagram": "glowco"},
    )
    for name, platform, followers, niche in FITTING + MISFITS:
        influencer = influencer_save(
            organization=organization, name=name, location="Berlin", niches=[niche]
        )
        make_account(
            influencer,
            platform=platform,
            handle=name.lower().replace(" ", "."),
            followers=followers,
            avg_likes=followers // 20,
            avg_comments=followers // 200,
            engagement_sample_size=12,
        )
    today = timezone.localdate()
    future = (today + timedelta(days=120)).isoformat()
    past = (today - timedelta(days=1)).isoformat()

    # 1. The marketer starts a campaign for the brand with a budget of EUR 1,000.
    page = new_page()
    sign_in(page, marketer.user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    expect(page.get_by_text("No campaigns yet.")).to_be_visible()
    page.get_by_role("link", name="Start a campaign").click()
    expect(page.get_by_role("heading", name="New campaign")).to_be_visible()
    page.get_by_label("Brand").select_option(label="Glow Co")
    page.get_by_label("Name").fill(CAMPAIGN)
    page.get_by_label("Budget").fill("1000")
    expect(page.get_by_label("Currency")).to_have_value("EUR")
    page.get_by_role("button", name="Save campaign").click()
    expect(page.get_by_text(f"Campaign {CAMPAIGN} created. Set its goals first.")).to_be_visible()
    expect(page.locator("p.lead").first).to_contain_text("Glow Co")
    expect(page.locator("p.lead").first).to_contain_text("budget EUR 1,000.00")
    rail = page.get_by_role("navigation", name="Campaign steps")
    expect(rail.locator("li:not(.rail-overview) strong")).to_have_text(STEPS)
    expect(_step(page, "Goals").get_by_role("link")).to_have_attribute("aria-current", "page")
    expect(rail.locator("li:not(.rail-overview) .rail-state")).to_have_text(["not started"] * 7)

    # 2. Goals: a vague one and one past its deadline are refused at their fields.
    _goal_form(page, metric="Followers of a brand account")
    expect(page.get_by_role("heading", name="New goal")).to_be_visible()
    expect(_field(page, "Target")).to_contain_text(
        "A goal needs a target number: how much, exactly?"
    )
    expect(_field(page, "Deadline")).to_contain_text("A goal needs a deadline: by when?")
    expect(_field(page, "Baseline")).to_contain_text(
        "Enter today's value, so progress can be measured from it."
    )
    expect(_field(page, "Measured on the brand account")).to_contain_text(
        "Choose the brand account whose followers this goal counts."
    )
    page.get_by_role("link", name="Goals", exact=True).click()
    expect(page.get_by_text("No goals yet.")).to_be_visible()

    _goal_form(
        page,
        metric="Attributed sales revenue",
        baseline="0",
        kind="an absolute number",
        target="20000",
        deadline=past,
    )
    expect(_field(page, "Deadline")).to_contain_text(
        "The deadline must be in the future, or the goal cannot be reached."
    )
    expect(page.locator("div.field.has-error")).to_have_count(1)
    page.get_by_role("link", name="Goals", exact=True).click()
    expect(page.get_by_text("No goals yet.")).to_be_visible()
    expect(_state(page, "Goals")).to_have_text("not started")

    _goal_form(
        page,
        metric="Followers of a brand account",
        handle=True,
        baseline="12000",
        kind="a percentage change of the baseline",
        target="30",
        deadline=future,
    )
    expect(page.get_by_text("Goal set:")).to_be_visible()
    _goal_form(
        page,
        metric="Attributed sales revenue",
        baseline="0",
        kind="an absolute number",
        target="20000",
        deadline=future,
    )
    expect(page.get_by_text("Goal set:")).to_be_visible()
    goals = page.locator("article.goal")
    expect(goals).to_have_count(2)
    expect(goals.nth(0).get_by_role("heading")).to_contain_text(
        "Followers of a brand account — @glowco on Instagram"
    )
    expect(goals.nth(0)).to_contain_text("(target +30%)")
    expect(
        goals.filter(has_text="Attributed sales revenue").get_by_role("heading")
    ).to_contain_text("20,000")
    expect(_state(page, "Goals")).not_to_have_text("not started")
    expect(_state(page, "Goals")).to_have_text("in progress")
    expect(_step(page, "Goals")).to_contain_text("2 goals without a measurement yet.")

    # A measurement dated tomorrow is refused where it was typed, in view, the form still open.
    sales = goals.filter(has_text="Attributed sales revenue")
    sales.get_by_text("History (0 measurements)").click()
    tomorrow = (today + timedelta(days=1)).isoformat()
    sales.get_by_label("Date").fill(tomorrow)
    sales.get_by_label("Value").fill("500")
    sales.get_by_role("button", name="Record").click()
    sales = page.locator("article.goal").filter(has_text="Attributed sales revenue")
    error = sales.get_by_text("A measurement cannot be in the future.")
    expect(error).to_be_in_viewport()
    expect(sales.get_by_label("Date")).to_have_value(tomorrow)
    expect(sales.get_by_label("Date")).to_be_focused()

    # 3. Two ideas; the manager votes on one and comments; the marketer chooses it.
    _go(page, "Ideas")
    _add_idea(page, "Skincare routines", niches="skincare", tiers="micro")
    _add_idea(page, "Fitness challenge", niches="fitness", tiers="macro")
    expect(_state(page, "Ideas")).to_have_text("in progress")
    expect(_step(page, "Ideas")).to_contain_text("Choose an idea.")

    boss = new_page()
    sign_in(boss, manager.user.email)
    _open_campaign(boss)
    _go(boss, "Ideas")
    expect(boss.get_by_role("link", name="Add an idea")).to_have_count(0)
    routines = boss.locator("article.idea").filter(has_text="Skincare routines")
    routines.get_by_role("button", name="Vote").click()
    expect(boss.get_by_text("Vote recorded.")).to_be_visible()
    expect(routines.locator(".idea-votes")).to_have_text("1 vote · you voted")
    routines.get_by_text("Comments (0)").click()
    routines.get_by_label("Comment").fill("Our audience lives on Instagram: go for this one.")
    routines.get_by_role("button", name="Comment", exact=True).click()
    expect(boss.get_by_text("Comment added.")).to_be_visible()
    expect(routines.get_by_text("Comments (1)")).to_be_visible()

    page.reload()
    idea = page.locator("article.idea").filter(has_text="Skincare routines")
    expect(idea.locator(".idea-votes")).to_have_text("1 vote")
    idea.get_by_text("Comments (1)").click()
    expect(idea).to_contain_text("Our audience lives on Instagram: go for this one.")
    expect(idea).to_contain_text(manager.user.email)
    idea.get_by_role("button", name="Choose").click()
    expect(page.get_by_text("Idea chosen: Skincare routines.")).to_be_visible()
    expect(idea.locator(".badge-chosen")).to_have_text("chosen")
    expect(_state(page, "Ideas")).to_have_text("done")
    expect(_step(page, "Ideas")).to_contain_text("1 idea chosen.")

    # A delete asks first, and says what goes with it.
    page.locator("article.idea").filter(has_text="Fitness challenge").get_by_role(
        "link", name="Delete"
    ).click()
    expect(page.get_by_role("heading", name="Delete the idea “Fitness challenge”?")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("article.idea")).to_have_count(2)
    page.locator("article.idea").filter(has_text="Fitness challenge").get_by_role(
        "link", name="Delete"
    ).click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Idea deleted: Fitness challenge.")).to_be_visible()
    expect(page.locator("article.idea")).to_have_count(1)

    # 4. The shortlist search applies the chosen profile and says why each account fits.
    _go(page, "Shortlist")
    page.get_by_role("link", name="Find candidates").first.click()
    expect(page.get_by_role("heading", name="Find candidates")).to_be_visible()
    profile = page.locator("dl.target-profile")
    expect(profile.locator("dt:has-text('Channels') + dd")).to_have_text("Instagram")
    expect(profile.locator("dt:has-text('Niches') + dd")).to_have_text("skincare")
    expect(profile.locator("dt:has-text('Tiers') + dd")).to_have_text("micro")
    expect(page.locator(".result-count")).to_have_text("6 accounts fit the target profile.")
    rows = page.locator("table.shortlist-candidates tbody tr")
    expect(rows).to_have_count(len(FITTING))
    expect(rows.locator("td:first-child a")).to_have_text([name for name, *_ in FITTING])
    for index in range(len(FITTING)):
        reasons = rows.nth(index).locator("ul.fit-reasons")
        expect(reasons).to_contain_text("✓ niche skincare is wanted")
        expect(reasons).to_contain_text("✓ tier micro is wanted")
    table = page.locator("table.shortlist-candidates")
    for name, *_ in MISFITS:
        expect(table).not_to_contain_text(name)

    for name, *_ in FITTING[:5]:
        rows.filter(has_text=name).get_by_role("button", name="Add to shortlist").click()
        expect(page.get_by_text(f"Added to the shortlist: {name}.")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Fay Foam")
    page.get_by_role("link", name="Shortlist", exact=True).click()
    expect(page.locator("article.shortlist-entry")).to_have_count(5)
    expect(_state(page, "Shortlist")).to_have_text("in progress")
    expect(_step(page, "Shortlist")).to_contain_text("5 awaiting a decision.")

    # The manager decides; a decision without a reason is refused.
    _go(boss, "Shortlist")
    _entry(boss, "Ada Serum").get_by_role("button", name="Approve").click()
    ada = _entry(boss, "Ada Serum")
    expect(ada.locator(".error")).to_have_text("Say why, for the record.")
    expect(ada.locator(".error")).to_be_in_viewport()
    expect(ada.get_by_label("Reason")).to_be_focused()
    expect(ada.locator(".badge")).to_have_text("Candidate")
    decisions = [
        ("Ada Serum", "Approve", "Honest reviews, audience in Berlin."),
        ("Bea Balm", "Approve", "Strong engagement on routines."),
        ("Cleo Cream", "Approve", "Posts about sensitive skin."),
        ("Dora Dew", "Reject", "Works with a competitor this spring."),
    ]
    for name, button, reason in decisions:
        entry = _entry(boss, name)
        entry.get_by_label("Reason").fill(reason)
        entry.get_by_role("button", name=button).click()
        verdict = "approved" if button == "Approve" else "rejected"
        expect(boss.get_by_text(f"{name}: {verdict}.")).to_be_visible()
        decided = _entry(boss, name)
        expect(decided.locator(".badge")).to_have_text(verdict.capitalize())
        expect(decided.locator("dt:has-text('Decision') + dd")).to_contain_text(
            f"{verdict.capitalize()} by {manager.user.email}"
        )
        expect(decided.locator("dt:has-text('Decision') + dd")).to_contain_text(reason)
    assert ShortlistEntry.objects.filter(status="approved").count() == 3

    page.reload()
    expect(_state(page, "Shortlist")).to_have_text("in progress")
    expect(_step(page, "Shortlist")).to_contain_text("1 awaiting a decision.")
    expect(_entry(page, "Eve Essence").locator("dt:has-text('Decision') + dd")).to_have_text(
        "awaiting a decision"
    )
    expect(_entry(page, "Dora Dew").locator(".badge")).to_have_text("Rejected")

    # 5. A term sheet of EUR 300 for five influencers goes EUR 500 over the budget.
    _go(page, "Terms")
    page.get_by_role("link", name="Add a term sheet").first.click()
    expect(page.get_by_role("heading", name="New term sheet")).to_be_visible()
    page.get_by_label("Name").fill("Micro ambassadors")
    page.get_by_label("Deliverables").fill("1 reel instagram\n2 story instagram")
    page.get_by_label("Compensation").select_option(label="Flat fee")
    page.get_by_label("Fee per influencer").fill("300")
    expect(page.get_by_label("Currency")).to_have_value("EUR")
    page.get_by_label("Influencers planned").fill("5")
    page.get_by_role("button", name="Add term sheet").click()
    expect(page.get_by_text("Term sheet added: Micro ambassadors.")).to_be_visible()
    planner = page.locator(".budget-planner")
    expect(planner.get_by_role("alert")).to_have_text("Over budget by EUR 500.00")
    expect(planner.locator("tr.over-budget")).to_contain_text("EUR 500.00")
    expect(planner.locator("tfoot")).to_contain_text("EUR 1,500.00")
    expect(planner.locator("tfoot")).to_contain_text("EUR 1,000.00")
    expect(_state(page, "Terms")).to_have_text("needs attention")
    expect(_step(page, "Terms")).to_contain_text("Over budget by EUR 500.00.")
    expect(rail.locator("li:not(.rail-overview) .rail-state")).to_have_text(
        ["in progress", "done", "in progress", "needs attention"] + ["not started"] * 3
    )
    page.screenshot(path=str(tmp_path / "campaign.png"), full_page=True)
    page.locator("ol.rail").screenshot(path=str(tmp_path / "rail.png"))
    print(f"screenshots in {tmp_path}")
