"""One influencer: their page, the forms that edit them and their accounts, and merging."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from accounts.forms import save_form
from accounts.models import Capability
from accounts.sections import sections_for
from accounts.tenancy import get_for_member, member_required, require
from influencers import selectors, services
from influencers.forms import InfluencerForm, MergeForm, SocialAccountForm
from influencers.models import VIEWS_PLATFORMS, DataSource, Influencer, SocialAccount


@member_required
def influencer_detail(request, code):
    organization = request.membership.organization
    influencer = get_for_member(
        selectors.influencer_detail(organization=organization), request.membership, code=code
    )
    context = {
        "influencer": influencer,
        "sections": sections_for("influencer", influencer),
        "views_platforms": VIEWS_PLATFORMS,
        "merge_form": MergeForm(),
    }
    return render(request, "influencers/detail.html", context)


def _save_influencer(request, form, influencer=None):
    return save_form(
        form,
        lambda data: services.influencer_save(
            organization=request.membership.organization, influencer=influencer, **data
        ),
    )


@member_required
def influencer_create(request):
    require(request.membership, Capability.EDIT_WORKFLOW)
    form = InfluencerForm(request.POST or None)
    if request.method == "POST" and (influencer := _save_influencer(request, form)):
        messages.success(request, f"{influencer.name} added. Add their accounts next.")
        return redirect("influencers-detail", influencer.code)
    return render(request, "influencers/influencer_form.html", {"form": form})


@member_required
def influencer_edit(request, code):
    influencer = get_for_member(
        Influencer.objects.prefetch_related("niches"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    form = InfluencerForm(request.POST or None, initial=InfluencerForm.initial_for(influencer))
    if request.method == "POST" and _save_influencer(request, form, influencer):
        messages.success(request, f"{influencer.name} saved.")
        return redirect("influencers-detail", influencer.code)
    return render(
        request, "influencers/influencer_form.html", {"form": form, "influencer": influencer}
    )


@member_required
@require_POST
def influencer_archive(request, code):
    """Archive, or with `restore=1` bring back, an influencer; nothing is deleted."""
    influencer = get_for_member(
        Influencer, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    restore = request.POST.get("restore") == "1"
    services.influencer_archive(influencer=influencer, archived=not restore)
    if restore:
        messages.success(request, f"{influencer.name} is back in the directory.")
    else:
        messages.success(
            request,
            f"{influencer.name} archived: hidden from the directory and searches, still shown "
            "in the campaigns that refer to them. Restore from the directory's Archived filter.",
        )
    return redirect("influencers-detail", influencer.code)


@member_required
@require_POST
def influencer_merge(request, code):
    """Fold the chosen influencer into this one (they turned out to be one person)."""
    keep = get_for_member(
        Influencer, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    form = MergeForm(request.POST)
    found = []
    if form.is_valid():
        found = selectors.influencer_find(
            organization=keep.organization, handle_or_name=form.cleaned_data["other"]
        )
    problem = _merge_problem(keep, found)
    if problem:
        messages.error(request, f"Nothing was merged. {problem}")
        return redirect("influencers-detail", keep.code)
    other = found[0]
    services.influencer_merge(keep=keep, merge=other)
    messages.success(request, f"{other.name} was merged into {keep.name}.")
    return redirect("influencers-detail", keep.code)


def _merge_problem(keep, found) -> str | None:
    if not found:
        return "Enter one of the other record's handles or its exact name."
    if len(found) > 1:
        return "Several influencers match: enter one of the other record's handles."
    if found[0].pk == keep.pk:
        return "That is this record itself."
    return None


def _save_account(request, form, influencer, account=None):
    return save_form(
        form,
        lambda data: services.social_account_save(
            influencer=influencer, account=account, source=DataSource.MANUAL, **data
        ),
    )


@member_required
def account_create(request, code):
    influencer = get_for_member(
        Influencer, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    form = SocialAccountForm(request.POST or None)
    if request.method == "POST" and (account := _save_account(request, form, influencer)):
        messages.success(request, f"Account {account} added.")
        return redirect("influencers-detail", influencer.code)
    context = {"form": form, "influencer": influencer}
    return render(request, "influencers/account_form.html", context)


@member_required
def account_edit(request, code):
    account = get_for_member(
        SocialAccount.objects.select_related("influencer"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    form = SocialAccountForm(request.POST or None, initial=SocialAccountForm.initial_for(account))
    if request.method == "POST" and _save_account(request, form, account.influencer, account):
        messages.success(request, f"Account {account} saved.")
        return redirect("influencers-detail", account.influencer.code)
    context = {"form": form, "influencer": account.influencer, "account": account}
    return render(request, "influencers/account_form.html", context)


@member_required
@require_POST
def account_delete(request, code):
    account = get_for_member(
        SocialAccount.objects.select_related("influencer"),
        request.membership,
        capability=Capability.EDIT_WORKFLOW,
        code=code,
    )
    services.social_account_delete(account=account)
    messages.success(request, f"Account {account} deleted.")
    return redirect("influencers-detail", account.influencer.code)


urlpatterns = [
    path("new/", influencer_create, name="influencers-create"),
    path("<uuid:code>/", influencer_detail, name="influencers-detail"),
    path("<uuid:code>/edit/", influencer_edit, name="influencers-edit"),
    path("<uuid:code>/archive/", influencer_archive, name="influencers-archive"),
    path("<uuid:code>/merge/", influencer_merge, name="influencers-merge"),
    path("<uuid:code>/accounts/new/", account_create, name="influencers-account-create"),
    path("accounts/<uuid:code>/edit/", account_edit, name="influencers-account-edit"),
    path("accounts/<uuid:code>/delete/", account_delete, name="influencers-account-delete"),
]
