"""Idempotency-Key on POST: the first response is kept for 24 hours and replayed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from api.models import IdempotencyRecord
from events.models import Venue
from tests.conftest import error_of
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/venues"
BODY = {"name": "Main Hall", "city": "Berlin", "country": "DE"}


def post(client, body=BODY, key="key-1", url=URL):
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_and_body_replays_the_first_response(client_owner, org):
    first = post(client_owner)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    second = post(client_owner)
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"].startswith("application/json")
    assert Venue.objects.filter(organization=org).count() == 1


def test_replay_carries_its_own_correlation_id(client_owner):
    post(client_owner)
    replay = post(client_owner)
    assert replay["X-Correlation-ID"]


def test_without_a_key_each_post_creates(client_owner, org):
    client_owner.post(URL, BODY, format="json")
    client_owner.post(URL, BODY, format="json")
    assert Venue.objects.filter(organization=org).count() == 2


def test_different_keys_create_separately(client_owner, org):
    post(client_owner, key="a")
    post(client_owner, key="b")
    assert Venue.objects.filter(organization=org).count() == 2


def test_same_key_different_body_is_422(client_owner, org):
    post(client_owner)
    response = post(client_owner, body={**BODY, "name": "Other Hall"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert error["target"] == "Idempotency-Key"
    assert list(Venue.objects.filter(organization=org).values_list("name", flat=True)) == ["Main Hall"]


def test_same_key_on_another_path_is_422(client_owner, org):
    post(client_owner)
    response = post(client_owner, body=BODY, url="/api/v1/events")
    assert response.status_code == 422
    assert error_of(response)["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_key_is_scoped_per_user(api, member, org):
    alice = member(Role.EDITOR)
    bob = member(Role.EDITOR)
    first = post(api(alice))
    second = post(api(bob))
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert first.json()["id"] != second.json()["id"]
    assert Venue.objects.filter(organization=org).count() == 2


def test_key_is_scoped_per_organization(api, member, org, other_org):
    user = member(Role.OWNER)
    MembershipFactory(user=user, organization=other_org, role=Role.OWNER)
    in_a = post(api(user, organization=org))
    in_b = post(api(user, organization=other_org))
    assert in_a.status_code == in_b.status_code == 201
    assert "Idempotent-Replayed" not in in_b
    assert Venue.objects.filter(organization=org).count() == 1
    assert Venue.objects.filter(organization=other_org).count() == 1


def test_expired_record_is_not_replayed(client_owner, org):
    post(client_owner)
    IdempotencyRecord.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    second = post(client_owner)
    assert second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert Venue.objects.filter(organization=org).count() == 2
    assert IdempotencyRecord.objects.count() == 1


def test_record_expires_after_24_hours(client_owner):
    post(client_owner)
    record = IdempotencyRecord.objects.get()
    assert record.expires_at - record.created_at == pytest.approx(dt.timedelta(hours=24), abs=dt.timedelta(seconds=5))


def test_validation_error_is_stored_and_replayed(client_owner, org):
    bad = {"name": "", "country": "Germany"}
    first = post(client_owner, body=bad)
    assert first.status_code == 400
    assert error_of(first)["code"] == "VALIDATION_ERROR"
    second = post(client_owner, body=bad)
    assert second.status_code == 400
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert Venue.objects.filter(organization=org).count() == 0


def test_server_error_is_not_stored(monkeypatch, owner, org):
    from rest_framework.test import APIClient

    def boom(**kwargs):
        raise RuntimeError("down")

    client = APIClient(raise_request_exception=False)
    client.force_login(owner)
    monkeypatch.setattr("events.services.venue_create", boom)
    assert post(client).status_code == 500
    assert IdempotencyRecord.objects.count() == 0
    monkeypatch.undo()
    retry = post(client)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry


def test_in_progress_key_is_409(client_owner):
    IdempotencyRecord.objects.create(
        scope="x", key="other", fingerprint="f", expires_at=timezone.now() + dt.timedelta(hours=1)
    )  # unrelated row
    post(client_owner)
    IdempotencyRecord.objects.filter(key="key-1").update(state=IdempotencyRecord.State.IN_PROGRESS)
    response = post(client_owner)
    assert response.status_code == 409
    assert error_of(response)["code"] == "IDEMPOTENCY_KEY_IN_PROGRESS"


@pytest.mark.parametrize("key", ["k" * 256, "has space", "ключ"])
def test_invalid_key_is_400(client_owner, org, key):
    response = client_owner.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1"))
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "INVALID_IDEMPOTENCY_KEY"
    assert error["target"] == "Idempotency-Key"
    assert Venue.objects.filter(organization=org).count() == 0


def test_key_of_255_characters_is_accepted(client_owner):
    assert post(client_owner, key="k" * 255).status_code == 201


def test_key_on_a_get_is_ignored(client_owner):
    response = client_owner.get(URL, HTTP_IDEMPOTENCY_KEY="key-1")
    assert response.status_code == 200
    assert IdempotencyRecord.objects.count() == 0


def test_purge_command_deletes_only_expired_records(client_owner, capsys):
    post(client_owner, key="old")
    post(client_owner, body={**BODY, "title": "Second"}, key="new")
    IdempotencyRecord.objects.filter(key="old").update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    call_command("purge_idempotency_keys")

    assert "Deleted 1 expired idempotency record(s)." in capsys.readouterr().out
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
