"""The Usage page of a partner's developer organization: API requests per key and OAuth application, and webhooks.

For each API key and OAuth application of the organization: requests and
errors over the last 24 hours and 7 days by status class, the current
rate-limit tier, and (one credential's page) the same by endpoint; and the
success rate and latency of the organization's webhook deliveries. Owners and
admins see it (the permission that manages keys and apps); other members get a
403, another organization's credential is a 404. Read-only: no form.
"""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.models import Membership
from accounts.roles import Perm
from api import selectors as usage
from api.models import CredentialKind
from integrations import selectors as webhooks
from portal import tenancy
from portal.organizations import sign_in_required


def _viewing_usage(request: HttpRequest) -> Membership:
    return tenancy.membership_with(request, Perm.INTEGRATIONS_MANAGE, "Only owners and admins see the usage of keys and apps")


@sign_in_required
@require_safe
def usage_overview(request: HttpRequest) -> HttpResponse:
    membership = _viewing_usage(request)
    now = timezone.now()
    windows = usage.usage_windows(now)
    rows = usage.credential_usage_list(organization=membership.organization, now=now)
    # Webhooks of the chosen environment: the sandbox's subscriptions receive what test credentials and triggers cause.
    hooks_of = tenancy.current_organization(request, membership)
    totals, subscriptions = webhooks.webhook_stats(organization=hooks_of, since={w.name: w.since for w in windows})
    context = {
        "membership": membership,
        "hooks_of": hooks_of,
        "memberships": tenancy.memberships(tenancy.signed_in_user(request)),
        "now": now,
        "windows": windows,
        "rows": rows,
        "tables": [(w, [(row, row.windows[w.name]) for row in rows]) for w in windows],
        "webhook_totals": [(w, totals[w.name]) for w in windows],
        "subscriptions": [(s.subscription, [(w, s.windows[w.name]) for w in windows]) for s in subscriptions],
    }
    return render(request, "portal/usage.html", context)


def _credential_page(request: HttpRequest, kind: str, credential_id: uuid.UUID | int) -> HttpResponse:
    membership = _viewing_usage(request)
    now = timezone.now()
    row = usage.credential_usage_get(organization=membership.organization, kind=kind, credential_id=credential_id, now=now)
    if row is None:
        raise Http404("No such key or application")
    context = {
        "membership": membership,
        "memberships": tenancy.memberships(tenancy.signed_in_user(request)),
        "now": now,
        "row": row,
        "windows": [(w, row.windows[w.name], row.endpoint_rows(w.name)) for w in usage.usage_windows(now)],
    }
    return render(request, "portal/usage_credential.html", context)


@sign_in_required
@require_safe
def key_usage(request: HttpRequest, key_id: uuid.UUID) -> HttpResponse:
    return _credential_page(request, CredentialKind.API_KEY, key_id)


@sign_in_required
@require_safe
def app_usage(request: HttpRequest, app_id: int) -> HttpResponse:
    return _credential_page(request, CredentialKind.OAUTH_APP, app_id)
