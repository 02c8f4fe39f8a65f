"""The webhooks pages of a partner's developer organization: subscriptions, their secrets, tests and deliveries.

Every page and action needs ``integrations.manage`` (owners and admins), the
permission the /api/v1/webhooks API asks for: there is no read-only webhook
permission, and delivery logs carry request bodies and signatures, so other
members get a 403. Another organization's subscription or delivery is a 404.
Writes go through ``integrations.services`` (audited); reads through
``integrations.selectors``. A signing secret is rendered only in the answer to
the POST that created, revealed or rotated it, with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Perm
from core.errors import DomainError
from integrations import selectors, services
from integrations.models import WebhookDelivery, WebhookSubscription
from portal import tenancy
from portal.organizations import sign_in_required
from portal.webhook_forms import DeliveryFilterForm, RecoverForm, SubscriptionForm, TestEventForm

PAGE_SIZE = 50
# The request headers that make up the Standard Webhooks signature (shown apart on an attempt).
SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def _managing(request: HttpRequest) -> tenancy.Scope:
    return tenancy.scope_with(request, Perm.INTEGRATIONS_MANAGE, "Only owners and admins manage webhooks")


def _subscription(request: HttpRequest, subscription_id: uuid.UUID) -> tuple[tenancy.Scope, WebhookSubscription]:
    """Where a user who manages webhooks acts (else 403) and one of that organization's subscriptions (else 404)."""
    scope = _managing(request)
    subscription = selectors.subscription_get(organization=scope.organization, subscription_id=subscription_id)
    if subscription is None:
        raise Http404("No such webhook subscription")
    return scope, subscription


def _row(scope: tenancy.Scope, subscription_id: uuid.UUID) -> selectors.SubscriptionRow:
    rows = selectors.subscription_rows(organization=scope.organization, subscription_id=subscription_id)
    if not rows:
        raise Http404("No such webhook subscription")
    return rows[0]


def _delivery(scope: tenancy.Scope, delivery_id: uuid.UUID) -> WebhookDelivery:
    delivery = selectors.delivery_get(organization=scope.organization, delivery_id=delivery_id)
    if delivery is None:
        raise Http404("No such webhook delivery")
    return delivery


def _base_context(request: HttpRequest, scope: tenancy.Scope) -> dict[str, Any]:
    return {
        "membership": scope.membership,
        "organization": scope.organization,
        "memberships": tenancy.memberships(tenancy.signed_in_user(request)),
        "environment": tenancy.environment_of(request, scope.membership),
    }


def _deliveries(
    request: HttpRequest, scope: tenancy.Scope, *, subscription: WebhookSubscription | None = None
) -> tuple[dict[str, Any], int]:
    """The context of a deliveries list (filters, one page, the links beside it) and its status (400: bad filter)."""
    choices = None if subscription else list(selectors.subscription_list(organization=scope.organization))
    form = DeliveryFilterForm(request.GET, subscriptions=choices)
    context: dict[str, Any] = {"filter_form": form, "page": None, "older_url": None, "newer_url": None}
    if not form.is_valid():
        return context, 400
    filters = form.selector_filters()
    if subscription is not None:
        filters["subscription"] = subscription.pk
    try:
        page = selectors.delivery_page(
            organization=scope.organization,
            older_than=request.GET.get("older", ""),
            newer_than=request.GET.get("newer", ""),
            size=PAGE_SIZE,
            **filters,
        )
    except selectors.InvalidCursor:
        context["cursor_error"] = True
        return context, 400
    query = form.query()
    context.update(
        page=page,
        filtered=bool(query),
        # The page updates live (static/portal/deliveries.js, the event stream): rows change in place, and new
        # deliveries are added at the top of the newest page when no filter could exclude them.
        live_stream_url=f"{reverse('stream')}?{urlencode({'organization': str(scope.organization.pk)})}",
        live_insert=not query and not request.GET.get("older"),
        live_subscription=str(subscription.pk) if subscription is not None else "",
        older_url=f"?{urlencode({**query, 'older': page.older})}" if page.older else None,
        newer_url=f"?{urlencode({**query, 'newer': page.newer})}" if page.newer else None,
    )
    return context, 200


