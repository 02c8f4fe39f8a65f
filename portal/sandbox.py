"""The Sandbox page and the Live / Sandbox environment switch of the developer portal (ADR 0010).

Every developer organization has a sandbox organization with sample data
(``integrations.sandbox``). The page shows what it holds, fires any catalog
event type in it (delivered to the sandbox's webhook subscriptions) and resets
it. Any member sees the page and may switch environments (switching creates a
missing sandbox); owners and admins (the integrations permission) create,
trigger and reset, others get a 403. A user without a developer organization
gets a 404. The pages act only in the current organization's sandbox: no URL
names another.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import ApiKeyMode, Membership, Organization
from accounts.roles import Perm, role_has
from accounts.selectors import sandbox_of
from core.errors import DomainError
from integrations import sandbox as sandboxes
from portal import tenancy
from portal.organizations import sign_in_required
from portal.sandbox_forms import EnvironmentForm, ResetForm, TriggerForm


def provision_for(request: HttpRequest, membership: Membership, mode: str) -> None:
    """Test credentials act only in the sandbox: make sure there is one when a test key or app is created."""
    if mode == ApiKeyMode.TEST:
        sandboxes.sandbox_provision(actor=tenancy.signed_in_user(request), organization=membership.organization)


def _managing(request: HttpRequest) -> Membership:
    return tenancy.membership_with(request, Perm.INTEGRATIONS_MANAGE, "Only owners and admins manage the sandbox")


def _sandbox_or_404(membership: Membership) -> Organization:
    sandbox = sandbox_of(membership.organization)
    if sandbox is None:
        raise Http404("The organization has no sandbox yet")
    return sandbox


def _render(
    request: HttpRequest,
    membership: Membership,
    *,
    trigger_form: TriggerForm | None = None,
    reset_form: ResetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sandbox = sandbox_of(membership.organization)
    context = {
        "membership": membership,
        "memberships": tenancy.memberships(tenancy.signed_in_user(request)),
        "sandbox": sandbox,
        "summary": sandboxes.sandbox_summary(sandbox=sandbox) if sandbox is not None else None,
        "can_manage": role_has(membership.role, Perm.INTEGRATIONS_MANAGE),
        "trigger_form": trigger_form or TriggerForm(),
        "reset_form": reset_form or ResetForm(),
        "environment": tenancy.environment_of(request, membership),
    }
    return render(request, "portal/sandbox.html", context, status=status)


@sign_in_required
def sandbox(request: HttpRequest) -> HttpResponse:
    return _render(request, tenancy.membership_or_404(request))


@sign_in_required
@require_POST
def create_sandbox(request: HttpRequest) -> HttpResponse:
    membership = _managing(request)
    sandboxes.sandbox_provision(actor=tenancy.signed_in_user(request), organization=membership.organization)
    messages.success(request, "The sandbox is ready, with sample events, registrations and payments.")
    return redirect("portal:sandbox")


@sign_in_required
@require_POST
def trigger(request: HttpRequest) -> HttpResponse:
    membership = _managing(request)
    sandbox = _sandbox_or_404(membership)
    form = TriggerForm(request.POST)
    if form.is_valid():
        event_type = form.cleaned_data["event_type"]
        try:
            rows = sandboxes.sandbox_trigger(actor=tenancy.signed_in_user(request), sandbox=sandbox, event_type=event_type)
        except DomainError as exc:
            form.add_error("event_type", exc.sentence)
        else:
            published = ", ".join(row.event_type for row in rows)
            messages.success(
                request,
                f"{event_type} fired in the sandbox (published: {published}). "
                "The sandbox's webhook subscriptions receive it within seconds.",
            )
            return redirect("portal:sandbox")
    return _render(request, membership, trigger_form=form, status=400)


@sign_in_required
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    membership = _managing(request)
    sandbox = _sandbox_or_404(membership)
    form = ResetForm(request.POST)
    if not form.is_valid():
        return _render(request, membership, reset_form=form, status=400)
    sandboxes.sandbox_reset(actor=tenancy.signed_in_user(request), sandbox=sandbox)
    messages.success(request, "The sandbox is reset: its sample data is restored; webhook subscriptions are kept.")
    return redirect("portal:sandbox")


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def switch_environment(request: HttpRequest) -> HttpResponse:
    """Work in Live or in Sandbox on every page; switching to Sandbox creates the sandbox when it is missing.

    Switching is a POST (the switch's form); a GET (a bookmarked or typed address) changes nothing and
    goes to the Sandbox page, which shows the switch and explains the environments.
    """
    if request.method != "POST":
        return redirect("portal:sandbox")
    membership = tenancy.membership_or_404(request)
    form = EnvironmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Live or Sandbox.")
        return redirect("portal:dashboard")
    chosen = form.cleaned_data["environment"]
    if chosen == tenancy.SANDBOX:
        sandboxes.sandbox_provision(actor=tenancy.signed_in_user(request), organization=membership.organization)
    tenancy.set_environment(request, chosen)
    messages.success(
        request,
        "You are working in the sandbox: pages act on its sample data." if chosen == tenancy.SANDBOX else "You are working live.",
    )
    target = form.cleaned_data["next"]
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("portal:sandbox")
