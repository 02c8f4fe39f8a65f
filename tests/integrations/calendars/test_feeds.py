"""Subscription feeds: an attendee's secret ``.ics`` address (shown once, revocable) that follows changes and drops
cancelled events; the organization's public feed; the API that issues and revokes them."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import Client

from core.audit import SYSTEM
from events import services as event_services
from integrations.models import CalendarFeed
from tests.conftest import error_of
from tests.factories import EventFactory
from tests.integrations.calendars.conftest import START
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def summaries(cal: icalendar.Calendar) -> list[str]:
    return sorted(str(v["summary"]) for v in cal.walk("VEVENT"))


def test_an_attendee_feed_follows_changes_and_drops_cancellations(client_owner, org, conference, attendee):
    other = PublishedEventFactory(
        organization=org, title="Workshop", starts_at=START + dt.timedelta(days=2), ends_at=START + dt.timedelta(days=2, hours=3)
    )
    RegistrationFactory(ticket_type=TicketTypeFactory(event=other), attendee_email="ADA@acme.example")
    RegistrationFactory(ticket_type=TicketTypeFactory(event=other), attendee_email="someone@else.example")
    # Saved an hour ago (SEQUENCE counts seconds of the last change).
    type(conference).objects.filter(pk=conference.pk).update(updated_at=conference.updated_at - dt.timedelta(hours=1))
    conference.refresh_from_db()
    created = client_owner.post("/api/v1/calendar-feeds", {"attendeeEmail": "ada@acme.example"}, format="json")
    assert created.status_code == 201 and created["Cache-Control"] == "no-store"
    url = created.json()["url"]
    assert url.endswith(".ics") and "/calendar/feeds/" in url
    assert "url" not in client_owner.get(f"/api/v1/calendar-feeds/{created.json()['id']}").json()  # shown once
    feed_path = path_of(url)
    response = Client().get(feed_path)  # no credentials: the address is the secret
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)
    assert summaries(cal) == ["Keynote (Summit)", "Summit", "Workshop"]
    [summit] = [v for v in cal.walk("VEVENT") if str(v["summary"]) == "Summit"]
    sequence = int(summit["sequence"])
    assert "Europe/Berlin" in [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]
    event_services.event_update(actor=SYSTEM, event=conference, data={"title": "Summit 2030"})
    cal = icalendar.Calendar.from_ical(Client().get(feed_path).content)
    [summit] = [v for v in cal.walk("VEVENT") if str(v["summary"]) == "Summit 2030"]
    assert str(summit["uid"]).startswith(f"event-{conference.pk}@") and int(summit["sequence"]) > sequence
    event_services.event_cancel(actor=SYSTEM, event=other, reason="No trainer")
    assert summaries(icalendar.Calendar.from_ical(Client().get(feed_path).content)) == ["Keynote (Summit 2030)", "Summit 2030"]
    assert CalendarFeed.objects.get().last_read_at is not None


def test_a_revoked_feed_answers_404_and_a_guessed_one_too(client_owner, conference):
    created = client_owner.post("/api/v1/calendar-feeds", {"attendeeEmail": "ada@acme.example"}, format="json").json()
    feed_path = path_of(created["url"])
    revoked = client_owner.post(f"/api/v1/calendar-feeds/{created['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revokedAt"]
    assert Client().get(feed_path).status_code == 404
    assert Client().get("/calendar/feeds/" + "A" * 43 + ".ics").status_code == 404
    assert CalendarFeed.objects.get().token_hash not in feed_path  # only the digest is kept


def test_feeds_of_another_organization_are_not_found(api, member, other_org, client_owner):
    created = client_owner.post("/api/v1/calendar-feeds", {"attendeeEmail": "ada@acme.example"}, format="json").json()
    stranger = api(member(organization=other_org, email="eve@rival.example"), other_org)
    assert stranger.get(f"/api/v1/calendar-feeds/{created['id']}").status_code == 404
    assert stranger.post(f"/api/v1/calendar-feeds/{created['id']}/revoke").status_code == 404
    assert stranger.get("/api/v1/calendar-feeds").json()["data"] == []


def test_a_viewer_may_list_feeds_but_not_issue_one(api, member):
    viewer = api(member("viewer", email="v@acme.example"))
    assert viewer.get("/api/v1/calendar-feeds").status_code == 200
    refused = viewer.post("/api/v1/calendar-feeds", {"attendeeEmail": "x@acme.example"}, format="json")
    assert refused.status_code == 403 and error_of(refused)["code"] == "PERMISSION_DENIED"


def test_the_public_organization_feed_lists_published_public_events(org):
    PublishedEventFactory(organization=org, title="Open day")
    EventFactory(organization=org, title="Draft plan")
    PublishedEventFactory(organization=org, title="Members only", visibility="private")
    cal = icalendar.Calendar.from_ical(Client().get("/calendar/organizations/acme.ics").content)
    assert summaries(cal) == ["Open day"] and str(cal["x-wr-calname"]) == "Acme Events"
    assert Client().get("/calendar/organizations/nobody.ics").status_code == 404