def _render_subscription(
    request: HttpRequest,
    scope: tenancy.Scope,
    subscription_id: uuid.UUID,
    *,
    secret: str | None = None,
    secret_kind: str = "",
    recover_form: RecoverForm | None = None,
    status: int = 200,
) -> HttpResponse:
    row = _row(scope, subscription_id)
    deliveries, deliveries_status = _deliveries(request, scope, subscription=row.subscription)
    context = {
        **_base_context(request, scope),
        **deliveries,
        "row": row,
        "subscription": row.subscription,
        "secret": secret,
        "secret_kind": secret_kind,
        "test_form": TestEventForm(),
        "recover_form": recover_form or RecoverForm(initial={"since": timezone.now() - dt.timedelta(days=1)}),
    }
    response = render(request, "portal/webhook.html", context, status=max(status, deliveries_status))
    if secret:
        response["Cache-Control"] = "no-store"  # the secret must not stay in any cache
    return response


@sign_in_required
@require_GET
def webhooks(request: HttpRequest) -> HttpResponse:
    scope = _managing(request)
    context = {**_base_context(request, scope), "rows": selectors.subscription_rows(organization=scope.organization)}
    return render(request, "portal/webhooks.html", context)


def _render_form(
    request: HttpRequest, scope: tenancy.Scope, form: SubscriptionForm, subscription: WebhookSubscription | None, status: int
) -> HttpResponse:
    context = {**_base_context(request, scope), "form": form, "subscription": subscription}
    return render(request, "portal/webhook_form.html", context, status=status)


@sign_in_required
@require_http_methods(["GET", "POST"])
def new_subscription(request: HttpRequest) -> HttpResponse:
    scope = _managing(request)
    organization = scope.organization
    if request.method != "POST":
        return _render_form(request, scope, SubscriptionForm(organization=organization), None, 200)
    form = SubscriptionForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            subscription, secret = services.subscription_create(
                actor=tenancy.signed_in_user(request), organization=organization, data=form.service_data()
            )
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"The subscription to {subscription.url} is created.")
            return _render_subscription(request, scope, subscription.pk, secret=secret, secret_kind="created")
    return _render_form(request, scope, form, None, 400)


@sign_in_required
@require_GET
def subscription(request: HttpRequest, subscription_id: uuid.UUID) -> HttpResponse:
    return _render_subscription(request, _managing(request), subscription_id)


@sign_in_required
@require_http_methods(["GET", "POST"])
def edit_subscription(request: HttpRequest, subscription_id: uuid.UUID) -> HttpResponse:
    scope, current = _subscription(request, subscription_id)
    if request.method != "POST":
        return _render_form(request, scope, SubscriptionForm.of(current), current, 200)
    form = SubscriptionForm(request.POST, organization=scope.organization)
    if form.is_valid():
        try:
            services.subscription_update(actor=tenancy.signed_in_user(request), subscription=current, data=form.service_data())
        except DomainError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "The subscription is saved.")
            return redirect("portal:webhook", subscription_id=current.pk)
    return _render_form(request, scope, form, current, 400)


@sign_in_required
@require_http_methods(["GET", "POST"])
def delete_subscription(request: HttpRequest, subscription_id: uuid.UUID) -> HttpResponse:
    scope, current = _subscription(request, subscription_id)
    if request.method != "POST":
        return render(request, "portal/webhook_delete.html", {**_base_context(request, scope), "subscription": current})
    services.subscription_delete(actor=tenancy.signed_in_user(request), subscription=current)
    messages.success(request, f"The subscription to {current.url} and its delivery log are deleted.")
    return redirect("portal:webhooks")


@sign_in_required
@require_POST
def reveal_secret(request: HttpRequest, subscription_id: uuid.UUID) -> HttpResponse:
    scope, current = _subscription(request, subscription_id)
    secret = services.subscription_reveal_secret(actor=tenancy.signed_in_user(request), subscription=current)
    return _render_subscription(request, scope, current.pk, secret=secret, secret_kind="revealed")


