"""The events services, recurrence, upload checks and stats, called directly."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.audit import SYSTEM
from core.errors import DomainError
from core.models import AuditEntry
from events import services
from events.materials import check_upload
from events.models import AttendanceMode, Event, EventStatus, Session, SessionMaterial, SessionStatus, Speaker, Tag
from events.recurrence import RecurrenceError, expand
from events.stats import event_stats, register_provider
from tests.factories import EventFactory, SessionFactory, SpeakerFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DAY = dt.datetime(2030, 6, 1, tzinfo=dt.UTC)


@pytest.fixture
def actor(owner: Any) -> Any:
    return owner


@pytest.fixture
def venue(org: Any) -> Any:
    return VenueFactory(organization=org, capacity=100)


def event_data(venue: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Summit",
        "starts_at": DAY + dt.timedelta(hours=8),
        "ends_at": DAY + dt.timedelta(hours=18),
        "venue": venue,
        "time_zone": "Europe/Berlin",
    }
    data.update(overrides)
    return data


def code_of(excinfo: Any) -> str:
    return excinfo.value.error.code


# -- events -----------------------------------------------------------------------------
def test_event_create_defaults_and_audit(actor, org, venue):
    org.default_currency = "CHF"
    org.save()
    event = services.event_create(actor=actor, organization=org, data=event_data(venue, tags=[" AI ", "ai", "Data", ""]))
    assert event.status == EventStatus.DRAFT
    assert event.currency == "CHF"
    assert event.slug == "summit"
    assert sorted(event.tags.values_list("name", flat=True)) == ["ai", "data"]
    entry = AuditEntry.objects.get(action="event.created")
    assert entry.object_id == str(event.id)
    assert entry.actor_label == actor.email
    assert entry.organization_id == org.id


@pytest.mark.parametrize(
    ("overrides", "target"),
    [
        ({"ends_at": DAY + dt.timedelta(hours=8)}, "endsAt"),
        ({"venue": None, "title": "No venue"}, "venueId"),
        ({"attendance_mode": AttendanceMode.HYBRID, "online_url": ""}, "onlineUrl"),
        ({"attendance_mode": AttendanceMode.ONLINE, "online_url": "https://x.example"}, "venueId"),
    ],
)
def test_event_create_validation(actor, org, venue, overrides, target):
    with pytest.raises(DomainError) as excinfo:
        services.event_create(actor=actor, organization=org, data={**event_data(venue), **overrides})
    assert code_of(excinfo) == "VALIDATION_ERROR"
    assert excinfo.value.target == target
    assert Event.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_event_create_with_a_foreign_venue(actor, org, other_org):
    with pytest.raises(DomainError) as excinfo:
        services.event_create(actor=actor, organization=org, data=event_data(VenueFactory(organization=other_org)))
    assert excinfo.value.target == "venueId"


def test_event_capacity_cannot_exceed_the_venue(actor, org, venue):
    with pytest.raises(DomainError) as excinfo:
        services.event_create(actor=actor, organization=org, data=event_data(venue, capacity=101))
    assert code_of(excinfo) == "CAPACITY_EXCEEDS_VENUE"
    event = services.event_create(actor=actor, organization=org, data=event_data(venue, capacity=100))
    with pytest.raises(DomainError):
        services.event_update(actor=actor, event=event, data={"capacity": 150})
    assert Event.objects.get(pk=event.pk).capacity == 100


def test_event_update_records_only_changed_fields_and_tags(actor, org, venue):
    event = services.event_create(actor=actor, organization=org, data=event_data(venue, tags=["a"]))
    services.event_update(actor=actor, event=event, data={"title": "Summit", "description": "New", "tags": ["b"]})
    entry = AuditEntry.objects.get(action="event.updated")
    assert entry.changes == {"description": {"from": "", "to": "New"}, "tags": {"from": ["a"], "to": ["b"]}}


def test_event_update_slug_stays_unique(actor, org, venue):
    services.event_create(actor=actor, organization=org, data=event_data(venue, slug="taken"))
    other = services.event_create(actor=actor, organization=org, data=event_data(venue, title="Other"))
    updated = services.event_update(actor=actor, event=other, data={"slug": "taken"})
    assert updated.slug == "taken-2"


def test_event_lifecycle(actor, org):
    start = dt.datetime(2021, 1, 1, 9, tzinfo=dt.UTC)
    event = EventFactory(organization=org, starts_at=start, ends_at=start + dt.timedelta(hours=3))
    with pytest.raises(DomainError) as excinfo:
        services.event_complete(actor=actor, event=event)
    assert code_of(excinfo) == "EVENT_INVALID_TRANSITION"
    services.event_publish(actor=actor, event=event)
    done = services.event_complete(actor=actor, event=event)
    assert done.status == EventStatus.COMPLETED
    assert done.completed_at is not None
    with pytest.raises(DomainError) as excinfo:
        services.event_cancel(actor=actor, event=event, reason="late")
    assert code_of(excinfo) == "EVENT_INVALID_TRANSITION"
    actions = list(AuditEntry.objects.filter(object_id=str(event.id)).order_by("id").values_list("action", flat=True))
    assert actions == ["event.published", "event.completed"]


def test_event_complete_before_the_end(actor, org):
    event = EventFactory(organization=org, status=EventStatus.PUBLISHED)
    with pytest.raises(DomainError) as excinfo:
        services.event_complete(actor=actor, event=event)
    assert code_of(excinfo) == "EVENT_NOT_ENDED"
    assert services.event_complete(actor=actor, event=event, now=event.ends_at).status == EventStatus.COMPLETED


def test_events_complete_ended(org):
    past = dt.datetime(2021, 1, 1, 9, tzinfo=dt.UTC)
    ended = EventFactory(organization=org, status=EventStatus.PUBLISHED, starts_at=past, ends_at=past + dt.timedelta(hours=1))
    draft = EventFactory(organization=org, starts_at=past, ends_at=past + dt.timedelta(hours=1))
    running = EventFactory(organization=org, status=EventStatus.PUBLISHED)
    assert services.events_complete_ended(actor=SYSTEM) == 1
    assert Event.objects.get(pk=ended.pk).status == EventStatus.COMPLETED
    assert Event.objects.get(pk=draft.pk).status == EventStatus.DRAFT
    assert Event.objects.get(pk=running.pk).status == EventStatus.PUBLISHED
    assert AuditEntry.objects.get(action="event.completed").actor_label == "system"
    assert services.events_complete_ended(actor=SYSTEM) == 0


def test_event_cancel_needs_a_reason(actor, org):
    event = EventFactory(organization=org)
    with pytest.raises(DomainError) as excinfo:
        services.event_cancel(actor=actor, event=event, reason="  ")
    assert excinfo.value.target == "reason"
    cancelled = services.event_cancel(actor=actor, event=event, reason=" Venue flooded ")
    assert cancelled.cancellation_reason == "Venue flooded"


def test_event_delete(actor, org):
    event = EventFactory(organization=org)
    EventFactory(organization=org, parent=event, starts_at=event.starts_at + dt.timedelta(days=7))
    services.event_delete(actor=actor, event=event)
    assert Event.objects.count() == 0
    published = EventFactory(organization=org, status=EventStatus.PUBLISHED)
    with pytest.raises(DomainError) as excinfo:
        services.event_delete(actor=actor, event=published)
    assert code_of(excinfo) == "EVENT_NOT_DELETABLE"


def test_sub_events_copy_the_parent(actor, org, venue):
    parent = services.event_create(actor=actor, organization=org, data=event_data(venue, capacity=40, tags=["x"]))
    starts = [parent.starts_at + dt.timedelta(days=7), parent.starts_at + dt.timedelta(days=14)]
    created = services.event_create_sub_events(actor=actor, parent=parent, starts=starts)
    assert [e.starts_at for e in created] == starts
    for child in created:
        assert child.parent_id == parent.id
        assert child.capacity == 40
        assert child.venue_id == venue.id
        assert child.ends_at - child.starts_at == parent.ends_at - parent.starts_at
        assert list(child.tags.values_list("name", flat=True)) == ["x"]
    with pytest.raises(DomainError) as excinfo:
        services.event_create_sub_events(actor=actor, parent=created[0], starts=[parent.starts_at + dt.timedelta(days=21)])
    assert code_of(excinfo) == "EVENT_SERIES_INVALID"
    with pytest.raises(DomainError) as excinfo:
        services.event_create_sub_events(actor=actor, parent=parent, starts=starts[:1])
    assert code_of(excinfo) == "SUB_EVENT_EXISTS"
    with pytest.raises(DomainError) as excinfo:
        services.event_create_sub_events(actor=actor, parent=parent, starts=[])
    assert excinfo.value.target == "dates"
    assert parent.sub_events.count() == 2


# -- recurrence -------------------------------------------------------------------------
def test_expand_keeps_wall_time_across_spring_and_autumn():
    spring = expand("FREQ=WEEKLY;COUNT=3", first_start=dt.datetime(2030, 3, 24, 18, tzinfo=BERLIN), time_zone="Europe/Berlin")
    assert [s.astimezone(BERLIN).hour for s in spring] == [18, 18, 18]
    assert [s.utcoffset() for s in spring] == [dt.timedelta(hours=1), dt.timedelta(hours=2), dt.timedelta(hours=2)]
    autumn = expand("FREQ=WEEKLY;COUNT=2", first_start=dt.datetime(2030, 10, 20, 18, tzinfo=BERLIN), time_zone="Europe/Berlin")
    assert [s.astimezone(dt.UTC).hour for s in autumn] == [16, 17]


def test_expand_uses_the_events_zone_not_the_given_offset():
    first = dt.datetime(2030, 3, 24, 17, tzinfo=dt.UTC)  # 18:00 in Berlin
    starts = expand("FREQ=WEEKLY;COUNT=2", first_start=first, time_zone="Europe/Berlin")
    assert starts[1].astimezone(dt.UTC) == dt.datetime(2030, 3, 31, 16, tzinfo=dt.UTC)


def test_expand_a_wall_time_skipped_by_dst_moves_forward():
    first = dt.datetime(2030, 3, 30, 2, 30, tzinfo=BERLIN)
    starts = expand("FREQ=DAILY;COUNT=2", first_start=first, time_zone="Europe/Berlin")
    assert starts[1].astimezone(dt.UTC) == dt.datetime(2030, 3, 31, 1, 30, tzinfo=dt.UTC)
    assert starts[1].astimezone(BERLIN).hour == 3  # 02:30 does not exist that night; it moves on by the gap


def test_expand_an_ambiguous_wall_time_takes_the_first_occurrence():
    first = dt.datetime(2030, 10, 26, 2, 30, tzinfo=BERLIN)
    starts = expand("FREQ=DAILY;COUNT=2", first_start=first, time_zone="Europe/Berlin")
    assert starts[1].astimezone(BERLIN).replace(tzinfo=None) == dt.datetime(2030, 10, 27, 2, 30)
    assert starts[1].astimezone(dt.UTC) == dt.datetime(2030, 10, 27, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST


def test_expand_until_with_z_is_accepted():
    first = dt.datetime(2030, 5, 1, 9, tzinfo=dt.UTC)
    starts = expand("FREQ=DAILY;UNTIL=20300503T235959Z", first_start=first, time_zone="UTC")
    assert len(starts) == 3


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY", "DTSTART=20300101T000000;FREQ=DAILY;COUNT=1", "FREQ=BOGUS;COUNT=2", "FREQ=DAILY;COUNT=3;BYDAY=XX"]
)
def test_expand_rejects_bad_rules(rule):
    with pytest.raises(RecurrenceError):
        expand(rule, first_start=DAY, time_zone="UTC")


def test_expand_limits_the_number_of_occurrences():
    with pytest.raises(RecurrenceError):
        expand("FREQ=DAILY;COUNT=11", first_start=DAY, time_zone="UTC", limit=10)
    assert len(expand("FREQ=DAILY;COUNT=10", first_start=DAY, time_zone="UTC", limit=10)) == 10


# -- sessions and speakers --------------------------------------------------------------
@pytest.fixture
def event(org: Any) -> Event:
    return EventFactory(organization=org, starts_at=DAY + dt.timedelta(hours=8), ends_at=DAY + dt.timedelta(hours=18))


def slot(start: float, end: float, **extra: Any) -> dict[str, Any]:
    return {"title": "Talk", "starts_at": DAY + dt.timedelta(hours=start), "ends_at": DAY + dt.timedelta(hours=end), **extra}


def test_session_rules(actor, event):
    ada = SpeakerFactory(event=event, name="Ada")
    first = services.session_create(actor=actor, event=event, data=slot(10, 11, room="Hall A", speaker_ids=[ada.id]))
    assert list(first.speakers.all()) == [ada]
    with pytest.raises(DomainError) as excinfo:
        services.session_create(actor=actor, event=event, data=slot(10.5, 11.5, room="hall a"))
    assert code_of(excinfo) == "SESSION_ROOM_CLASH"
    assert excinfo.value.extra["clash"]["sessionId"] == str(first.id)
    with pytest.raises(DomainError) as excinfo:
        services.session_create(actor=actor, event=event, data=slot(10.5, 11.5, room="B", speaker_ids=[ada.id]))
    assert code_of(excinfo) == "SESSION_SPEAKER_CLASH"
    assert excinfo.value.extra["clash"]["speakerId"] == str(ada.id)
    with pytest.raises(DomainError) as excinfo:
        services.session_create(actor=actor, event=event, data=slot(17, 19))
    assert code_of(excinfo) == "SESSION_OUTSIDE_EVENT"
    services.session_create(actor=actor, event=event, data=slot(11, 12, room="Hall A", speaker_ids=[ada.id]))
    assert Session.objects.count() == 2


def test_session_cancel_and_update(actor, event):
    session = services.session_create(actor=actor, event=event, data=slot(10, 11, room="A"))
    with pytest.raises(DomainError):
        services.session_cancel(actor=actor, session=session, reason="")
    services.session_cancel(actor=actor, session=session, reason="ill")
    assert Session.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    with pytest.raises(DomainError) as excinfo:
        services.session_cancel(actor=actor, session=session, reason="again")
    assert code_of(excinfo) == "SESSION_NOT_CANCELLABLE"
    with pytest.raises(DomainError) as excinfo:
        services.session_update(actor=actor, session=session, data={"title": "x"})
    assert code_of(excinfo) == "EVENT_NOT_EDITABLE"
    services.session_create(actor=actor, event=event, data=slot(10, 11, room="A"))


def test_session_update_records_speaker_changes(actor, event):
    ada, bob = SpeakerFactory(event=event), SpeakerFactory(event=event)
    session = services.session_create(actor=actor, event=event, data=slot(10, 11, speaker_ids=[ada.id]))
    services.session_update(actor=actor, session=session, data={"speaker_ids": [bob.id]})
    entry = AuditEntry.objects.get(action="session.updated")
    assert entry.changes == {"speakers": {"from": [str(ada.id)], "to": [str(bob.id)]}}


def test_event_update_with_sessions_outside(actor, event):
    session = services.session_create(actor=actor, event=event, data=slot(8, 9))
    with pytest.raises(DomainError) as excinfo:
        services.event_update(actor=actor, event=event, data={"starts_at": DAY + dt.timedelta(hours=9)})
    assert code_of(excinfo) == "EVENT_HAS_ACTIVE_SESSIONS"
    assert excinfo.value.details == [{"sessionId": str(session.id), "title": "Talk"}]


def test_speaker_services(actor, member, event, other_org):
    colleague = member("viewer")
    speaker = services.speaker_create(actor=actor, event=event, data={"name": "Ada", "user": colleague})
    assert speaker.user == colleague
    with pytest.raises(DomainError) as excinfo:
        services.speaker_update(actor=actor, speaker=speaker, data={"user": UserFactory()})
    assert excinfo.value.target == "userId"
    session = SessionFactory(event=event)
    session.speakers.add(speaker)
    with pytest.raises(DomainError) as excinfo:
        services.speaker_delete(actor=actor, speaker=speaker)
    assert code_of(excinfo) == "SPEAKER_IN_USE"
    assert Speaker.objects.count() == 1


def test_writes_on_closed_events_are_refused(actor, org):
    event = EventFactory(organization=org, status=EventStatus.COMPLETED)
    session = SessionFactory(event=event)
    speaker = SpeakerFactory(event=event)
    calls = [
        lambda: services.event_update(actor=actor, event=event, data={"title": "x"}),
        lambda: services.session_create(actor=actor, event=event, data={"title": "x"}),
        lambda: services.session_delete(actor=actor, session=session),
        lambda: services.speaker_create(actor=actor, event=event, data={"name": "x"}),
        lambda: services.speaker_delete(actor=actor, speaker=speaker),
        lambda: services.material_add_link(actor=actor, session=session, title="x", url="https://x.example"),
    ]
    for call in calls:
        with pytest.raises(DomainError) as excinfo:
            call()
        assert code_of(excinfo) == "EVENT_NOT_EDITABLE"


def test_venue_delete_in_use(actor, org, venue):
    EventFactory(organization=org, venue=venue)
    with pytest.raises(DomainError) as excinfo:
        services.venue_delete(actor=actor, venue=venue)
    assert code_of(excinfo) == "VENUE_IN_USE"


# -- materials --------------------------------------------------------------------------
def test_check_upload(settings):
    settings.MATERIAL_MAX_BYTES = 100
    assert check_upload(SimpleUploadedFile("a.PDF", b"%PDF-1.7 ...")) == "application/pdf"
    assert check_upload(SimpleUploadedFile("a.docx", b"PK\x03\x04rest")).endswith("wordprocessingml.document")
    assert check_upload(SimpleUploadedFile("a.md", b"# title")) == "text/markdown"
    with pytest.raises(DomainError) as excinfo:
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 100))
    assert code_of(excinfo) == "MATERIAL_TOO_LARGE"
    for name, content in [("a.exe", b"MZ"), ("a.pdf", b"MZ"), ("a.txt", b"\x00\x01"), ("a.svg", b"<svg/>")]:
        with pytest.raises(DomainError) as excinfo:
            check_upload(SimpleUploadedFile(name, content))
        assert code_of(excinfo) == "MATERIAL_TYPE_NOT_ALLOWED"


def test_material_add_file_stores_and_deletes(actor, event, settings, django_capture_on_commit_callbacks):
    session = SessionFactory(event=event)
    upload = SimpleUploadedFile("talk.pdf", b"%PDF-1.4 body")
    material = services.material_add_file(actor=actor, session=session, title="", upload=upload, content_type="application/pdf")
    assert material.title == "talk.pdf"
    assert material.size == len(b"%PDF-1.4 body")
    assert material.file.read() == b"%PDF-1.4 body"
    material.file.close()
    path = material.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=actor, material=material)
    assert SessionMaterial.objects.count() == 0
    import os

    assert not os.path.exists(path)


# -- stats ------------------------------------------------------------------------------
def test_stats_include_registered_providers(org):
    event = EventFactory(organization=org)
    SessionFactory(event=event)

    def provider(e: Event) -> dict[str, Any]:
        return {"extra_metric": str(e.pk)}

    register_provider(provider)
    register_provider(provider)
    try:
        stats = event_stats(event)
    finally:
        from events import stats as stats_module

        stats_module._providers.remove(provider)
    assert stats["sessions"] == {"total": 1, "scheduled": 1, "cancelled": 0}
    assert stats["extra_metric"] == str(event.pk)
    assert Tag.objects.count() == 0
