from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.forms import save_form
from accounts.models import Brand, Capability
from accounts.selectors import brand_list
from accounts.tenancy import get_for_member, member_required, require
from campaigns import selectors, services
from campaigns.budget import budget_plan
from campaigns.forms import (
    CampaignForm,
    GoalForm,
    IdeaCommentForm,
    IdeaForm,
    MeasurementForm,
    ShortlistAddForm,
    ShortlistChecklistForm,
    ShortlistDecideForm,
    TermSheetForm,
)
from campaigns.models import Campaign, Goal, GoalMeasurement, Idea, ShortlistEntry, TermSheet
from campaigns.rail import campaign_rail
from influencers.forms import SearchForm
from influencers.models import SocialAccount
from influencers.selectors import tier_list
from influencers.services import organization_setup

CAMPAIGN_PAGE_SIZE = 50


@member_required
def campaign_list(request):
    organization = request.membership.organization
    campaigns = selectors.campaign_list(organization=organization)
    # get_page answers any ?page= with a page: a malformed one with the first, one past the
    # end with the last.
    page = Paginator(campaigns, CAMPAIGN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "has_brands": Brand.objects.filter(organization=organization).exists(),
    }
    return render(request, "campaigns/list.html", context)


def _campaign_form(request, campaign=None):
    initial = CampaignForm.initial_for(campaign) if campaign else {}
    return CampaignForm(
        request.POST or None,
        initial=initial,
        brands=brand_list(organization=request.membership.organization),
    )


def _save_campaign(request, form, campaign=None):
    return save_form(
        form,
        lambda data: services.campaign_save(
            organization=request.membership.organization,
            campaign=campaign,
            owner=request.user,
            **data,
        ),
    )


@member_required
def campaign_create(request):
    require(request.membership, Capability.EDIT_WORKFLOW)
    form = _campaign_form(request)
    if request.method == "POST" and (campaign := _save_campaign(request, form)):
        messages.success(request, f"Campaign {campaign.name} created. Set its goals first.")
        return redirect("campaigns-detail", campaign.code)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@member_required
