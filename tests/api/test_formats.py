"""Representations beside JSON: CSV for lists, XML for reads and the registration create, iCalendar for events and
sessions; chosen by Accept or ?format=, 406 listing what a resource offers. Each parses with a standard parser and
says what the JSON says."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from typing import Any

import icalendar
import pytest
from defusedxml import ElementTree as SafeElementTree

from tests.conftest import error_of
from tests.factories import EventFactory, OrganizationFactory, SessionFactory, VenueFactory
from tests.registrations.factories import PublishedEventFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2030, 6, 1, tzinfo=dt.UTC)


@pytest.fixture
def events(org: Any) -> list[Any]:
    venue = VenueFactory(organization=org, name="Hall", city="Berlin")
    return [
        EventFactory(
            organization=org,
            title=title,
            venue=venue,
            time_zone="Europe/Berlin",
            starts_at=DAY + dt.timedelta(days=i, hours=8),
            ends_at=DAY + dt.timedelta(days=i, hours=17),
        )
        for i, title in enumerate(["Summit, Day 1", '=HYPERLINK("x")', "Café Ünïcode"])
    ]


def rows(response: Any) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8", response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_list_as_csv_says_what_the_json_says(client_owner, events):
    as_json = client_owner.get("/api/v1/events?sort=startsAt").json()["data"]
    table = rows(client_owner.get("/api/v1/events?sort=startsAt", HTTP_ACCEPT="text/csv"))
    assert [r["id"] for r in table] == [e["id"] for e in as_json]
    for row, item in zip(table, as_json, strict=True):
        assert row["startsAt"] == item["startsAt"] and row["timeZone"] == "Europe/Berlin"
        assert row["venue.name"] == item["venue"]["name"] == "Hall"
    assert table[0]["title"] == "Summit, Day 1" and table[2]["title"] == "Café Ünïcode"
    assert table[1]["title"] == '\'=HYPERLINK("x")'  # a spreadsheet would run it: kept as text


def test_format_query_parameter_and_406(client_owner, events):
    by_param = client_owner.get("/api/v1/events?format=csv")
    assert len(rows(by_param)) == 3
    assert "Accept" in by_param["Vary"]
    refused = client_owner.get("/api/v1/events?format=yaml")
    assert refused.status_code == 406
    assert error_of(refused)["details"]["available"] == ["application/json", "text/csv", "application/xml", "text/calendar"]
    one = client_owner.get(f"/api/v1/events/{events[0].pk}", HTTP_ACCEPT="text/csv")
    assert one.status_code == 406
    assert error_of(one)["details"]["available"] == ["application/json", "application/xml", "text/calendar"]
    assert client_owner.get("/api/v1/venues", HTTP_ACCEPT="text/calendar").status_code == 406


def test_each_representation_has_its_own_etag(client_owner, events):
    tags = {
        accept: client_owner.get("/api/v1/events", HTTP_ACCEPT=accept)["ETag"]
        for accept in ("application/json", "text/csv", "application/xml")
    }
    assert len(set(tags.values())) == 3
    again = client_owner.get("/api/v1/events", HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=tags["text/csv"])
    assert again.status_code == 304


def test_a_read_as_xml_says_what_the_json_says(client_owner, events):
    event = events[2]
    as_json = client_owner.get(f"/api/v1/events/{event.pk}").json()
    response = client_owner.get(f"/api/v1/events/{event.pk}?format=xml")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = SafeElementTree.fromstring(response.content)
    assert root.tag == "response"
    assert root.findtext("id") == as_json["id"] and root.findtext("title") == "Café Ünïcode"
    assert root.findtext("startsAt") == as_json["startsAt"]
    assert root.find("venue/name").text == as_json["venue"]["name"]


def test_a_list_as_xml(client_owner, events):
    root = SafeElementTree.fromstring(client_owner.get("/api/v1/events", HTTP_ACCEPT="application/xml").content)
    assert [item.findtext("id") for item in root.find("data")] == [
        e["id"] for e in client_owner.get("/api/v1/events").json()["data"]
    ]
    assert root.find("pagination") is not None


def test_events_and_sessions_as_icalendar(client_owner, events):
    event = events[0]
    session = SessionFactory(
        event=event,
        title="Keynote",
        room="A",
        starts_at=event.starts_at + dt.timedelta(hours=1),
        ends_at=event.starts_at + dt.timedelta(hours=2),
    )
    one = client_owner.get(f"/api/v1/events/{event.pk}", HTTP_ACCEPT="text/calendar")
    assert one["Content-Type"] == "text/calendar"
    cal = icalendar.Calendar.from_ical(one.content)
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["summary"]) == "Summit, Day 1" and str(vevent["uid"]).startswith(f"event-{event.pk}@")
    assert vevent.decoded("dtstart") == event.starts_at and str(vevent.decoded("dtstart").tzinfo) == "Europe/Berlin"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    listing = icalendar.Calendar.from_ical(client_owner.get("/api/v1/events?format=ics").content)
    assert sorted(str(v["summary"]) for v in listing.walk("VEVENT")) == sorted(e.title for e in events)
    sessions = client_owner.get(f"/api/v1/events/{event.pk}/sessions", HTTP_ACCEPT="text/calendar")
    [vsession] = icalendar.Calendar.from_ical(sessions.content).walk("VEVENT")
    assert str(vsession["summary"]) == "Keynote (Summit, Day 1)" and "A" in str(vsession["location"])
    assert vsession.decoded("dtend") == session.ends_at


def test_other_organizations_rows_never_show_in_any_format(api, member, events):
    other = OrganizationFactory()
    stranger = api(member(organization=other, email="eve@other.example"), other)
    assert rows(stranger.get("/api/v1/events", HTTP_ACCEPT="text/csv")) == []
    assert stranger.get(f"/api/v1/events/{events[0].pk}", HTTP_ACCEPT="text/calendar").status_code == 404


# -- XML input ------------------------------------------------------------------------------------
@pytest.fixture
def open_event(org: Any) -> tuple[Any, Any]:
    event = PublishedEventFactory(organization=org, capacity=10)
    return event, TicketTypeFactory(event=event, name="Free")


def xml_body(event: Any, ticket_type: Any, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<registration><eventId>{event.pk}</eventId><ticketTypeId>{ticket_type.pk}</ticketTypeId>'
        "<attendees><item><name>Ada &amp; Co</name><email>ada@example.com</email></item></attendees></registration>"
    ).encode()


def test_a_registration_posted_as_xml(client_owner, open_event):
    event, ticket_type = open_event
    response = client_owner.post(
        "/api/v1/registrations", data=xml_body(event, ticket_type), content_type="application/xml", HTTP_ACCEPT="application/xml"
    )
    assert response.status_code == 201, response.content
    root = ET.fromstring(response.content)
    assert root.find("data/item/attendeeName").text == "Ada & Co"


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE registration [<!ENTITY lol "lol">]>',
        '<!DOCTYPE registration SYSTEM "file:///etc/passwd">',
        "<!DOCTYPE registration>",
    ],
)
def test_xml_with_a_dtd_or_entities_is_refused(client_owner, open_event, doctype):
    event, ticket_type = open_event
    response = client_owner.post(
        "/api/v1/registrations", data=xml_body(event, ticket_type, doctype), content_type="application/xml"
    )
    assert response.status_code == 400 and error_of(response)["code"] == "MALFORMED_REQUEST"
    assert "DTD" in error_of(response)["details"]


def test_xml_is_refused_where_it_is_not_offered(client_owner):
    response = client_owner.post("/api/v1/venues", data=b"<venue><name>x</name></venue>", content_type="application/xml")
    assert response.status_code == 415
