"""core.outbox: every change a partner may subscribe to is published once, in the writer's transaction."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core import outbox
from core.audit import SYSTEM
from core.models import OutboxEvent
from events import services
from events.models import EventStatus
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0) + dt.timedelta(days=10)


def published(organization=None):
    qs = OutboxEvent.objects.all() if organization is None else OutboxEvent.objects.filter(organization_id=organization.id)
    return list(qs.order_by("created_at").values_list("event_type", flat=True))


def test_publish_refuses_types_outside_the_catalog(org):
    with pytest.raises(outbox.UnknownEventType), transaction.atomic():
        outbox.publish("event.exploded", org.id, {})
    assert published() == []


def test_publish_many_keeps_the_order_and_checks_every_type_before_writing(org):
    with transaction.atomic():
        rows = outbox.publish_many(org.id, [("registration.created", {"n": 1}), ("registration.confirmed", {"n": 1})])
    assert [r.event_type for r in rows] == published() == ["registration.created", "registration.confirmed"]
    assert rows[0].created_at < rows[1].created_at

    with pytest.raises(outbox.UnknownEventType), transaction.atomic():
        outbox.publish_many(org.id, [("registration.created", {}), ("registration.exploded", {})])
    assert len(published()) == 2


@pytest.mark.django_db(transaction=True)
def test_publish_refuses_to_write_outside_a_transaction(org):
    with pytest.raises(RuntimeError):
        outbox.publish("event.created", org.id, {})
    assert published() == []


def test_the_catalog_is_the_specification_list():
    assert sorted(outbox.EVENT_TYPES) == sorted(
        [
            "event.created",
            "event.updated",
            "event.published",
            "event.cancelled",
            "registration.created",
            "registration.confirmed",
            "registration.cancelled",
            "payment.completed",
            "payment.failed",
            "payment.refunded",
            "checkin.completed",
            "session.created",
            "session.updated",
            "session.cancelled",
        ]
    )


def _new_event(org):
    return services.event_create(
        actor=SYSTEM,
        organization=org,
        data={
            "title": "Launch",
            "starts_at": START,
            "ends_at": START + dt.timedelta(hours=8),
            "attendance_mode": "online",
            "online_url": "https://meet.example/launch",
        },
    )


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("create", "event.created"),
        ("update", "event.updated"),
        ("publish", "event.published"),
        ("cancel", "event.cancelled"),
        ("complete", "event.updated"),
        ("session_create", "session.created"),
        ("session_update", "session.updated"),
        ("session_cancel", "session.cancelled"),
    ],
)
def test_each_event_service_publishes_its_type_exactly_once(org, step, expected):
    event = EventFactory(organization=org, status=EventStatus.DRAFT)
    session = SessionFactory(event=event)
    actions = {
        "create": lambda: _new_event(org),
        "update": lambda: services.event_update(actor=SYSTEM, event=event, data={"title": "Renamed"}),
        "publish": lambda: services.event_publish(actor=SYSTEM, event=event),
        "cancel": lambda: services.event_cancel(actor=SYSTEM, event=event, reason="Storm"),
        "session_create": lambda: services.session_create(
            actor=SYSTEM,
            event=event,
            data={"title": "Talk", "starts_at": event.starts_at, "ends_at": event.starts_at + dt.timedelta(minutes=30)},
        ),
        "session_update": lambda: services.session_update(actor=SYSTEM, session=session, data={"title": "Renamed talk"}),
        "session_cancel": lambda: services.session_cancel(actor=SYSTEM, session=session, reason="Speaker ill"),
    }
    if step == "complete":
        event.status, event.starts_at, event.ends_at = (
            EventStatus.PUBLISHED,
            START - dt.timedelta(days=30),
            START - dt.timedelta(days=29),
        )
        event.save()
        actions["complete"] = lambda: services.event_complete(actor=SYSTEM, event=event)

    actions[step]()

    assert published(org) == [expected]
    row = OutboxEvent.objects.get()
    assert row.organization_id == org.id
    assert row.data["id"]


def test_a_rolled_back_write_publishes_nothing(org):
    event = EventFactory(organization=org)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.event_publish(actor=SYSTEM, event=event)
        services.session_create(
            actor=SYSTEM,
            event=event,
            data={"title": "Talk", "starts_at": event.starts_at, "ends_at": event.starts_at + dt.timedelta(minutes=30)},
        )
        raise Abort

    assert published() == []


def test_a_refused_write_publishes_nothing(client_owner, org):
    event = EventFactory(organization=org, status=EventStatus.CANCELLED)
    assert client_owner.post(f"/api/v1/events/{event.id}/publish").status_code == 409
    assert client_owner.patch(f"/api/v1/events/{event.id}", {"title": "x"}, format="json").status_code == 409
    assert published() == []


def test_payloads_are_the_resources_as_the_api_renders_them(client_owner, org):
    created = client_owner.post(
        "/api/v1/events",
        {
            "title": "Summit",
            "startsAt": "2031-05-04T09:00:00+02:00",
            "endsAt": "2031-05-04T18:00:00+02:00",
            "attendanceMode": "online",
            "onlineUrl": "https://meet.example/s",
            "tags": ["b", "a"],
        },
        format="json",
        HTTP_X_CORRELATION_ID="corr-outbox-1",
    )
    assert created.status_code == 201
    row = OutboxEvent.objects.get(event_type="event.created")
    assert row.data == created.json()
    assert row.correlation_id == "corr-outbox-1"

    session = client_owner.post(
        f"/api/v1/events/{created.json()['id']}/sessions",
        {"title": "Keynote", "startsAt": "2031-05-04T09:00:00+02:00", "endsAt": "2031-05-04T10:00:00+02:00"},
        format="json",
    )
    assert OutboxEvent.objects.get(event_type="session.created").data == session.json()

    cancelled = client_owner.post(f"/api/v1/events/{created.json()['id']}/cancel", {"reason": "Flood"}, format="json")
    row = OutboxEvent.objects.get(event_type="event.cancelled")
    assert row.data == cancelled.json() and row.data["cancellationReason"] == "Flood"


def test_sub_events_publish_one_created_each(org):
    parent = _new_event(org)
    services.event_create_sub_events(
        actor=SYSTEM, parent=parent, starts=[START + dt.timedelta(days=7), START + dt.timedelta(days=14)]
    )
    assert published(org) == ["event.created"] * 3


def test_the_outbox_is_listed_read_only_in_the_model_admin_for_platform_superusers_only(console, root, member, org, other_org):
    _new_event(org)
    rival_event = EventFactory(organization=other_org)
    services.event_publish(actor=SYSTEM, event=rival_event)

    response = console(root).get(reverse("admin:core_outboxevent_changelist"))

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert sorted(r.event_type for r in rows) == ["event.created", "event.published"]
    assert console(root).get(reverse("admin:core_outboxevent_add")).status_code == 403
    organizer = console(member(Role.ADMIN, is_staff=True)).get(reverse("admin:core_outboxevent_changelist"))
    assert organizer.status_code == 302 and organizer["Location"] == "/console/"


def test_a_transaction_announces_its_rows_once_per_organization_after_the_commit(
    org, other_org, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, organization_id, ids, **kwargs):
        heard.append((organization_id, list(ids)))

    outbox.published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                first = outbox.publish("registration.created", org.id, {"n": 1})
                try:
                    with transaction.atomic():  # a savepoint that rolls back drops its own callback
                        lost = outbox.publish("registration.created", org.id, {"n": 2})
                        raise RuntimeError
                except RuntimeError:
                    pass
                second = outbox.publish("registration.confirmed", org.id, {"n": 1})
                other = outbox.publish("event.created", other_org.id, {"n": 3})
                assert heard == []  # nothing before the commit
        assert heard == [(org.id, [first.id, lost.id, second.id]), (other_org.id, [other.id])]
    finally:
        outbox.published.disconnect(receiver)
    assert not OutboxEvent.objects.filter(pk=lost.id).exists()  # announced, but a receiver finds no such row


@pytest.mark.django_db(transaction=True)
def test_rows_of_a_transaction_that_rolled_back_are_not_announced_with_the_next_commit(org, other_org):
    heard = []

    def receiver(sender, organization_id, ids, **kwargs):
        heard.append((organization_id, list(ids)))

    outbox.published.connect(receiver)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.publish("registration.created", other_org.id, {"n": 4})
            raise RuntimeError
        with transaction.atomic():
            last = outbox.publish("registration.cancelled", org.id, {"n": 5})
    finally:
        outbox.published.disconnect(receiver)
    assert heard == [(org.id, [last.id])]
