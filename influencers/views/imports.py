"""Import of roster files (upload, mapping and preview, run, progress) and directory export."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Capability
from accounts.tenancy import get_for_member, member_required, require
from influencers import exporting, selectors
from influencers.importing import checking, jobs, reading
from influencers.models import ImportJob, ImportStatus
from influencers.views.directory import directory_filter_form

RECENT_JOBS = 10
REQUEUED = {
    ImportStatus.UPLOADED: "Reading the file was queued again.",
    ImportStatus.CHECKING: "Checking the rows was queued again.",
    ImportStatus.QUEUED: "The import was queued again.",
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file",
        help_text=(
            f"A .csv (saved as CSV UTF-8) or .xlsx file up to {reading.MAX_FILE_MB} MB, "
            "with a header row and one account per row. Platform and handle are required."
        ),
    )


class MappingForm(forms.Form):
    """One select per target column, offering the file's columns."""

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —")] + [(column, column) for column in columns]
        for target in checking.TARGETS:
            self.fields[target.key] = forms.ChoiceField(
                label=target.label, choices=choices, required=target.required
            )

    def mapping(self) -> dict[str, str]:
        return {key: column for key, column in self.cleaned_data.items() if column}


@member_required
def import_upload(request):
    membership = request.membership
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(membership, Capability.EDIT_WORKFLOW)
        if form.is_valid():
            try:
                job = jobs.import_job_create(
                    organization=membership.organization,
                    user=request.user,
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return redirect("influencers-import-detail", code=job.code)
    context = {
        "form": form,
        "jobs": jobs.import_job_list(organization=membership.organization)[:RECENT_JOBS],
        "targets": checking.TARGETS,
    }
    return render(request, "influencers/import_upload.html", context)


@member_required
def import_detail(request, code):
    """Progress while the file is read, checked or imported; the mapping and a preview in
    between; the result after. Everything shown comes from what the read stored."""
    capability = Capability.EDIT_WORKFLOW if request.method == "POST" else Capability.READ
    job = get_for_member(
        ImportJob.objects.select_related("created_by"),
        request.membership,
        capability=capability,
        code=code,
    )
    mappable = job.status in jobs.STARTABLE
    if request.method == "POST" and not mappable:
        if job.status in (ImportStatus.QUEUED, ImportStatus.DONE):
            messages.info(request, "This import has started; its mapping can no longer change.")
        else:
            messages.info(request, "The columns can be chosen once the file is read and checked.")
        return redirect("influencers-import-detail", code=job.code)
    context = {"job": job, "in_progress": job.status in jobs.IN_PROGRESS}
    if context["in_progress"]:
        context["progress"] = jobs.import_progress(job)
        context["stalled"] = jobs.import_job_stalled(job)
    elif mappable:
        columns = [name for name in job.columns if name]
        form = MappingForm(request.POST or None, columns=columns, initial=job.column_mapping)
        if request.method == "POST" and form.is_valid():
            jobs.import_job_map(job=job, mapping=form.mapping())
            return redirect("influencers-import-detail", code=job.code)
        errors = checking.mapping_errors(columns, job.column_mapping)
        problem_rows = [] if errors else jobs.import_job_problems(job)
        mapped = [t for t in checking.TARGETS if t.key in job.column_mapping]
        context |= {
            "form": form,
            "mapping_errors": errors,
            "ready": not errors and not job.problem_rows,
            "problem_rows": problem_rows,
            "problems_hidden": max(job.problem_rows - len(problem_rows), 0),
            "preview": job.preview if mapped else [],
            "mapped_targets": mapped,
            "mapping_rows": [(t.label, job.column_mapping[t.key]) for t in mapped],
            "inline": job.total_rows <= jobs.INLINE_MAX_ROWS,
        }
    return render(request, "influencers/import_detail.html", context)


@member_required
@require_POST
def import_run(request, code):
    job = get_for_member(
        ImportJob, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    waiting = job.status in jobs.WAITING
    try:
        jobs.import_job_start(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if waiting:
            messages.success(request, REQUEUED[job.status])
        elif job.status == ImportStatus.QUEUED:
            messages.success(request, "The import is queued; this page shows its progress.")
        elif job.status == ImportStatus.DONE:
            messages.success(
                request,
                f"{job.original_name} imported: {job.created_count} new, "
                f"{job.updated_count} updated, {job.unchanged_count} unchanged.",
            )
        elif job.status == ImportStatus.FAILED:
            messages.error(request, job.error)
    return redirect("influencers-import-detail", code=job.code)


@member_required
@require_GET
def export(request):
    """The directory's rows under its current filters and sort, as CSV or XLSX."""
    organization = request.membership.organization
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        return HttpResponseBadRequest("Choose format=csv or format=xlsx.")
    form = directory_filter_form(request)
    accounts = selectors.directory_accounts(
        organization=organization, filters=form.filters(), sort=form.ordering()
    ).iterator(chunk_size=2000)
    if kind == "xlsx":
        body, content_type = exporting.accounts_xlsx(accounts), exporting.XLSX_CONTENT_TYPE
    else:
        body, content_type = exporting.accounts_csv(accounts), exporting.CSV_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    filename = f"influencers-{organization.slug}-{timezone.now():%Y-%m-%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("import/", import_upload, name="influencers-import"),
    path("imports/<uuid:code>/", import_detail, name="influencers-import-detail"),
    path("imports/<uuid:code>/run/", import_run, name="influencers-import-run"),
    path("export/", export, name="influencers-export"),
]
