"""My calendars: connect a personal Google or Outlook calendar (OAuth 2.0 authorization code with PKCE), see its
state (a revoked grant shows as disconnected, with a reconnect button), disconnect it; and my subscription feed
(a secret ``.ics`` URL, shown once, revocable). Every member may use it for their own calendars."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from accounts.roles import Perm
from connectors import registry
from connectors import services as connector_services
from connectors.models import ConnectionStatus
from console.feedback import domain_error
from console.pages import page
from console.tenancy import Scope, console_page
from core.errors import DomainError
from integrations.calendars import feeds, oauth, port, sync

SESSION_KEY = "calendar_oauth"


def _callback_url(request: HttpRequest, vendor: str) -> str:
    return request.build_absolute_uri(reverse("console:calendar-callback", args=[vendor]))


@console_page(Perm.CONSOLE_OPEN)
def calendars(request: HttpRequest, scope: Scope) -> HttpResponse:
    user = scope.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "disconnect":
            connection = sync.calendar_connection_get(
                organization=scope.organization, user=user, connection_id=request.POST.get("connection", "")
            )
            if connection is None:
                raise Http404("No such calendar.")
            connector_services.connection_disconnect(actor=user, connection=connection)
            messages.success(request, f"{connection.label} is disconnected; the platform no longer writes to it.")
        elif action == "feed":
            issued = feeds.feed_create(actor=user, organization=scope.organization, attendee_email=user.email)
            request.session["calendar_feed_url"] = issued.url
            messages.success(request, "Your feed is ready. Copy its address now: it is shown once.")
        elif action == "revoke":
            feed = feeds.feed_get(organization=scope.organization, feed_id=request.POST.get("feed", ""))
            if feed is None or feed.attendee_email != user.email.lower():
                raise Http404("No such feed.")
            feeds.feed_revoke(actor=user, feed=feed)
            messages.success(request, "The feed address no longer works.")
        return HttpResponseRedirect(reverse("console:calendars"))
    vendors = [
        {"name": a.vendor, "label": spec.label if spec else a.vendor, "configured": bool(a.client()[0])}
        for a in port.adapters()
        for spec in [registry.get("calendar", a.vendor)]
    ]
    context = {
        "connections": sync.calendar_connections_of(organization=scope.organization, user=user),
        "vendors": vendors,
        "feeds": [f for f in feeds.feed_list(organization=scope.organization) if f.attendee_email == user.email.lower()],
        "new_feed_url": request.session.pop("calendar_feed_url", ""),
        "disconnected": ConnectionStatus.DISCONNECTED,
    }
    return page(request, scope, "console/calendars.html", context, section="calendars")


@console_page(Perm.CONSOLE_OPEN)
def calendar_connect(request: HttpRequest, scope: Scope, vendor: str) -> HttpResponse:
    adapter = port.adapter(vendor)
    if adapter is None:
        raise Http404("No such calendar vendor.")
    if not adapter.client()[0]:
        messages.error(request, "This calendar vendor is not set up on the platform yet.")
        return HttpResponseRedirect(reverse("console:calendars"))
    auth = oauth.authorization(adapter, redirect_uri=_callback_url(request, vendor), login_hint=scope.user.email)
    pending = request.session.get(SESSION_KEY) or {}
    pending = dict(list(pending.items())[-4:])  # a few tabs at once; older attempts are dropped
    pending[auth.state] = {"vendor": vendor, "verifier": auth.verifier, "organization": str(scope.organization.pk)}
    request.session[SESSION_KEY] = pending
    return HttpResponseRedirect(auth.url)


@console_page(Perm.CONSOLE_OPEN)
def calendar_callback(request: HttpRequest, scope: Scope, vendor: str) -> HttpResponse:
    """The vendor sends the browser back here with ``code`` and ``state`` (RFC 6749 §4.1.2), or ``error``."""
    pending = dict(request.session.get(SESSION_KEY) or {})
    attempt = pending.pop(request.GET.get("state", ""), None)
    request.session[SESSION_KEY] = pending
    if attempt is None or attempt["vendor"] != vendor or attempt["organization"] != str(scope.organization.pk):
        messages.error(request, "That authorization does not belong to this browser session. Start again.")
    elif request.GET.get("error"):
        messages.error(
            request, f"The calendar was not connected: {request.GET.get('error_description') or request.GET['error']}."
        )
    else:
        try:
            connection = sync.calendar_connect(
                actor=scope.user,
                organization=scope.organization,
                user=scope.user,
                vendor=vendor,
                code=request.GET.get("code", ""),
                verifier=attempt["verifier"],
                redirect_uri=_callback_url(request, vendor),
            )
        except DomainError as exc:
            domain_error(request, exc)
        else:
            messages.success(request, f"{connection.label} is connected: your events will appear in it.")
    return HttpResponseRedirect(reverse("console:calendars"))
