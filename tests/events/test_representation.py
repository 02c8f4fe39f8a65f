"""The event list builds its JSON by hand for speed; it must equal what DRF's declared fields give."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers

from core.audit import SYSTEM
from events import services
from events.models import AttendanceMode, Event
from events.serializers import EventSerializer
from tests.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


class FieldByField(EventSerializer):
    def to_representation(self, event):
        return serializers.ModelSerializer.to_representation(self, event)


def _plain(data):
    return {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}


def test_hand_built_event_representation_equals_the_declared_fields(org):
    venue = VenueFactory(organization=org, capacity=None, country="")
    tagged = services.event_create(
        actor=SYSTEM,
        organization=org,
        data={
            "title": "Tagged",
            "starts_at": timezone.now() + dt.timedelta(days=3),
            "ends_at": timezone.now() + dt.timedelta(days=3, hours=2),
            "venue": venue,
            "tags": ["zeta", "Alpha"],
        },
    )
    online = EventFactory(
        organization=org, venue=None, attendance_mode=AttendanceMode.ONLINE, online_url="https://meet.example/a", capacity=None
    )
    services.event_cancel(actor=SYSTEM, event=online, reason="Speaker ill")
    sub = services.event_create_sub_events(actor=SYSTEM, parent=tagged, starts=[tagged.starts_at + dt.timedelta(days=7)])[0]
    services.event_publish(actor=SYSTEM, event=sub)

    rows = list(Event.objects.filter(organization=org).select_related("venue").with_tag_names())
    assert len(rows) == 3
    for event in rows:
        assert EventSerializer(event).data == _plain(FieldByField(event).data)
    assert EventSerializer(rows[0]).data["tags"] == ["alpha", "zeta"]


def test_tag_names_are_loaded_for_a_page_in_one_query(org, django_assert_num_queries):
    for n in range(5):
        event = EventFactory(organization=org)
        event.tags.create(organization=org, name=f"t{n}")
    with django_assert_num_queries(2):  # the events, then every tag name of the page
        rows = list(Event.objects.filter(organization=org).with_tag_names())
    assert sorted(name for e in rows for name in e.tag_names) == ["t0", "t1", "t2", "t3", "t4"]


def test_the_list_read_as_rows_answers_what_each_event_reads(org, client_owner):
    """``GET /events`` builds its page from value rows (no model instances): each item equals the event's own read."""
    venue = VenueFactory(organization=org, capacity=None, country="")
    services.event_create(
        actor=SYSTEM,
        organization=org,
        data={
            "title": "Tagged",
            "starts_at": timezone.now() + dt.timedelta(days=3),
            "ends_at": timezone.now() + dt.timedelta(days=3, hours=2),
            "venue": venue,
            "tags": ["zeta", "Alpha"],
        },
    )
    online = EventFactory(organization=org, venue=None, attendance_mode=AttendanceMode.ONLINE, online_url="https://m.example/a")
    services.event_cancel(actor=SYSTEM, event=online, reason="Speaker ill")
    for query in ("", "?pageSize=1&page=2", "?cursor=&pageSize=1", "?sort=-title"):
        listed = client_owner.get(f"/api/v1/events{query}").json()["data"]
        assert listed
        for item in listed:
            assert client_owner.get(f"/api/v1/events/{item['id']}").json() == item
    first = client_owner.get("/api/v1/events?cursor=&pageSize=1").json()
    second = client_owner.get(f"/api/v1/events?cursor={first['pagination']['nextCursor']}&pageSize=1").json()
    assert [e["title"] for e in first["data"] + second["data"]] == ["Tagged", online.title]


def test_a_row_is_rendered_in_the_current_time_zone_as_drf_does(org):
    """Off UTC (a zone activated for the request), the hand-built dates still equal DRF's."""
    event = EventFactory(organization=org)
    row = Event.objects.filter(pk=event.pk).select_related("venue").with_tag_names().get()
    with timezone.override("Europe/Berlin"):
        ours = EventSerializer(row).data
        assert ours == _plain(FieldByField(row).data)
        assert ours["starts_at"].endswith(("+01:00", "+02:00"))
