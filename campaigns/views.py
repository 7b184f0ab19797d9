from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.deletion import confirm_then_delete
from accounts.forms import save_form
from accounts.models import Brand, Capability
from accounts.tenancy import get_for_member, member_required, require
from campaigns import selectors, services
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
from campaigns.rail import campaign_rail, open_steps
from influencers.forms import SearchForm
from influencers.selectors import tier_list

CAMPAIGN_PAGE_SIZE = 50


@member_required
def campaign_list(request):
    organization = request.membership.organization
    archived = request.GET.get("archived") == "1"
    campaigns = selectors.campaign_list(organization=organization, archived=archived)
    # get_page answers any ?page= with a page: a malformed one with the first, one past the
    # end with the last.
    page = Paginator(campaigns, CAMPAIGN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "archived": archived,
        "has_brands": Brand.objects.filter(organization=organization).exists(),
    }
    return render(request, "campaigns/list.html", context)


def _campaign_form(request, campaign=None):
    initial = CampaignForm.initial_for(campaign) if campaign else {}
    return CampaignForm(request.POST or None, initial=initial)


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
        return redirect("campaigns-goals", campaign.code)
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


def _focus_first_error(form) -> None:
    """The browser puts the cursor, and so the view, on the first field with an error."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["autofocus"] = True
            return


def _workspace(request, code, **forms) -> dict:
    """What every page of a campaign shows: the campaign, its rail, and each step's data.

    The rail is derived from every step, so each step page loads them all: one set of
    prefetches whatever the page (see `selectors.campaign_detail`). `forms` are forms that
    failed on this request, shown at the object they belong to with their errors:
    `measurement`, `comment`, `decision` and `checklist` map an object's pk to its form.
    """
    organization = request.membership.organization
    campaign = get_for_member(
        selectors.campaign_detail(organization=organization), request.membership, code=code
    )
    for failed_forms in forms.values():
        for form in failed_forms.values():
            _focus_first_error(form)
    today = timezone.localdate()
    goals = list(campaign.goals.all())
    failed = {name: forms.get(name, {}) for name in ("measurement", "comment", "decision")}
    for goal in goals:
        goal.progress = selectors.goal_progress_of(goal)
        goal.measurement_form = failed["measurement"].get(goal.pk) or MeasurementForm(
            initial={"measured_on": today}, auto_id=f"measurement-{goal.code}-%s"
        )
    ideas = list(campaign.ideas.all())
    for idea in ideas:
        # From the prefetched votes, so the page's query count does not grow with ideas.
        idea.voted = any(vote.user_id == request.user.pk for vote in idea.votes.all())
        idea.comment_form = failed["comment"].get(idea.pk) or IdeaCommentForm(
            auto_id=f"comment-{idea.code}-%s"
        )
    budget = selectors.campaign_budget(campaign)
    profile = selectors.campaign_target_profile(campaign)
    shortlist = list(campaign.shortlist.all())
    for entry in shortlist:
        entry.fit = selectors.account_fit(entry.account, profile) if profile else None
        entry.decision_form = failed["decision"].get(entry.pk) or ShortlistDecideForm(
            auto_id=f"decision-{entry.code}-%s"
        )
        entry.checklist_form = forms.get("checklist", {}).get(entry.pk)
    rail = campaign_rail([goal.progress for goal in goals], ideas, budget, shortlist)
    return {
        "campaign": campaign,
        "goals": goals,
        "ideas": ideas,
        "budget": budget,
        "profile": profile,
        "shortlist": shortlist,
        "rail": rail,
        "next_actions": open_steps(rail),
        "can_review": request.membership.can(Capability.REVIEW),
    }


STEP_TEMPLATES = {
    "campaigns-detail": "campaigns/overview.html",
    "campaigns-goals": "campaigns/goals.html",
    "campaigns-ideas": "campaigns/ideas.html",
    "campaigns-shortlist": "campaigns/shortlist.html",
    "campaigns-terms": "campaigns/terms.html",
}


def _step_page(request, code, page, **forms):
    """The campaign page named `page` (a URL name of STEP_TEMPLATES), marked on the rail."""
    context = _workspace(request, code, **forms) | {"current_page": page}
    if page == "campaigns-terms":
        organization = request.membership.organization
        context["tiers"] = list(tier_list(organization=organization))
    return render(request, STEP_TEMPLATES[page], context)


@member_required
def campaign_page(request, code, page):
    """The overview or a step's page; `page` comes from the URL pattern (see urls.py)."""
    return _step_page(request, code, page)


def _goal_anchor(goal: Goal) -> str:
    return reverse("campaigns-goals", args=[goal.campaign.code]) + f"#goal-{goal.code}"


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
            return redirect(_goal_anchor(goal))
    return render(request, "campaigns/goal_form.html", {"form": form, "campaign": campaign})