def campaign_edit(request, code):
    campaign = get_for_member(
        Campaign, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    form = _campaign_form(request, campaign)
    if request.method == "POST" and _save_campaign(request, form, campaign):
        messages.success(request, f"Campaign {campaign.name} saved.")
        return redirect("campaigns-detail", campaign.code)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@member_required
def campaign_detail(request, code):
    organization = request.membership.organization
    campaign = get_for_member(
        selectors.campaign_detail(organization=organization), request.membership, code=code
    )
    goals = [(goal, selectors.goal_progress_of(goal)) for goal in campaign.goals.all()]
    ideas = list(campaign.ideas.all())
    for idea in ideas:
        # From the prefetched votes, so the page's query count does not grow with ideas.
        idea.voted = any(vote.user_id == request.user.pk for vote in idea.votes.all())
    budget = budget_plan(
        campaign.term_sheets.all(),
        budget=campaign.budget_amount,
        budget_currency=campaign.budget_currency,
    )
    organization_setup(organization=organization)  # the fee guidance needs the tier table
    profile = selectors.campaign_target_profile(campaign)
    shortlist = list(campaign.shortlist.all())
    context = {
        "campaign": campaign,
        "goals": goals,
        "ideas": ideas,
        "budget": budget,
        "profile": profile,
        "shortlist": [
            (entry, selectors.account_fit(entry.account, profile) if profile else None)
            for entry in shortlist
        ],
        "tiers": list(tier_list(organization=organization)),
        "rail": campaign_rail([progress for _, progress in goals], ideas, budget, shortlist),
        "goal_form": GoalForm(campaign=campaign),
        "measurement_form": MeasurementForm(initial={"measured_on": timezone.localdate()}),
        "comment_form": IdeaCommentForm(),
        "can_review": request.membership.can(Capability.REVIEW),
    }
    return render(request, "campaigns/detail.html", context)


@member_required
def goal_create(request, code):
    campaign = get_for_member(
        Campaign.objects.select_related("brand"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    form = GoalForm(request.POST or None, campaign=campaign)
    if request.method == "POST":
        goal = save_form(form, lambda data: services.goal_save(campaign=campaign, **data))
        if goal:
            messages.success(request, f"Goal set: {goal}.")
            return redirect(reverse("campaigns-detail", args=[campaign.code]) + "#goals")
    return render(request, "campaigns/goal_form.html", {"form": form, "campaign": campaign})


@member_required
@require_POST
def goal_delete(request, code):
    goal = get_for_member(
        Goal.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    services.goal_delete(goal=goal)
    messages.success(request, "Goal deleted.")
    return redirect(reverse("campaigns-detail", args=[goal.campaign.code]) + "#goals")


@member_required
@require_POST
def measurement_record(request, code):
    goal = get_for_member(
        Goal.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    form = MeasurementForm(request.POST)
    measurement = save_form(form, lambda data: services.goal_measurement_record(goal=goal, **data))
    if measurement:
        messages.success(request, f"Measurement recorded: {measurement}.")
    else:
        problems = [f"{error}" for errors in form.errors.values() for error in errors]
        messages.error(request, "Nothing recorded. " + " ".join(problems))
    return redirect(reverse("campaigns-detail", args=[goal.campaign.code]) + f"#goal-{goal.code}")


@member_required
@require_POST
def measurement_delete(request, code):
    measurement = get_for_member(
        GoalMeasurement.objects.select_related("goal__campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    services.goal_measurement_delete(measurement=measurement)
    messages.success(request, "Measurement deleted.")
    campaign = measurement.goal.campaign
    return redirect(reverse("campaigns-detail", args=[campaign.code]) + "#goals")


def _idea_anchor(idea: Idea) -> str:
    return reverse("campaigns-detail", args=[idea.campaign.code]) + f"#idea-{idea.code}"


@member_required
def idea_create(request, code):
    campaign = get_for_member(
        Campaign, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    form = IdeaForm(request.POST or None)
    if request.method == "POST":
        idea = save_form(
            form,
            lambda data: services.idea_save(campaign=campaign, created_by=request.user, **data),
        )
        if idea:
            messages.success(request, f"Idea added: {idea.title}.")
            return redirect(_idea_anchor(idea))
    return render(request, "campaigns/idea_form.html", {"form": form, "campaign": campaign})


@member_required
def idea_edit(request, code):
    idea = get_for_member(
        Idea.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    form = IdeaForm(request.POST or None, initial=IdeaForm.initial_for(idea))
    if request.method == "POST":
        saved = save_form(
            form, lambda data: services.idea_save(campaign=idea.campaign, idea=idea, **data)
        )
        if saved:
            messages.success(request, f"Idea saved: {saved.title}.")
            return redirect(_idea_anchor(saved))
    context = {"form": form, "campaign": idea.campaign, "idea": idea}
    return render(request, "campaigns/idea_form.html", context)


@member_required
@require_POST
def idea_delete(request, code):
    idea = get_for_member(
        Idea.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    services.idea_delete(idea=idea)
    messages.success(request, f"Idea deleted: {idea.title}.")
    return redirect(reverse("campaigns-detail", args=[idea.campaign.code]) + "#ideas")


@member_required
@require_POST
def idea_vote(request, code):
    idea = get_for_member(
        Idea.objects.select_related("campaign"),
        request.membership,
        capability=Capability.REVIEW,
        code=code,
    )
    voted = services.idea_vote_toggle(idea=idea, user=request.user)
    messages.success(request, "Vote recorded." if voted else "Vote taken back.")
    return redirect(_idea_anchor(idea))


@member_required
@require_POST
def idea_comment(request, code):
    idea = get_for_member(
        Idea.objects.select_related("campaign"),
        request.membership,
        capability=Capability.REVIEW,
        code=code,
    )
    form = IdeaCommentForm(request.POST)
    comment = save_form(
        form, lambda data: services.idea_comment_add(idea=idea, author=request.user, **data)
    )
    if comment:
        messages.success(request, "Comment added.")
    else:
        problems = [f"{error}" for errors in form.errors.values() for error in errors]
        messages.error(request, "No comment added. " + " ".join(problems))
    return redirect(_idea_anchor(idea))


@member_required
@require_POST
def idea_choose(request, code):
    """Choose the idea, or with `chosen=0` take the choice back."""
    idea = get_for_member(
        Idea.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    if request.POST.get("chosen") == "0":
        services.idea_unchoose(idea=idea)
        messages.success(request, f"Idea no longer chosen: {idea.title}.")
    else:
        services.idea_choose(idea=idea)
        messages.success(request, f"Idea chosen: {idea.title}.")
    return redirect(_idea_anchor(idea))


def _terms_anchor(sheet: TermSheet) -> str:
    return reverse("campaigns-detail", args=[sheet.campaign.code]) + f"#terms-{sheet.code}"


@member_required
def term_sheet_create(request, code):
    campaign = get_for_member(
        Campaign, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    form = TermSheetForm(request.POST or None, initial={"currency": campaign.budget_currency})
    if request.method == "POST":
        sheet = save_form(form, lambda data: services.term_sheet_save(campaign=campaign, **data))
        if sheet:
            messages.success(request, f"Term sheet added: {sheet.name}.")
            return redirect(_terms_anchor(sheet))
    return render(request, "campaigns/term_sheet_form.html", {"form": form, "campaign": campaign})


@member_required
def term_sheet_edit(request, code):
    sheet = get_for_member(
        TermSheet.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    form = TermSheetForm(request.POST or None, initial=TermSheetForm.initial_for(sheet))
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: services.term_sheet_save(
                campaign=sheet.campaign, term_sheet=sheet, **data
            ),
        )
        if saved:
            messages.success(request, f"Term sheet saved: {saved.name}.")
            return redirect(_terms_anchor(saved))
    context = {"form": form, "campaign": sheet.campaign, "sheet": sheet}
    return render(request, "campaigns/term_sheet_form.html", context)


@member_required
@require_POST
def term_sheet_delete(request, code):
    sheet = get_for_member(
        TermSheet.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    services.term_sheet_delete(term_sheet=sheet)
    messages.success(request, f"Term sheet deleted: {sheet.name}.")
    return redirect(reverse("campaigns-detail", args=[sheet.campaign.code]) + "#terms")


SHORTLIST_PAGE_SIZE = 50


def _shortlist_anchor(entry: ShortlistEntry) -> str:
    return reverse("campaigns-detail", args=[entry.campaign.code]) + f"#shortlist-{entry.code}"


def _form_problems(form) -> str:
    return " ".join(f"{error}" for errors in form.errors.values() for error in errors)


@member_required
def shortlist_search(request, code):
    """The directory with the campaign's target profile applied, to add candidates from."""
    campaign = get_for_member(
        Campaign.objects.select_related("brand"), request.membership, code=code
    )
    profile = selectors.campaign_target_profile(campaign)
    search = SearchForm(request.GET)
    q = search.query()
    accounts = selectors.shortlist_candidates(campaign, profile, q)
    page = Paginator(accounts, SHORTLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (account, selectors.account_fit(account, profile) if profile else None) for account in page
    ]
    context = {
        "campaign": campaign,
        "profile": profile,
        "search": search,
        "q": q,
        "page": page,
        "rows": rows,
    }
    return render(request, "campaigns/shortlist_search.html", context)


@member_required
@require_POST
def shortlist_add(request, code):
    campaign = get_for_member(
        Campaign, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    form = ShortlistAddForm(request.POST)

    def add(data):
        # Another organisation's account is answered exactly as a missing one.
        account = (
            SocialAccount.objects.select_related("influencer")
            .filter(organization=campaign.organization, code=data["account"])
            .first()
        )
        if account is None:
            raise ValidationError(
                {"account": "Choose an account from your organisation's directory."}
            )
        return services.shortlist_add(campaign=campaign, account=account, added_by=request.user)

    entry = save_form(form, add)
    if entry:
        messages.success(request, f"Added to the shortlist: {entry.account.influencer.name}.")
    else:
        messages.error(request, "Nothing added. " + _form_problems(form))
    return redirect("campaigns-shortlist-search", campaign.code)


@member_required
@require_POST
def shortlist_decide(request, code):
    """Approve or reject a candidate: managers may, as their review."""
    entry = get_for_member(
        ShortlistEntry.objects.select_related("campaign", "account__influencer"),
        request.membership,
        capability=Capability.REVIEW,
        code=code,
    )
    form = ShortlistDecideForm(request.POST)
    decided = save_form(
        form,
        lambda data: services.shortlist_decide(entry=entry, user=request.user, **data),
    )
    if decided:
        name = entry.account.influencer.name
        messages.success(request, f"{name}: {decided.get_status_display().lower()}.")
    else:
        messages.error(request, "No decision recorded. " + _form_problems(form))
    return redirect(_shortlist_anchor(entry))


@member_required
@require_POST
def shortlist_checklist(request, code):
    entry = get_for_member(
        ShortlistEntry.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    form = ShortlistChecklistForm(request.POST)
    if save_form(form, lambda data: services.shortlist_checklist_save(entry=entry, **data)):
        messages.success(request, "Checklist saved.")
    else:
        messages.error(request, "Checklist not saved. " + _form_problems(form))
    return redirect(_shortlist_anchor(entry))


@member_required
@require_POST
def shortlist_remove(request, code):
    entry = get_for_member(
        ShortlistEntry.objects.select_related("campaign", "account__influencer"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    services.shortlist_remove(entry=entry)
    messages.success(request, f"Removed from the shortlist: {entry.account.influencer.name}.")
    return redirect(reverse("campaigns-detail", args=[entry.campaign.code]) + "#shortlist")