@sign_in_required
@require_POST
def rotate_secret(request: HttpRequest, subscription_id: uuid.UUID) -> HttpResponse:
    scope, current = _subscription(request, subscription_id)
    _, secret = services.subscription_rotate_secret(actor=tenancy.signed_in_user(request), subscription=current)
    messages.success(request, "The signing secret is rotated. The previous one keeps signing alongside it for 24 hours.")
    return _render_subscription(request, scope, current.pk, secret=secret, secret_kind="rotated")


@sign_in_required
@require_POST
def set_enabled(request: HttpRequest, subscription_id: uuid.UUID, enabled: bool) -> HttpResponse:
    _, current = _subscription(request, subscription_id)
    services.subscription_update(actor=tenancy.signed_in_user(request), subscription=current, data={"enabled": enabled})
    if enabled:
        messages.success(request, "The subscription is enabled. Recover what failed while it was off, below.")
    else:
        messages.success(request, "The subscription is disabled: no deliveries are sent to it until you enable it.")
    return redirect("portal:webhook", subscription_id=current.pk)


@sign_in_required
@require_POST
def send_test(request: HttpRequest, subscription_id: uuid.UUID) -> HttpResponse:
    _, current = _subscription(request, subscription_id)
    form = TestEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an event type of the catalog.")
        return redirect("portal:webhook", subscription_id=current.pk)
    try:
        delivery = services.subscription_test(
            actor=tenancy.signed_in_user(request), subscription=current, event_type=form.cleaned_data["event_type"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:webhook", subscription_id=current.pk)
    messages.success(request, f"A test {delivery.event_type} event is on its way. Reload to see the attempt.")
    return redirect("portal:webhook-delivery", delivery_id=delivery.pk)


@sign_in_required
@require_POST
def recover(request: HttpRequest, subscription_id: uuid.UUID) -> HttpResponse:
    scope, current = _subscription(request, subscription_id)
    form = RecoverForm(request.POST)
    if not form.is_valid():
        return _render_subscription(request, scope, current.pk, recover_form=form, status=400)
    since = form.cleaned_data["since"]
    try:
        services.subscription_recover_request(actor=tenancy.signed_in_user(request), subscription=current, since=since)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Every failed delivery since {since:%Y-%m-%d %H:%M} UTC is being sent again, in the background."
        )
    return redirect("portal:webhook", subscription_id=current.pk)


@sign_in_required
@require_GET
def deliveries(request: HttpRequest) -> HttpResponse:
    scope = _managing(request)
    context, status = _deliveries(request, scope)
    return render(request, "portal/webhook_deliveries.html", {**_base_context(request, scope), **context}, status=status)


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


@sign_in_required
@require_GET
def delivery(request: HttpRequest, delivery_id: uuid.UUID) -> HttpResponse:
    scope = _managing(request)
    found = _delivery(scope, delivery_id)
    attempts = [
        {
            "attempt": attempt,
            "signature_headers": [(name, attempt.request_headers.get(name, "")) for name in SIGNATURE_HEADERS],
            "other_headers": sorted((k, v) for k, v in attempt.request_headers.items() if k not in SIGNATURE_HEADERS),
            "response_headers": sorted(attempt.response_headers.items()),
        }
        for attempt in reversed(list(found.attempts.all()))
    ]
    context = {**_base_context(request, scope), "delivery": found, "payload": _pretty(found.body), "attempts": attempts}
    return render(request, "portal/webhook_delivery.html", context)


@sign_in_required
@require_POST
def replay(request: HttpRequest, delivery_id: uuid.UUID) -> HttpResponse:
    scope = _managing(request)
    found = _delivery(scope, delivery_id)
    try:
        services.delivery_replay(actor=tenancy.signed_in_user(request), delivery=found)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The delivery is being sent again, with the same webhook-id. Reload to see the attempt.")
    return redirect("portal:webhook-delivery", delivery_id=found.pk)
