"""My calendars in headless Chromium: an attendee connects Google Calendar (the browser goes to the Google fake's
consent page and back with the code; PKCE is checked by the fake), sees it connected with the event in the
calendar, creates a subscription feed whose address answers iCalendar, and revokes it. No console errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from connectors.models import Connection
from tests.browser.conftest import Page
from tests.browser.test_console import PASSWORD, axe_check
from tests.factories import SessionFactory, verified
from tests.integrations.calendars.conftest import google  # noqa: F401  (the Google fake and its settings)
from tests.registrations.factories import PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
START = dt.datetime(2030, 6, 3, 9, 0, tzinfo=dt.UTC)


def test_an_attendee_connects_google_calendar_and_subscribes_to_a_feed(
    tab: Page,
    google: Any,  # noqa: F811 (the fixture imported above)
    org: Any,
    member: Any,
    eager: None,
) -> None:
    ada = member("viewer", email="ada@acme.example")
    ada.set_password(PASSWORD)
    ada.save()
    verified(ada)
    event = PublishedEventFactory(
        organization=org, title="Summit", time_zone="Europe/Berlin", starts_at=START, ends_at=START + dt.timedelta(hours=8)
    )
    SessionFactory(event=event, title="Keynote", starts_at=START, ends_at=START + dt.timedelta(hours=1))
    RegistrationFactory(ticket_type=TicketTypeFactory(event=event), attendee_email=ada.email, user=ada)

    page = tab.page
    page.goto(f"{tab.base_url}/portal/accounts/login/?next=/console/calendars/")
    page.fill("input[name=login]", ada.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/calendars/**")
    assert page.get_by_role("heading", name="My calendars").is_visible()
    assert page.get_by_text("No calendar connected yet.").is_visible()
    tab.shot("01 my calendars")
    axe_check(tab, "my calendars")

    page.get_by_role("link", name="Connect Google Calendar").click()  # to the fake's consent page and back
    page.wait_for_url("**/console/calendars/")
    assert page.get_by_text("is connected: your events will appear in it").is_visible()
    connection = Connection.objects.get(kind="calendar", vendor="google", user=ada)
    row = page.get_by_role("row", name=connection.label)
    assert row.get_by_text("Connected").is_visible()
    assert sorted(e["summary"] for e in google.live()) == ["Keynote (Summit)", "Summit"]
    tab.shot("02 connected")

    page.get_by_role("button", name="Create a feed address").click()
    address = page.get_by_label("Feed address").input_value()
    assert "/calendar/feeds/" in address and address.endswith(".ics")
    tab.shot("03 feed address")
    feed_path = "/" + address.split("://", 1)[1].split("/", 1)[1]
    answer = page.request.get(tab.base_url + feed_path)
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Summit" in answer.text()
    page.get_by_role("button", name="Revoke").click()
    assert page.get_by_text("The feed address no longer works.").is_visible()
    assert page.request.get(tab.base_url + feed_path).status == 404
    tab.shot("04 revoked")

    page.get_by_role("button", name="Disconnect").click()
    assert page.get_by_role("link", name="Connect again").is_visible()
    tab.shot("05 disconnected")
    tab.assert_no_errors()
