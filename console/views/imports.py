"""Imports from a file (registrations.imports): upload and see the dry run's report, then run it and fetch the result."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.roles import Perm
from console.forms import ImportUploadForm
from console.pages import page
from console.tenancy import Scope, console_page
from console.views.events import event_or_404
from core.errors import DomainError
from registrations import imports as import_services
from registrations import selectors as registration_selectors
from registrations.models import ImportJob, ImportStatus

# The report shows this many errors; the whole report is in the API's answer.
REPORT_ROWS = 500


@console_page(Perm.REGISTRATIONS_VIEW)
def imports(request: HttpRequest, scope: Scope, event_id: uuid.UUID) -> HttpResponse:
    """An event's imports, and the upload form: each upload is checked at once (the dry run), nothing is written."""
    scope.require(Perm.CONSOLE_OPEN)
    event = event_or_404(scope, event_id)
    form = ImportUploadForm()
    if request.method == "POST":
        scope.require(Perm.REGISTRATIONS_MANAGE)
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_services.import_upload(
                    actor=scope.user,
                    organization=scope.organization,
                    event=event,
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name or "",
                    content=upload.read(),
                )
            except DomainError as exc:
                form.add_error("file", f"{exc.message} {exc.details if isinstance(exc.details, str) else ''}".strip())
            else:
                return HttpResponseRedirect(reverse("console:import", args=[job.pk]))
    jobs = registration_selectors.import_list(organization=scope.organization, event=event)[:50]
    return page(request, scope, "console/imports.html", {"event": event, "form": form, "jobs": jobs}, section="events")


def _job_or_404(scope: Scope, job_id: uuid.UUID) -> ImportJob:
    job = registration_selectors.import_get(organization=scope.organization, job_id=job_id)
    if job is None:
        raise Http404("No such import")
    return job


@console_page(Perm.REGISTRATIONS_VIEW)
def import_page(request: HttpRequest, scope: Scope, import_id: uuid.UUID) -> HttpResponse:
    """One import: the dry run's report, the button that runs it, its progress, outcomes and result file."""
    scope.require(Perm.CONSOLE_OPEN)
    job = _job_or_404(scope, import_id)
    if request.method == "POST":
        scope.require(Perm.REGISTRATIONS_MANAGE)
        try:
            import_services.import_start(actor=scope.user, job=job, skip_invalid=request.POST.get("skip_invalid") == "on")
        except DomainError as exc:
            messages.error(request, f"{exc.message} {exc.details if isinstance(exc.details, str) else ''}".strip())
        else:
            messages.success(request, "The import runs now. This page shows its progress.")
        return HttpResponseRedirect(reverse("console:import", args=[job.pk]))
    running = job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    context = {
        "job": job,
        "event": job.event,
        "report": job.report[:REPORT_ROWS],
        "report_more": max(len(job.report) - REPORT_ROWS, 0),
        "runnable": job.status in (ImportStatus.VALIDATED, ImportStatus.INVALID),
        "running": running,
        # Sorted by name: jsonb keeps an object's keys shortest first.
        "outcomes": dict(sorted((import_services.outcome_counts(job) if running else job.outcomes).items())),
        "percent": 100 if not job.rows_total else min(100, job.rows_done * 100 // job.rows_total),
        "result_url": import_services.result_url(job) if job.status == ImportStatus.SUCCEEDED and job.result_file else None,
    }
    return page(request, scope, "console/import.html", context, section="events")
