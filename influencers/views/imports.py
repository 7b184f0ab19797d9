"""Import of roster files (upload, mapping and preview, run, progress) and directory export."""

from pathlib import Path

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
from influencers import exporting, importing, selectors
from influencers.models import ImportJob, ImportStatus
from influencers.views.directory import directory_filter_form

PREVIEW_ROWS = 20  # rows shown as they will be imported
PROBLEM_ROWS_SHOWN = 1_000  # rows with problems listed; the counts always cover all of them
RECENT_JOBS = 10


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Roster file",
        help_text=(
            f"A .csv (saved as CSV UTF-8) or .xlsx file up to {importing.MAX_FILE_MB} MB, "
            "with a header row and one account per row. Platform and handle are required."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_FILE_BYTES:
            raise ValidationError(importing.MSG_TOO_LARGE)
        if Path(upload.name).suffix.lower() == ".xls":
            raise ValidationError(importing.MSG_OLD_XLS)
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise ValidationError(importing.MSG_EXTENSION)
        return upload


class MappingForm(forms.Form):
    """One select per target column, offering the file's columns."""

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in the file —")] + [(column, column) for column in columns]
        for target in importing.TARGETS:
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
                job = importing.import_job_create(
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
        "jobs": importing.import_job_list(organization=membership.organization)[:RECENT_JOBS],
        "targets": importing.TARGETS,
    }
    return render(request, "influencers/import_upload.html", context)


@member_required
def import_detail(request, code):
    """Mapping and preview before the import; progress while it runs; the result after."""
    capability = Capability.EDIT_WORKFLOW if request.method == "POST" else Capability.READ
    job = get_for_member(
        ImportJob.objects.select_related("created_by"),
        request.membership,
        capability=capability,
        code=code,
    )
    mappable = job.status in importing.STARTABLE
    if request.method == "POST" and not mappable:
        messages.info(request, "This import has started; its mapping can no longer change.")
        return redirect("influencers-import-detail", code=job.code)
    context = {"job": job, "in_progress": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)}
    if context["in_progress"]:
        context["progress"] = importing.import_progress(job)
        context["stalled"] = importing.import_job_stalled(job)
    elif mappable:
        try:
            frame = importing.import_job_read(job)
        except ValidationError as error:
            context["file_error"] = " ".join(error.messages)
        else:
            form = MappingForm(
                request.POST or None, columns=list(frame.columns), initial=job.column_mapping
            )
            if request.method == "POST" and form.is_valid():
                importing.import_job_map(job=job, mapping=form.mapping())
                return redirect("influencers-import-detail", code=job.code)
            checked = importing.check_rows(frame, job.column_mapping, job.organization_id)
            problem_rows = sorted(checked.problems.items())
            mapped = [t for t in importing.TARGETS if t.key in job.column_mapping]
            context |= {
                "form": form,
                "checked": checked,
                "problem_rows": problem_rows[:PROBLEM_ROWS_SHOWN],
                "problems_hidden": max(len(problem_rows) - PROBLEM_ROWS_SHOWN, 0),
                "preview": _preview_rows(
                    checked, frame, job.column_mapping, [t.key for t in mapped]
                ),
                "mapped_targets": mapped,
                "mapping_rows": [(t.label, job.column_mapping[t.key]) for t in mapped],
                "inline": checked.total <= importing.INLINE_MAX_ROWS,
            }
    return render(request, "influencers/import_detail.html", context)


def _preview_rows(checked, frame, mapping, keys):
    """The first rows as they will be saved; a value that could not be read shows as it is."""
    rows = checked.rows.head(PREVIEW_ROWS)
    preview = []
    for number in rows.index:
        cells = []
        for key in keys:
            value = rows.at[number, key]
            text = ", ".join(value) if isinstance(value, list) else "" if value is None else value
            raw = frame.at[number, mapping[key]] if mapping.get(key) in frame.columns else ""
            cells.append({"text": text or raw, "invalid": text in ("", None) and raw != ""})
        problems = checked.problems.get(number, [])
        preview.append({"number": number, "cells": cells, "problems": problems})
    return preview


@member_required
@require_POST
def import_run(request, code):
    job = get_for_member(
        ImportJob, request.membership, capability=Capability.EDIT_WORKFLOW, code=code
    )
    try:
        importing.import_job_start(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if job.status == ImportStatus.QUEUED:
            messages.success(request, "The import was queued again.")
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
