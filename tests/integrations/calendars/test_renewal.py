"""Change-notification channels renewed before they expire, by the calendars' beat job (``calendars_sweep``):
Graph's subscription extended in place (``PATCH /subscriptions/{id}``) or created again when Graph says it is gone
(404); Google's channel, which cannot be extended, replaced by a new one (``events/watch``) and the old one stopped
(``channels/stop``). Idempotent across ticks; the vendor down delays the renewal, and one that gave up is tried
again on the next tick."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from connectors import jobs
from connectors.models import ConnectionStatus, ConnectorJob, JobStatus
from integrations import tasks
from integrations.calendars import graph as graph_adapter
from integrations.calendars import sync
from integrations.models import CalendarWatch

pytestmark = pytest.mark.django_db
HOUR = 3600


def renewals(connection: Any) -> list[ConnectorJob]:
    return list(ConnectorJob.objects.filter(connection=connection, operation=sync.RENEW_OPERATION).order_by("created_at"))


def tick(capture: Any) -> int:
    with capture(execute=True):
        return sync.renew_due_watches()


def test_a_graph_subscription_is_extended_before_it_expires_once_per_expiry(
    graph, conference, connect, frozen, django_capture_on_commit_callbacks
):
    connection = connect("microsoft")
    watch = CalendarWatch.objects.get(connection=connection)
    assert watch.expires_at == frozen.now + dt.timedelta(minutes=graph_adapter.SUBSCRIPTION_MINUTES)
    assert tick(django_capture_on_commit_callbacks) == 0  # 70 hours left: not due
    assert renewals(connection) == []

    frozen.advance(50 * HOUR)  # 20 hours left: within the day's margin
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.calendars_sweep.delay().get()
    assert result["renewing"] == 1
    (job,) = renewals(connection)
    assert job.status == JobStatus.SUCCEEDED and job.result["extended"] is True
    renewed = CalendarWatch.objects.get(connection=connection)
    assert renewed.pk == watch.pk and renewed.channel_id == watch.channel_id
    assert renewed.expires_at == frozen.now + dt.timedelta(minutes=graph_adapter.SUBSCRIPTION_MINUTES)
    sent = graph.subscriptions[watch.channel_id]["expirationDateTime"]
    assert dt.datetime.fromisoformat(sent.replace("Z", "+00:00")) == renewed.expires_at
    assert [r for r in graph.requests if r.method == "PATCH" and "/subscriptions/" in r.path] != []

    # Ticks before the next renewal is due change nothing; a notification on the renewed subscription is taken.
    assert tick(django_capture_on_commit_callbacks) == 0
    frozen.advance(HOUR)
    assert tick(django_capture_on_commit_callbacks) == 0
    assert len(renewals(connection)) == 1
    body = graph.notification(watch.channel_id, [("updated", "nothing")])
    response = Client().post(f"/hooks/{connection.pk}", body, content_type="application/json")
    assert response.status_code in (200, 202), response.content


def test_a_graph_subscription_graph_deleted_is_created_again(
    graph, conference, connect, frozen, django_capture_on_commit_callbacks
):
    connection = connect("microsoft")
    old = CalendarWatch.objects.get(connection=connection)
    graph.expire(old.channel_id)  # e.g. the platform was down when it had to be renewed
    frozen.advance(60 * HOUR)
    assert tick(django_capture_on_commit_callbacks) == 1
    (job,) = renewals(connection)
    assert job.status == JobStatus.SUCCEEDED and job.result["recreated"] is True, job.last_error
    (new,) = CalendarWatch.objects.filter(connection=connection)
    assert new.channel_id != old.channel_id and list(graph.subscriptions) == [new.channel_id]
    assert graph.subscriptions[new.channel_id]["notificationUrl"].endswith(f"/hooks/{connection.pk}")
    assert new.expires_at == frozen.now + dt.timedelta(minutes=graph_adapter.SUBSCRIPTION_MINUTES)
    # The new subscription's clientState is accepted; the old one's subscription id is refused.
    ok = Client().post(
        f"/hooks/{connection.pk}", graph.notification(new.channel_id, [("updated", "x")]), content_type="application/json"
    )
    assert ok.status_code in (200, 202), ok.content
    graph.subscriptions[old.channel_id] = {**graph.subscriptions[new.channel_id], "id": old.channel_id}
    forged = Client().post(
        f"/hooks/{connection.pk}", graph.notification(old.channel_id, [("updated", "x")]), content_type="application/json"
    )
    assert forged.status_code == 403


def test_a_google_channel_is_replaced_by_a_new_one_and_the_old_one_stopped(
    google, conference, connect, frozen, django_capture_on_commit_callbacks
):
    week = frozen.now.replace(microsecond=0) + dt.timedelta(days=7)  # Google answers milliseconds
    google.channel_expiration = str(int(week.timestamp() * 1000))
    connection = connect("google")
    old = CalendarWatch.objects.get(connection=connection)
    assert old.expires_at == week and old.sync_token
    assert tick(django_capture_on_commit_callbacks) == 0

    frozen.advance(6.5 * 24 * HOUR)
    google.channel_expiration = str(int((week + dt.timedelta(days=7)).timestamp() * 1000))
    assert tick(django_capture_on_commit_callbacks) == 1
    (job,) = renewals(connection)
    assert job.status == JobStatus.SUCCEEDED, job.last_error
    (new,) = CalendarWatch.objects.filter(connection=connection)
    assert new.channel_id != old.channel_id and new.expires_at == week + dt.timedelta(days=7)
    assert new.sync_token == old.sync_token  # changes since the last notification are not skipped
    assert google.stopped == [old.channel_id] and list(google.channels) == [new.channel_id]
    assert google.channels[new.channel_id]["address"].endswith(f"/hooks/{connection.pk}")
    assert tick(django_capture_on_commit_callbacks) == 0 and len(renewals(connection)) == 1

    # Notifications: the new channel's token is accepted, the stopped channel is unknown now.
    headers = google.push_headers(new.channel_id)
    ok = Client().post(f"/hooks/{connection.pk}", b"", content_type="application/json", **headers)
    assert ok.status_code in (200, 202), ok.content
    google.channels[old.channel_id] = {**google.channels[new.channel_id], "id": old.channel_id}
    stale = Client().post(f"/hooks/{connection.pk}", b"", content_type="application/json", **google.push_headers(old.channel_id))
    assert stale.status_code == 403


@pytest.mark.parametrize("vendor", ["google", "microsoft"])
def test_the_vendor_down_delays_the_renewal_and_a_renewal_that_gave_up_is_tried_on_the_next_tick(
    vendor, fakes, conference, connect, frozen, settings, django_capture_on_commit_callbacks
):
    fake = fakes[vendor]
    if vendor == "google":
        fake.channel_expiration = str(int((frozen.now + dt.timedelta(days=2)).timestamp() * 1000))
    connection = connect(vendor)
    old = CalendarWatch.objects.get(connection=connection)
    frozen.advance(60 * HOUR)
    if vendor == "google":
        fake.channel_expiration = str(int((frozen.now + dt.timedelta(days=7)).timestamp() * 1000))

    with fake.down():
        assert tick(django_capture_on_commit_callbacks) == 1
        (job,) = renewals(connection)
        assert job.status == JobStatus.PENDING and "unreachable" in job.last_error
        assert tick(django_capture_on_commit_callbacks) == 1  # the same job, not a second one
        assert len(renewals(connection)) == 1
        # It gives up (its attempts used up) while the vendor is still down.
        settings.CONNECTOR_JOB_MAX_ATTEMPTS = 1
        frozen.advance(HOUR)
        jobs.run(job.pk)
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
    assert CalendarWatch.objects.get(connection=connection).pk == old.pk  # nothing changed meanwhile

    settings.CONNECTOR_JOB_MAX_ATTEMPTS = 20
    frozen.advance(120)  # past the breaker's probe delay
    assert tick(django_capture_on_commit_callbacks) == 1
    first, second = renewals(connection)
    assert first.status == JobStatus.FAILED and second.status == JobStatus.SUCCEEDED, second.last_error
    (renewed,) = CalendarWatch.objects.filter(connection=connection)
    assert renewed.expires_at is not None and renewed.expires_at > frozen.now + dt.timedelta(days=2)
    assert tick(django_capture_on_commit_callbacks) == 0


def test_a_disconnected_calendars_channel_is_not_renewed(graph, conference, connect, frozen, django_capture_on_commit_callbacks):
    connection = connect("microsoft")
    connection.__class__.objects.filter(pk=connection.pk).update(status=ConnectionStatus.DISCONNECTED)
    frozen.advance(60 * HOUR)
    assert tick(django_capture_on_commit_callbacks) == 0 and renewals(connection) == []
