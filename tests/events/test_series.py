"""Series: sub-events from explicit dates or an RFC 5545 rule, listed, changed, and their limits."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest

from core.models import AuditEntry
from events.models import Event, EventStatus, Tag
from tests.conftest import error_of
from tests.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def series_parent(org: Any, start: dt.datetime, **kwargs: Any) -> Event:
    venue = VenueFactory(organization=org, capacity=100)
    parent = EventFactory(
        organization=org,
        title="Python Evening",
        slug="python-evening",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        time_zone="Europe/Berlin",
        venue=venue,
        capacity=80,
        description="Monthly talks",
        **kwargs,
    )
    parent.tags.add(Tag.objects.create(organization=org, name="python"))
    return parent


@pytest.fixture
def parent(org: Any) -> Event:
    return series_parent(org, dt.datetime(2030, 5, 7, 18, tzinfo=BERLIN))


def sub_events_url(event: Event) -> str:
    return f"{EVENTS}/{event.id}/sub-events"


def test_create_sub_events_from_explicit_dates(client_owner, parent):
    dates = ["2030-05-14T18:00:00+02:00", "2030-05-21T18:00:00+02:00"]
    response = client_owner.post(sub_events_url(parent), {"dates": dates}, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert [dt.datetime.fromisoformat(e["startsAt"]) for e in data] == [dt.datetime.fromisoformat(d) for d in dates]
    for row in data:
        assert row["parentId"] == str(parent.id)
        assert row["status"] == "draft"
        assert row["title"] == "Python Evening"
        assert row["description"] == "Monthly talks"
        assert row["capacity"] == 80
        assert row["tags"] == ["python"]
        assert row["venue"]["id"] == str(parent.venue_id)
        assert dt.datetime.fromisoformat(row["endsAt"]) - dt.datetime.fromisoformat(row["startsAt"]) == dt.timedelta(hours=2)
    assert [e["slug"] for e in data] == ["python-evening-2030-05-14", "python-evening-2030-05-21"]
    assert parent.sub_events.count() == 2
    assert AuditEntry.objects.filter(action="event.created").count() == 2


def test_create_sub_events_from_a_weekly_rule(client_owner, parent):
    response = client_owner.post(sub_events_url(parent), {"rrule": "FREQ=WEEKLY;COUNT=4"}, format="json")

    assert response.status_code == 201, response.json()
    starts = [dt.datetime.fromisoformat(e["startsAt"]) for e in response.json()["data"]]
    assert starts == [parent.starts_at + dt.timedelta(weeks=n) for n in range(4)]
    assert parent.sub_events.count() == 4


def test_rule_with_until_and_rrule_prefix(client_owner, parent):
    response = client_owner.post(
        sub_events_url(parent), {"rrule": "RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20300513T235959Z"}, format="json"
    )
    assert response.status_code == 201, response.json()
    local_days = [dt.datetime.fromisoformat(e["startsAt"]).astimezone(BERLIN).day for e in response.json()["data"]]
    assert local_days == [7, 9, 11, 13]


@pytest.mark.parametrize(
    ("first", "count", "utc_hours"),
    [
        # Berlin switches to summer time on 31 March 2030: 18:00 is 17:00 UTC before, 16:00 UTC after.
        (dt.datetime(2030, 3, 14, 18, tzinfo=BERLIN), 4, [17, 17, 17, 16]),
        # ... and back to winter time on 27 October 2030.
        (dt.datetime(2030, 10, 17, 18, tzinfo=BERLIN), 3, [16, 16, 17]),
    ],
)
def test_weekly_series_keeps_the_local_wall_time_across_dst(client_owner, org, first, count, utc_hours):
    parent = series_parent(org, first)
    response = client_owner.post(sub_events_url(parent), {"rrule": f"FREQ=WEEKLY;COUNT={count}"}, format="json")

    assert response.status_code == 201, response.json()
    starts = [dt.datetime.fromisoformat(e["startsAt"]) for e in response.json()["data"]]
    assert len(starts) == count
    assert [s.astimezone(BERLIN).hour for s in starts] == [18] * count
    assert [s.astimezone(BERLIN).minute for s in starts] == [0] * count
    assert [s.astimezone(dt.UTC).hour for s in starts] == utc_hours
    stored = Event.objects.filter(parent=parent).order_by("starts_at")
    assert [e.starts_at.astimezone(BERLIN).hour for e in stored] == [18] * count
    assert [e.ends_at.astimezone(BERLIN).hour for e in stored] == [20] * count


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=2",
        "FREQ=SOMETIMES;COUNT=3",
        "DTSTART=20300101T000000;FREQ=DAILY;COUNT=2",
        "FREQ=DAILY;COUNT=501",
        "FREQ=YEARLY;COUNT=200",
        "nonsense",
    ],
)
def test_bad_rules_are_validation_errors_on_rrule(client_owner, parent, rule):
    response = client_owner.post(sub_events_url(parent), {"rrule": rule}, format="json")
    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "rrule"
    assert parent.sub_events.count() == 0


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ({}, None),
        ({"dates": ["2030-05-14T18:00:00+02:00"], "rrule": "FREQ=DAILY;COUNT=2"}, None),
        ({"dates": []}, "dates"),
        ({"dates": ["2030-05-14T18:00:00"]}, "dates[0]"),
        ({"dates": "2030-05-14T18:00:00+02:00"}, "dates"),
        ({"dates": ["1990-05-14T18:00:00+02:00"]}, "dates[0]"),
        ({"dates": ["9999-12-31T18:00:00+00:00"]}, "dates[0]"),
        ({"rrule": "FREQ=DAILY;COUNT=2", "interval": 3}, "interval"),
    ],
)
def test_bad_sub_event_input_changes_nothing(client_owner, parent, body, target):
    response = client_owner.post(sub_events_url(parent), body, format="json")
    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert error["code"] in ("VALIDATION_ERROR", "UNKNOWN_FIELD")
    assert error["target"] == target
    assert Event.objects.count() == 1


def test_malformed_json_for_sub_events(client_owner, parent):
    response = client_owner.post(sub_events_url(parent), data="{", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "MALFORMED_JSON"
    assert Event.objects.count() == 1


def test_a_date_that_exists_already_is_refused_and_nothing_is_created(client_owner, parent):
    first = client_owner.post(sub_events_url(parent), {"dates": ["2030-05-14T18:00:00+02:00"]}, format="json")
    assert first.status_code == 201

    response = client_owner.post(
        sub_events_url(parent), {"dates": ["2030-05-21T18:00:00+02:00", "2030-05-14T16:00:00Z"]}, format="json"
    )

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "SUB_EVENT_EXISTS"
    assert [dt.datetime.fromisoformat(d) for d in error["details"]] == [dt.datetime(2030, 5, 14, 16, tzinfo=dt.UTC)]
    assert parent.sub_events.count() == 1


def test_the_same_date_twice_in_one_request_makes_one_sub_event(client_owner, parent):
    response = client_owner.post(
        sub_events_url(parent), {"dates": ["2030-05-14T18:00:00+02:00", "2030-05-14T16:00:00Z"]}, format="json"
    )
    assert response.status_code == 201
    assert len(response.json()["data"]) == 1


def test_list_sub_events_two_ways(client_owner, org, parent):
    client_owner.post(sub_events_url(parent), {"rrule": "FREQ=WEEKLY;COUNT=3"}, format="json")
    EventFactory(organization=org, title="Unrelated")

    nested = client_owner.get(sub_events_url(parent))
    filtered = client_owner.get(EVENTS, {"parent": str(parent.id)})

    assert nested.status_code == filtered.status_code == 200
    nested_ids = [e["id"] for e in nested.json()["data"]]
    assert nested_ids == [e["id"] for e in filtered.json()["data"]]
    assert len(nested_ids) == 3
    assert set(nested_ids) == {str(i) for i in parent.sub_events.values_list("id", flat=True)}
    latest_first = client_owner.get(sub_events_url(parent), {"sort": "-startsAt"}).json()["data"]
    assert [e["id"] for e in latest_first] == nested_ids[::-1]


def test_sub_events_are_changed_like_any_event(client_owner, parent):
    created = client_owner.post(sub_events_url(parent), {"rrule": "FREQ=WEEKLY;COUNT=2"}, format="json").json()["data"]
    child = created[1]

    patched = client_owner.patch(f"{EVENTS}/{child['id']}", {"title": "Special edition", "capacity": 50}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["title"] == "Special edition"
    assert patched.json()["parentId"] == str(parent.id)

    assert client_owner.post(f"{EVENTS}/{child['id']}/publish").json()["status"] == "published"
    cancelled = client_owner.post(f"{EVENTS}/{created[0]['id']}/cancel", {"reason": "Holiday"}, format="json")
    assert cancelled.json()["status"] == "cancelled"
    parent.refresh_from_db()
    assert parent.title == "Python Evening"
    assert parent.status == EventStatus.DRAFT


def test_a_draft_sub_event_can_be_deleted(client_owner, parent):
    created = client_owner.post(sub_events_url(parent), {"rrule": "FREQ=WEEKLY;COUNT=2"}, format="json").json()["data"]
    assert client_owner.delete(f"{EVENTS}/{created[0]['id']}").status_code == 204
    assert parent.sub_events.count() == 1


def test_a_series_with_a_published_sub_event_cannot_be_deleted(client_owner, parent):
    created = client_owner.post(sub_events_url(parent), {"rrule": "FREQ=WEEKLY;COUNT=2"}, format="json").json()["data"]
    client_owner.post(f"{EVENTS}/{created[0]['id']}/publish")

    response = client_owner.delete(f"{EVENTS}/{parent.id}")

    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_NOT_DELETABLE"
    assert Event.objects.count() == 3


def test_deleting_a_draft_series_deletes_its_draft_sub_events(client_owner, parent):
    client_owner.post(sub_events_url(parent), {"rrule": "FREQ=WEEKLY;COUNT=2"}, format="json")
    assert client_owner.delete(f"{EVENTS}/{parent.id}").status_code == 204
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    "body", [{"dates": ["2030-06-14T18:00:00+02:00"]}, {"rrule": "FREQ=WEEKLY;COUNT=2"}], ids=["dates", "rrule"]
)
def test_a_sub_event_cannot_have_sub_events(client_owner, org, parent, body):
    child = EventFactory(organization=org, parent=parent, starts_at=parent.starts_at + dt.timedelta(weeks=1))

    response = client_owner.post(sub_events_url(child), body, format="json")

    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_SERIES_INVALID"
    assert Event.objects.count() == 2


@pytest.mark.parametrize("status", [EventStatus.CANCELLED, EventStatus.COMPLETED])
def test_a_closed_event_cannot_get_sub_events(client_owner, org, status):
    parent = series_parent(org, dt.datetime(2030, 5, 7, 18, tzinfo=BERLIN), status=status)
    response = client_owner.post(sub_events_url(parent), {"rrule": "FREQ=WEEKLY;COUNT=2"}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "EVENT_SERIES_INVALID"
    assert Event.objects.count() == 1


def test_a_viewer_can_list_but_not_create_sub_events(api, member, parent):
    client = api(member("viewer"))
    assert client.get(sub_events_url(parent)).status_code == 200
    response = client.post(sub_events_url(parent), {"rrule": "FREQ=WEEKLY;COUNT=2"}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "PERMISSION_DENIED"
    assert Event.objects.count() == 1


def test_sub_events_of_another_organizations_event_are_not_found(client_owner, other_org):
    foreign = series_parent(other_org, dt.datetime(2030, 5, 7, 18, tzinfo=BERLIN))
    response = client_owner.post(sub_events_url(foreign), {"rrule": "FREQ=WEEKLY;COUNT=2"}, format="json")
    assert response.status_code == 404
    assert client_owner.get(sub_events_url(foreign)).status_code == 404
    assert Event.objects.count() == 1
