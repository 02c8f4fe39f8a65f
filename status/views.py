"""The public status page, its Atom and RSS feeds, and the subscription switch of a signed-in developer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.views.decorators.http import require_GET, require_POST

from status import selectors, services
from status.models import IncidentUpdate, Maintenance, Subscription


@require_GET
def status_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    states = selectors.component_states(now=now)
    subscribed = request.user.is_authenticated and Subscription.objects.filter(user=request.user).exists()
    context = {
        "states": states,
        "overall": selectors.overall(states),
        "overall_label": selectors.LABELS[selectors.overall(states)],
        "open_incidents": selectors.open_incidents(),
        "recent_incidents": selectors.recent_incidents(now=now),
        "maintenance": selectors.maintenance_upcoming(now=now),
        "subscribed": subscribed,
    }
    response = render(request, "status/page.html", context)
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_POST
def subscription(request: HttpRequest) -> HttpResponse:
    subscribed = services.subscription_set(user=request.user, subscribed=request.POST.get("subscribe") == "1")
    messages.success(
        request,
        "You will get an email for each incident update and maintenance." if subscribed else "You will get no more emails.",
    )
    return HttpResponseRedirect(reverse("status:page"))


class StatusFeed(Feed):
    """Incident updates and maintenance announcements (Atom; ``RssStatusFeed`` for RSS 2.0)."""

    feed_type: type[Any] = Atom1Feed
    title = "Event Management Platform status"
    description = "Incidents and scheduled maintenance of the platform's API, webhooks, connectors and portal."
    subtitle = description

    def link(self) -> str:
        return reverse("status:page")

    def items(self) -> list[IncidentUpdate | Maintenance]:
        return selectors.feed_items()

    def item_title(self, item: IncidentUpdate | Maintenance) -> str:
        if isinstance(item, IncidentUpdate):
            return f"{item.incident.title}: {item.get_status_display()}"
        return f"Scheduled maintenance: {item.title}"

    def item_description(self, item: IncidentUpdate | Maintenance) -> str:
        if isinstance(item, IncidentUpdate):
            return item.body
        return f"{item.body} From {item.starts_at:%Y-%m-%d %H:%M} to {item.ends_at:%Y-%m-%d %H:%M} UTC."

    def item_link(self, item: IncidentUpdate | Maintenance) -> str:
        anchor = f"incident-{item.incident_id}" if isinstance(item, IncidentUpdate) else f"maintenance-{item.pk}"
        return f"{reverse('status:page')}#{anchor}"

    def item_guid(self, item: IncidentUpdate | Maintenance) -> str:
        return f"urn:uuid:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: IncidentUpdate | Maintenance) -> Any:
        return item.posted_at if isinstance(item, IncidentUpdate) else item.announced_at

    def item_updateddate(self, item: IncidentUpdate | Maintenance) -> Any:
        return self.item_pubdate(item)


class RssStatusFeed(StatusFeed):
    feed_type = Rss201rev2Feed