@member_required
def goal_edit(request, code):
    """Change a goal; its measurements stay with it."""
    goal = get_for_member(
        Goal.objects.select_related("campaign__brand"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    campaign = goal.campaign
    form = GoalForm(request.POST or None, campaign=campaign, initial=GoalForm.initial_for(goal))
    if request.method == "POST":
        saved = save_form(
            form, lambda data: services.goal_save(campaign=campaign, goal=goal, **data)
        )
        if saved:
            messages.success(request, f"Goal saved: {saved}.")
            return redirect(_goal_anchor(saved))
    context = {"form": form, "campaign": campaign, "goal": goal}
    return render(request, "campaigns/goal_form.html", context)


@member_required
def goal_delete(request, code):
    goal = get_for_member(
        Goal.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    return confirm_then_delete(
        request,
        goal,
        name=f"the goal “{goal}”",
        delete=lambda: services.goal_delete(goal=goal),
        done=reverse("campaigns-goals", args=[goal.campaign.code]),
        message=f"Goal deleted: {goal}.",
    )


@member_required
@require_POST
def measurement_record(request, code):
    goal = get_for_member(
        Goal.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    form = MeasurementForm(request.POST, auto_id=f"measurement-{goal.code}-%s")
    measurement = save_form(form, lambda data: services.goal_measurement_record(goal=goal, **data))
    if not measurement:
        return _step_page(
            request, goal.campaign.code, "campaigns-goals", measurement={goal.pk: form}
        )
    messages.success(request, f"Measurement recorded: {measurement}.")
    return redirect(_goal_anchor(goal))


@member_required
def measurement_delete(request, code):
    measurement = get_for_member(
        GoalMeasurement.objects.select_related("goal__campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    return confirm_then_delete(
        request,
        measurement,
        name=f"the measurement {measurement}",
        delete=lambda: services.goal_measurement_delete(measurement=measurement),
        done=_goal_anchor(measurement.goal),
        message=f"Measurement deleted: {measurement}.",
    )


def _idea_anchor(idea: Idea) -> str:
    return reverse("campaigns-ideas", args=[idea.campaign.code]) + f"#idea-{idea.code}"


@member_required
def idea_create(request, code):
    campaign = get_for_member(
        Campaign, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    form = IdeaForm(request.POST or None, tiers=tier_list(organization=campaign.organization))
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
    form = IdeaForm(
        request.POST or None,
        initial=IdeaForm.initial_for(idea),
        tiers=tier_list(organization=idea.organization),
    )
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
def idea_delete(request, code):
    idea = get_for_member(
        Idea.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    return confirm_then_delete(
        request,
        idea,
        name=f"the idea “{idea.title}”",
        delete=lambda: services.idea_delete(idea=idea),
        done=reverse("campaigns-ideas", args=[idea.campaign.code]),
        message=f"Idea deleted: {idea.title}.",
    )


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
    form = IdeaCommentForm(request.POST, auto_id=f"comment-{idea.code}-%s")
    comment = save_form(
        form, lambda data: services.idea_comment_add(idea=idea, author=request.user, **data)
    )
    if not comment:
        return _step_page(request, idea.campaign.code, "campaigns-ideas", comment={idea.pk: form})
    messages.success(request, "Comment added.")
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
    return reverse("campaigns-terms", args=[sheet.campaign.code]) + f"#terms-{sheet.code}"


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
def term_sheet_delete(request, code):
    sheet = get_for_member(
        TermSheet.objects.select_related("campaign"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    return confirm_then_delete(
        request,
        sheet,
        name=f"the term sheet “{sheet.name}”",
        delete=lambda: services.term_sheet_delete(term_sheet=sheet),
        done=reverse("campaigns-terms", args=[sheet.campaign.code]),
        message=f"Term sheet deleted: {sheet.name}.",
    )


SHORTLIST_PAGE_SIZE = 50


def _shortlist_anchor(entry: ShortlistEntry) -> str:
    return reverse("campaigns-shortlist", args=[entry.campaign.code]) + f"#shortlist-{entry.code}"


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
        return services.shortlist_add(
            campaign=campaign, account=data["account"], added_by=request.user
        )

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
    form = ShortlistDecideForm(request.POST, auto_id=f"decision-{entry.code}-%s")
    decided = save_form(
        form,
        lambda data: services.shortlist_decide(entry=entry, user=request.user, **data),
    )
    if not decided:
        return _step_page(
            request, entry.campaign.code, "campaigns-shortlist", decision={entry.pk: form}
        )
    name = entry.account.influencer.name
    messages.success(request, f"{name}: {decided.get_status_display().lower()}.")
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
    if not save_form(form, lambda data: services.shortlist_checklist_save(entry=entry, **data)):
        return _step_page(
            request, entry.campaign.code, "campaigns-shortlist", checklist={entry.pk: form}
        )
    messages.success(request, "Checklist saved.")
    return redirect(_shortlist_anchor(entry))


@member_required
def shortlist_remove(request, code):
    entry = get_for_member(
        ShortlistEntry.objects.select_related("campaign", "account__influencer"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    name = entry.account.influencer.name
    return confirm_then_delete(
        request,
        entry,
        name=f"{name} from the shortlist ({entry.get_status_display().lower()})",
        verb="Remove",
        delete=lambda: services.shortlist_remove(entry=entry),
        done=reverse("campaigns-shortlist", args=[entry.campaign.code]),
        message=f"Removed from the shortlist: {name}.",
    )
