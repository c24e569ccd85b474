"""Import of people lists (upload → columns → preview → confirm → result) and export to XLSX."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.uploads import upload_limit
from nastavnik.core.worker import WaitingTasks, tasks_waiting_for_worker
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import import_job_for, import_jobs_of, people_of
from nastavnik.people.filters import PersonFilter
from nastavnik.people.models import ImportJob, ImportStatus
from nastavnik.people.transfer.columns import IMPORT_KINDS
from nastavnik.people.transfer.export import people_export_xlsx
from nastavnik.people.transfer.forms import (
    ColumnsForm,
    ImportUploadForm,
    columns_cut_message,
    requested_header_row,
)
from nastavnik.people.transfer.services import (
    import_job_confirm,
    import_job_discard,
    import_job_header,
    import_job_is_live,
    import_job_set_mapping,
    people_import_upload,
)
from nastavnik.people.transfer.tables import max_file_bytes
from nastavnik.people.transfer.tasks import (
    COMMIT,
    PREVIEW,
    import_job_run,
    import_job_settle_if_lost,
)
from nastavnik.people.views import _list_queryset

RECENT_JOBS = 10
# A failed job has no file left (it is deleted at once): it is uploaded again, not remapped.
_MAPPABLE = (ImportStatus.MAPPING, ImportStatus.PREVIEWED)


def _to_job(ctx: OrgContext, job: ImportJob) -> HttpResponse:
    return redirect("people:import_job", org_slug=ctx.organisation.slug, job_pk=job.pk)


# A list may be larger than a scan: the upload handler holds this view's files to the
# import's own limit while they arrive.
@upload_limit(max_file_bytes)
@org_view(Perm.PEOPLE_IMPORT)
def import_upload(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    kind = request.GET.get("kind", "")
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": kind if kind in IMPORT_KINDS else IMPORT_KINDS[0]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = people_import_upload(
                ctx.organisation,
                form.cleaned_data["kind"],
                form.cleaned_data["file"],
                by=request.user,
                language=getattr(request, "LANGUAGE_CODE", None),
            )
        except ValidationError as error:
            form.add_error("kind" if hasattr(error, "error_dict") else "file", error)
        else:
            cut = getattr(job, "columns_cut", None)
            if cut is not None:
                messages.warning(request, columns_cut_message(cut))
            return redirect("people:import_columns", org_slug=ctx.organisation.slug, job_pk=job.pk)
    return render(
        request,
        "people/import_upload.html",
        {
            "form": form,
            # A job whose worker died shows as failed here too, not as running for ever.
            "jobs": [
                import_job_settle_if_lost(job)
                for job in import_jobs_of(ctx).select_related("created_by")[:RECENT_JOBS]
            ],
            "max_bytes": max_file_bytes(),
        },
    )


@org_view(Perm.PEOPLE_IMPORT)
def import_columns(request: OrgRequest, job_pk: int) -> HttpResponse:
    ctx = request.org
    job = import_job_for(ctx, job_pk)
    if job.status not in _MAPPABLE:
        return _to_job(ctx, job)
    data = request.POST if request.method == "POST" else None
    line = job.header_row
    problem: ValidationError | None = None
    if data is not None:
        try:
            line = requested_header_row(data.get("header_row"), job.header_row)
        except ValidationError as error:
            problem = error
    try:
        header, columns = import_job_header(job, line)
    except ValidationError as error:
        problem, line = error, job.header_row
        header, columns = import_job_header(job, line)
    mapping = {int(i): c for i, c in job.mapping.items()} if line == job.header_row else None
    initial = {
        "header_row": line,
        "shown_row": line,
        **{f"col_{i}": c for i, c in (mapping or header.mapping).items()},
    }
    rereading = data is not None and (
        problem is not None or str(line) != data.get("shown_row") or "reread" in data
    )
    # Reading the columns from another row shows them again, guessed anew, before any check.
    form = ColumnsForm(None if rereading else data, kind=job.kind, columns=columns, initial=initial)
    if data is not None and not rereading and form.is_valid():
        try:
            import_job_set_mapping(job, line, form.mapping, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            import_job_run(job, PREVIEW)
            return _to_job(ctx, job)
    return render(
        request,
        "people/import_columns.html",
        {
            "job": job,
            "form": form,
            "recognised": header.recognised,
            # The row asked for cannot be read: said above the form shown for the old one.
            "problems": problem.messages if problem is not None else [],
        },
    )


@org_view(Perm.PEOPLE_IMPORT)
def import_job(request: OrgRequest, job_pk: int) -> HttpResponse:
    ctx = request.org
    # A job whose worker died is noticed here too, so it shows even when no worker runs.
    job = import_job_settle_if_lost(import_job_for(ctx, job_pk))
    # Running but not renewed lately: still waiting in the queue for a worker.
    waiting = job.is_running and not import_job_is_live(job)
    htmx = getattr(request, "htmx", None)
    if htmx:
        # The progress polls here; when the job is over, the whole page shows the outcome.
        if job.is_running:
            response = render(
                request,
                "people/_import_progress.html",
                {"job": job, "waiting": waiting, "waiting_tasks": _waiting_for_worker(job)},
            )
        else:
            response = HttpResponseClientRefresh()
        patch_vary_headers(response, ["HX-Request"])
        return response
    if job.status == ImportStatus.MAPPING:
        return redirect("people:import_columns", org_slug=ctx.organisation.slug, job_pk=job.pk)
    summary: dict[str, Any] = (
        job.result
        if job.status
        in (
            ImportStatus.DONE,
            ImportStatus.FAILED,
        )
        else job.preview
    )
    response = render(
        request,
        "people/import_job.html",
        {
            "job": job,
            "summary": summary,
            "problems_hidden": max(0, summary.get("invalid", 0) - len(summary.get("problems", []))),
            "discardable": job.status != ImportStatus.DONE and not import_job_is_live(job),
            "waiting": waiting,
            "waiting_tasks": _waiting_for_worker(job),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _waiting_for_worker(job: ImportJob) -> WaitingTasks | None:
    """A large import that has not started while the queue waits: no task worker runs."""
    if not job.is_running or job.rows_done:
        return None
    return tasks_waiting_for_worker(timezone.now())


@org_view(Perm.PEOPLE_IMPORT)
@require_POST
def import_confirm(request: OrgRequest, job_pk: int) -> HttpResponse:
    ctx = request.org
    job = import_job_for(ctx, job_pk)
    try:
        job = import_job_confirm(
            job,
            skip_invalid=request.POST.get("skip_invalid") == "on",
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_job(ctx, job)
    import_job_run(job, COMMIT)
    return _to_job(ctx, job)


@org_view(Perm.PEOPLE_IMPORT)
@require_POST
def import_discard(request: OrgRequest, job_pk: int) -> HttpResponse:
    ctx = request.org
    job = import_job_settle_if_lost(import_job_for(ctx, job_pk))
    try:
        import_job_discard(job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_job(ctx, job)
    messages.success(request, _("The import is cancelled and its file deleted."))
    return redirect("people:import", org_slug=ctx.organisation.slug)


@org_view(Perm.PEOPLE_EXPORT)
def people_export(request: OrgRequest) -> HttpResponse:
    """The list as the registry page shows it with the same filters, as an XLSX workbook."""
    ctx = request.org
    filterset = PersonFilter(request.GET or None, queryset=people_of(ctx))
    kind = filterset.kind_value
    filterset.queryset = _list_queryset(ctx, kind)
    content = people_export_xlsx(filterset.qs, kind, ctx.roles)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="people-{kind or "all"}-{stamp}.xlsx"'
    # Personal data: no copy in any cache on the way.
    response["Cache-Control"] = "no-store"
    return response
