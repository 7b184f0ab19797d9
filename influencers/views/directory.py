"""The directory: every account of the organisation, filtered, sorted, paginated."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from accounts.models import Capability
from accounts.navigation import next_path
from accounts.tenancy import member_required, require
from influencers import selectors, services
from influencers.forms import BulkActionForm, DirectoryFilterForm
from influencers.models import RelationshipStatus

PAGE_SIZE = 50
COLUMNS = [
    ("name", "Influencer"),
    ("handle", "Account"),
    ("platform", "Platform"),
    ("followers", "Followers"),
    ("tier", "Tier"),
    ("engagement", "Engagement"),
    ("ratio", "vs benchmark"),
    ("location", "Location"),
    ("status", "Status"),
]


def directory_filter_form(request) -> DirectoryFilterForm:
    """The directory's filter form bound to the query string (shared with the export)."""
    organization = request.membership.organization
    return DirectoryFilterForm(
        request.GET,
        tiers=selectors.tier_list(organization=organization),
        niches=selectors.niche_list(organization=organization),
    )


@member_required
def directory(request):
    organization = request.membership.organization
    form = directory_filter_form(request)
    sort = form.ordering()
    accounts = selectors.directory_accounts(
        organization=organization, filters=form.filters(), sort=sort
    )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    columns = [
        {
            "label": label,
            "sort": f"-{key}" if sort == key else key,
            "current": "ascending" if sort == key else "descending" if sort == f"-{key}" else "",
        }
        for key, label in COLUMNS
    ]
    context = {
        "form": form,
        "page": page,
        "columns": columns,
        "filtered": any(form.filters().__dict__.values()),
        "statuses": RelationshipStatus.choices,
    }
    return render(request, "influencers/directory.html", context)


@member_required
@require_POST
def bulk_action(request):
    """Tag the selected influencers with a niche, or set their relationship status."""
    membership = request.membership
    require(membership, Capability.EDIT_WORKFLOW)
    back = next_path(request, reverse("influencers-index"))
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    data, organization = form.cleaned_data, membership.organization
    if data["action"] == "tag":
        count = services.influencers_bulk_tag(
            organization=organization, influencer_codes=data["selected"], niche=data["niche"]
        )
        messages.success(request, f"Tagged {count} influencer(s) with “{data['niche']}”.")
    else:
        count = services.influencers_bulk_set_status(
            organization=organization, influencer_codes=data["selected"], status=data["status"]
        )
        label = RelationshipStatus(data["status"]).label.lower()
        messages.success(request, f"Set {count} influencer(s) to {label}.")
    return redirect(back)


urlpatterns = [
    path("", directory, name="influencers-index"),
    path("bulk/", bulk_action, name="influencers-bulk"),
]
