"""The API keys page of a partner's developer organization: list and create, revoke, rotate with a grace period.

Owners and admins manage keys (the permission the /api/v1/api-keys API asks
for); other members get a 403, and another organization's key is a 404. A new
key's secret is rendered once, in the answer to the POST that created it, and
is never stored: the page cannot show it again.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.models import ApiKey, Membership
from accounts.roles import Perm
from core.errors import DomainError
from portal import sandbox, tenancy
from portal.forms import ApiKeyForm, ApiKeyRotateForm
from portal.organizations import sign_in_required


def _managing_keys(request: HttpRequest) -> Membership:
    return tenancy.membership_with(request, Perm.INTEGRATIONS_MANAGE, "Only owners and admins manage API keys")


def _key(membership: Membership, key_id: uuid.UUID) -> ApiKey:
    key = selectors.api_key_get(organization=membership.organization, key_id=key_id)
    if key is None:
        raise Http404("No such API key")
    return key


def _render_keys(
    request: HttpRequest,
    membership: Membership,
    form: ApiKeyForm,
    *,
    secret: tuple[ApiKey, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    context = {
        "membership": membership,
        "memberships": tenancy.memberships(tenancy.signed_in_user(request)),
        "rows": [(key, key.status_at(now)) for key in selectors.api_key_list(organization=membership.organization)],
        "form": form,
        "rotate_form": ApiKeyRotateForm(),
        "new_key": secret[0] if secret else None,
        "new_secret": secret[1] if secret else None,
    }
    response = render(request, "portal/keys.html", context, status=status)
    if secret:
        response["Cache-Control"] = "no-store"  # the secret must not stay in any cache
    return response


@sign_in_required
@require_http_methods(["GET", "POST"])
def keys(request: HttpRequest) -> HttpResponse:
    membership = _managing_keys(request)
    if request.method != "POST":
        return _render_keys(request, membership, ApiKeyForm(actor_role=membership.role))
    form = ApiKeyForm(request.POST, actor_role=membership.role)
    if form.is_valid():
        try:
            created = services.api_key_create(
                actor=tenancy.signed_in_user(request),
                organization=membership.organization,
                data=form.service_data(),
                creator_role=membership.role,
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            sandbox.provision_for(request, membership, created[0].mode)
            messages.success(request, f"The API key {created[0].name} is created.")
            return _render_keys(request, membership, ApiKeyForm(actor_role=membership.role), secret=created)
    return _render_keys(request, membership, form, status=400)


@sign_in_required
@require_POST
def revoke_key(request: HttpRequest, key_id: uuid.UUID) -> HttpResponse:
    membership = _managing_keys(request)
    key = _key(membership, key_id)
    try:
        services.api_key_revoke(actor=tenancy.signed_in_user(request), key=key)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The API key {key.name} ({key.prefix}…) is revoked; it no longer works.")
    return redirect("portal:keys")


@sign_in_required
@require_POST
def rotate_key(request: HttpRequest, key_id: uuid.UUID) -> HttpResponse:
    membership = _managing_keys(request)
    key = _key(membership, key_id)
    form = ApiKeyRotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how long the old key keeps working: 0 to 7 days.")
        return redirect("portal:keys")
    try:
        rotated = services.api_key_rotate(
            actor=tenancy.signed_in_user(request), key=key, grace=dt.timedelta(hours=form.cleaned_data["grace_period_hours"])
        )
    except DomainError as exc:
        messages.error(request, exc.sentence)
        return redirect("portal:keys")
    messages.success(request, f"The API key {key.name} is rotated. Update your integration before the old key stops working.")
    return _render_keys(request, membership, ApiKeyForm(actor_role=membership.role), secret=rotated)
