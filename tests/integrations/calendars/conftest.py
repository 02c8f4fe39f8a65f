"""Fixtures of the calendar tests: the Google Calendar and Microsoft Graph fakes over real HTTP, a member who
connects a calendar through the console's OAuth flow, and an event they registered for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from connectors.models import Connection
from events.models import Event
from registrations.models import Registration
from tests.connectors.conftest import Clock, frozen
from tests.factories import SessionFactory
from tests.fakes.google_calendar import GoogleCalendarFake
from tests.fakes.graph import GraphFake
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

START = dt.datetime(2030, 6, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def google(settings: Any) -> Iterator[GoogleCalendarFake]:
    server = GoogleCalendarFake().start()
    settings.GOOGLE_CALENDAR_CLIENT_ID = "123-emp.apps.googleusercontent.com"
    settings.GOOGLE_CALENDAR_CLIENT_SECRET = "GOCSPX-secret"
    settings.GOOGLE_OAUTH_AUTHORIZE_URL = server.url + "/o/oauth2/v2/auth"
    settings.GOOGLE_OAUTH_TOKEN_URL = server.url + "/token"
    settings.GOOGLE_CALENDAR_API_URL = server.url + "/calendar/v3"
    yield server
    server.stop()


@pytest.fixture
def graph(settings: Any) -> Iterator[GraphFake]:
    server = GraphFake().start()
    settings.MICROSOFT_CLIENT_ID = "00000000-emp-app"
    settings.MICROSOFT_CLIENT_SECRET = "graph~secret"
    settings.MICROSOFT_OAUTH_AUTHORIZE_URL = server.url + "/common/oauth2/v2.0/authorize"
    settings.MICROSOFT_OAUTH_TOKEN_URL = server.url + "/common/oauth2/v2.0/token"
    settings.MICROSOFT_GRAPH_API_URL = server.url + "/v1.0"
    yield server
    server.stop()


@pytest.fixture
def fakes(google: GoogleCalendarFake, graph: GraphFake) -> dict[str, Any]:
    return {"google": google, "microsoft": graph}


@pytest.fixture
def attendee(member: Callable[..., Any]) -> Any:
    return member("viewer", email="ada@acme.example")


@pytest.fixture
def browser(console: Callable[[Any], Client], attendee: Any) -> Client:
    return console(attendee)


@pytest.fixture
def conference(org: Any, attendee: Any) -> Event:
    event = PublishedEventFactory(
        organization=org, title="Summit", time_zone="Europe/Berlin", starts_at=START, ends_at=START + dt.timedelta(hours=8)
    )
    SessionFactory(event=event, title="Keynote", starts_at=START, ends_at=START + dt.timedelta(hours=1))
    RegistrationFactory(ticket_type=TicketTypeFactory(event=event), attendee_email=attendee.email, user=attendee)
    return event


@pytest.fixture
def connect(
    browser: Client, fakes: dict[str, Any], django_capture_on_commit_callbacks: Any, eager: None
) -> Callable[[str], Connection]:
    """connect(vendor) -> the attendee's connection, made through the console's OAuth flow and the vendor's fake."""

    def make(vendor: str) -> Connection:
        with django_capture_on_commit_callbacks(execute=True):
            start = browser.get(f"/console/calendars/connect/{vendor}/")
            assert start.status_code == 302, start.content[:300]
            back = fakes[vendor].consent(start["Location"])
            done = browser.get(f"/console/calendars/callback/{vendor}/", back)
            assert done.status_code == 302
        return Connection.objects.get(kind="calendar", vendor=vendor)

    return make


def registration_of(event: Event, email: str) -> Registration:
    return Registration.objects.get(event=event, attendee_email=email)


__all__ = ["Clock", "frozen"]
