"""Fixtures of the stream's tests: API keys with chosen scopes, a ticket to check in, an organization's events."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.test import Client

from accounts import services as account_services
from accounts.models import Organization, User
from accounts.roles import Role
from core.audit import SYSTEM
from events import services as event_services
from realtime.publish import call_async
from registrations import checkins
from registrations.models import Registration
from tests.registrations.factories import DoorsOpenEventFactory, RegistrationFactory, TicketTypeFactory


def run_loop(test: Callable[[], Awaitable[None]]) -> None:
    """``asyncio.run(test())``; from a thread of its own when this one runs an event loop already (a browser test
    earlier in this process leaves Playwright's loop running in the main thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(test())
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, test()).result()


@pytest.fixture(autouse=True)
def _empty_layer() -> Iterator[None]:
    """Each test starts and ends with no group in the in-memory layer (its groups say who listens)."""
    layer = get_channel_layer()
    if hasattr(layer, "flush"):  # call_async: a browser test of this process may run an event loop in this thread
        call_async(layer.flush)
    yield
    if hasattr(layer, "flush"):
        call_async(layer.flush)


@pytest.fixture
def key() -> Callable[..., str]:
    """key(organization, *scopes) -> the raw API key of a live key with those scopes."""

    def make(organization: Organization, *scopes: str) -> str:
        _, raw = account_services.api_key_create(
            actor=SYSTEM, organization=organization, data={"name": "Stream", "scopes": list(scopes)}, creator_role=None
        )
        return raw

    return make


@pytest.fixture
def ticket(org: Organization) -> Registration:
    event = DoorsOpenEventFactory(organization=org, capacity=100, title="Acme Summit")
    return RegistrationFactory(ticket_type=TicketTypeFactory(event=event, name="Free"), attendee_name="Ada Lovelace")


def check_in(ticket: Registration, actor: Any = SYSTEM) -> Any:
    """Check ``ticket`` in through the service the API and the desk call (publishes checkin.completed)."""
    event = ticket.ticket_type.event
    return checkins.checkin_scan(actor=actor, organization=event.organization, event=event, code=ticket.ticket_code).checkin


def create_event(organization: Organization, title: str = "Launch") -> Any:
    """An event made through the service (publishes event.created)."""
    import datetime as dt

    from django.utils import timezone

    starts = timezone.now() + dt.timedelta(days=30)
    return event_services.event_create(
        actor=SYSTEM,
        organization=organization,
        data={
            "title": title,
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=3),
            "time_zone": "UTC",
            "capacity": 10,
            "attendance_mode": "online",
            "online_url": "https://meet.example/launch",
        },
    )


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.fixture
def door(member: Callable[..., User]) -> User:
    return member(Role.CHECKIN, email="door@acme.example")
