"""Faults of the calendar connectors: the vendor down or rate-limiting (429 with Retry-After), an answer lost after
the vendor created the event (the retry must not create it twice), and the change notifications: forged ones
refused, duplicates counted once, out-of-order ones ending in the vendor's current state, an expired sync token,
Graph's validation handshake."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Any

import pytest
from django.test import Client

from connectors import jobs
from connectors.models import ConnectorJob, InboundEvent, InboundStatus, JobStatus
from core.audit import SYSTEM
from events import services as event_services
from integrations.models import CalendarLink, CalendarLinkState, CalendarWatch

pytestmark = pytest.mark.django_db
VENDORS = ["google", "microsoft"]


def title(entry: dict[str, Any]) -> str:
    return str(entry.get("summary") or entry.get("subject"))


def rename(event: Any, capture: Any, name: str = "Summit 2030") -> None:
    with capture(execute=True):
        event_services.event_update(actor=SYSTEM, event=event, data={"title": name})


def last_sync(connection: Any) -> ConnectorJob:
    return ConnectorJob.objects.filter(connection=connection, operation="calendar.sync").latest("created_at")


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_vendor_down_delays_the_update_and_it_is_written_once_when_it_returns(
    vendor, fakes, conference, connect, frozen, django_capture_on_commit_callbacks
):
    fake = fakes[vendor]
    connection = connect(vendor)
    with fake.down():
        rename(conference, django_capture_on_commit_callbacks)
        job = last_sync(connection)
        assert job.status == JobStatus.PENDING and "unreachable" in job.last_error
    assert sorted(title(e) for e in fake.live()) == ["Keynote (Summit)", "Summit"]
    frozen.advance(3600)
    assert jobs.run(job.pk) == JobStatus.SUCCEEDED
    assert jobs.run(job.pk) is None  # done: a second run (the sweep, a duplicate message) does nothing
    assert sorted(title(e) for e in fake.live()) == ["Keynote (Summit 2030)", "Summit 2030"]


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_429_waits_for_retry_after(vendor, fakes, conference, connect, frozen, django_capture_on_commit_callbacks):
    fake = fakes[vendor]
    connection = connect(vendor)
    _, _, body = fake.error_reply(429)
    fake.fail_next((429, {"Retry-After": "120"}, body))
    rename(conference, django_capture_on_commit_callbacks)
    job = last_sync(connection)
    assert job.status == JobStatus.PENDING and job.next_attempt_at >= frozen.now + dt.timedelta(seconds=120)
    assert jobs.run(job.pk) is None  # not due before Retry-After has passed
    frozen.advance(121)
    assert jobs.run(job.pk) == JobStatus.SUCCEEDED
    assert sorted(title(e) for e in fake.live()) == ["Keynote (Summit 2030)", "Summit 2030"]


def test_google_rate_limit_403_is_retried_not_a_refusal(google, conference, connect, frozen, django_capture_on_commit_callbacks):
    connection = connect("google")
    google.fail_next(
        (403, {}, {"error": {"code": 403, "message": "Rate Limit Exceeded", "errors": [{"reason": "rateLimitExceeded"}]}})
    )
    rename(conference, django_capture_on_commit_callbacks)
    assert last_sync(connection).status == JobStatus.SUCCEEDED  # retried within the call
    connection.refresh_from_db()
    assert connection.status == "connected"


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_create_whose_answer_was_lost_is_not_created_twice(vendor, fakes, conference, connect):
    fake = fakes[vendor]
    fake.lose_answers = 1  # the first create is made, then answered 503: the retry sends it again
    connection = connect(vendor)
    assert sorted(title(e) for e in fake.live()) == ["Keynote (Summit)", "Summit"]
    creates = fake.calls("POST", "/calendar/v3/calendars/primary/events" if vendor == "google" else "/v1.0/me/events")
    assert len(creates) == 3  # the lost one, its retry, the session
    assert creates[0].json().get("id", creates[0].json().get("transactionId")) == creates[1].json().get(
        "id", creates[1].json().get("transactionId")
    )
    assert CalendarLink.objects.filter(connection=connection, state=CalendarLinkState.ACTIVE).count() == 2


# -- Google push notifications ------------------------------------------------------------------------------------
def post_google(client: Client, connection: Any, headers: dict[str, str], capture: Any) -> Any:
    with capture(execute=True):
        return client.post(f"/hooks/{connection.pk}", data=b"", content_type="application/json", **headers)


def test_google_notifications_forged_refused_duplicates_counted_deletion_respected(
    google, conference, connect, django_capture_on_commit_callbacks
):
    connection = connect("google")
    watch = CalendarWatch.objects.get(connection=connection)
    hook = Client()
    forged = post_google(
        hook, connection, google.push_headers(watch.channel_id, token="guessed"), django_capture_on_commit_callbacks
    )
    unknown = post_google(
        hook,
        connection,
        {**google.push_headers(watch.channel_id), "HTTP_X_GOOG_CHANNEL_ID": "nope"},
        django_capture_on_commit_callbacks,
    )
    assert forged.status_code == unknown.status_code == 403 and not InboundEvent.objects.exists()
    link = CalendarLink.objects.get(connection=connection, source=f"event:{conference.pk}")
    google.owner_answers(link.remote_id, "tentative")
    headers = google.push_headers(watch.channel_id)
    assert post_google(hook, connection, headers, django_capture_on_commit_callbacks).status_code == 200
    again = post_google(hook, connection, headers, django_capture_on_commit_callbacks)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    [note] = InboundEvent.objects.all()
    assert (note.deliveries, note.status) == (2, InboundStatus.PROCESSED)
    link.refresh_from_db()
    assert link.response_status == "tentative"
    google.owner_deletes(link.remote_id)
    post_google(hook, connection, google.push_headers(watch.channel_id), django_capture_on_commit_callbacks)
    link.refresh_from_db()
    assert link.state == CalendarLinkState.DELETED_REMOTELY
    rename(conference, django_capture_on_commit_callbacks)  # a later change does not put it back
    assert [title(e) for e in google.live()] == ["Keynote (Summit 2030)"]


def test_an_expired_sync_token_means_a_full_sync(google, conference, connect, django_capture_on_commit_callbacks):
    connection = connect("google")
    watch = CalendarWatch.objects.get(connection=connection)
    google.expired_sync_tokens.add(watch.sync_token)
    link = CalendarLink.objects.get(connection=connection, source=f"event:{conference.pk}")
    google.owner_answers(link.remote_id, "accepted")
    post_google(Client(), connection, google.push_headers(watch.channel_id), django_capture_on_commit_callbacks)
    assert InboundEvent.objects.get().status == InboundStatus.PROCESSED
    assert any(r.query.get("showDeleted") == ["true"] and "syncToken" not in r.query for r in google.calls("GET"))
    watch.refresh_from_db()
    assert watch.sync_token not in google.expired_sync_tokens


# -- Graph change notifications -----------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)  # the fake's thread posts the handshake: it must see the committed rows
def test_graph_validates_the_notification_url_before_subscribing(graph, conference, browser, connect):
    hook = Client()

    def validate(url: str) -> tuple[int, str, str]:
        parts = urllib.parse.urlsplit(url)
        response = hook.post(f"{parts.path}?{parts.query}", content_type="text/plain")
        return response.status_code, response["Content-Type"], response.content.decode()

    graph.validator = validate
    connection = connect("microsoft")
    [subscription] = graph.subscriptions.values()
    assert subscription["notificationUrl"].endswith(f"/hooks/{connection.pk}")
    assert CalendarWatch.objects.get(connection=connection).channel_id == subscription["id"]
    assert not InboundEvent.objects.exists()  # the handshake stores nothing


def post_graph(client: Client, connection: Any, body: bytes, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(f"/hooks/{connection.pk}", data=body, content_type="application/json")


def test_graph_notifications_forged_refused_and_out_of_order_end_in_the_current_state(
    graph, conference, connect, django_capture_on_commit_callbacks
):
    connection = connect("microsoft")
    [subscription_id] = graph.subscriptions
    link = CalendarLink.objects.get(connection=connection, source=f"event:{conference.pk}")
    hook = Client()
    forged = graph.notification(subscription_id, [("updated", link.remote_id)], client_state="guess")
    assert post_graph(hook, connection, forged, django_capture_on_commit_callbacks).status_code == 403
    assert not InboundEvent.objects.exists()
    # The owner accepted, then the later change arrives before the earlier one: each is read from Graph now.
    graph.owner_answers(link.remote_id, "tentativelyAccepted")
    graph.owner_answers(link.remote_id, "accepted")
    later = graph.notification(subscription_id, [("updated", link.remote_id)])
    earlier = graph.notification(subscription_id, [("created", link.remote_id), ("updated", link.remote_id)])
    for body in (later, earlier, later):
        assert post_graph(hook, connection, body, django_capture_on_commit_callbacks).status_code == 200
    assert InboundEvent.objects.count() == 2 and InboundEvent.objects.filter(deliveries=2).count() == 1
    link.refresh_from_db()
    assert link.response_status == "accepted"
    graph.owner_deletes(link.remote_id)
    post_graph(
        hook, connection, graph.notification(subscription_id, [("deleted", link.remote_id)]), django_capture_on_commit_callbacks
    )
    link.refresh_from_db()
    assert link.state == CalendarLinkState.DELETED_REMOTELY
    assert set(InboundEvent.objects.values_list("status", flat=True)) == {InboundStatus.PROCESSED}


def test_the_validation_handshake_echoes_the_token_as_plain_text(graph, conference, connect):
    connection = connect("microsoft")
    response = Client().post(f"/hooks/{connection.pk}?validationToken=Validation%3A+abc+123", content_type="text/plain")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response.content == b"Validation: abc 123"
