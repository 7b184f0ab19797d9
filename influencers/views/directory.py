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


class DirectoryPaginator(Paginator):
    """The directory's pages, each read by `selectors.directory_page`.

    The count is of the matching accounts alone, without the join a sort by name needs.
    """

    def __init__(self, *, organization, filters, sort):
        super().__init__([], PAGE_SIZE)
        self.selection = {"organization": organization, "filters": filters, "sort": sort}
        self.count = selectors.directory_matches(organization=organization, filters=filters).count()

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = selectors.directory_page(**self.selection, start=start, stop=start + self.per_page)
        return self._get_page(rows, number, self)


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
    sort, filters = form.ordering(), form.filters()
    paginator = DirectoryPaginator(organization=organization, filters=filters, sort=sort)
    page = paginator.get_page(request.GET.get("page"))
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
        "filtered": any(filters.__dict__.values()),
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
