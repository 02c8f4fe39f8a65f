"""core.audit: snapshots, diffs and audit entries."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import pytest

from core import audit
from core.correlation import set_correlation_id
from core.models import AuditEntry
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reset_correlation():
    yield
    set_correlation_id("-")


def test_snapshot_makes_values_json_safe(org):
    event = EventFactory(organization=org, title="T", capacity=10)
    snap = audit.snapshot(event, ["title", "starts_at", "venue", "organization_id", "capacity"])
    assert snap["title"] == "T"
    assert snap["starts_at"] == event.starts_at.isoformat()
    assert snap["venue"] == str(event.venue.pk)
    assert snap["organization_id"] == str(org.id)
    assert snap["capacity"] == 10


def test_jsonable_handles_nested_and_special_values():
    value = {
        "when": dt.date(2030, 1, 2),
        "amount": decimal.Decimal("12.50"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "items": (1, "a"),
        "set": {3},
        1: None,
    }
    assert audit._jsonable(value) == {
        "when": "2030-01-02",
        "amount": "12.50",
        "id": "12345678-1234-5678-1234-567812345678",
        "items": [1, "a"],
        "set": [3],
        "1": None,
    }


def test_diff_lists_only_changed_fields():
    before = {"title": "A", "capacity": 10, "city": "Berlin"}
    after = {"title": "B", "capacity": 10, "city": None}
    assert audit.diff(before, after) == {"title": {"from": "A", "to": "B"}, "city": {"from": "Berlin", "to": None}}


def test_diff_of_a_new_key_starts_from_none():
    assert audit.diff({}, {"x": 1}) == {"x": {"from": None, "to": 1}}


def test_diff_of_identical_snapshots_is_empty():
    assert audit.diff({"a": [1, 2]}, {"a": [1, 2]}) == {}


def test_record_writes_an_entry_with_actor_target_and_correlation(org):
    user = UserFactory(email="actor@example.com")
    event = EventFactory(organization=org, title="Summit")
    set_correlation_id("corr-42")
    entry = audit.record(
        actor=user, action="event.updated", target=event, organization_id=org.id, changes={"starts_at": event.starts_at}
    )
    entry.refresh_from_db()
    assert entry.actor_id == str(user.id)
    assert entry.actor_label == "actor@example.com"
    assert entry.action == "event.updated"
    assert entry.object_type == "events.event"
    assert entry.object_id == str(event.id)
    assert entry.object_label == "Summit"
    assert entry.organization_id == org.id
    assert entry.changes == {"starts_at": event.starts_at.isoformat()}
    assert entry.correlation_id == "corr-42"
    assert "event.updated" in str(entry)


def test_record_by_the_system_without_changes(org):
    entry = audit.record(actor=audit.SYSTEM, action="organization.created", target=org, organization_id=None)
    assert (entry.actor_id, entry.actor_label) == ("system", "system")
    assert entry.changes == {}
    assert entry.organization_id is None
    assert entry.correlation_id == "-"


def test_long_labels_are_cut_to_fit(org):
    event = EventFactory(organization=org, title="x" * 200)

    class LongActor:
        audit_id = "a" * 100
        audit_label = "b" * 400

    entry = audit.record(actor=LongActor(), action="event.created", target=event, organization_id=org.id)
    entry.refresh_from_db()
    assert len(entry.actor_id) == 64
    assert len(entry.actor_label) == 255


def test_entries_are_newest_first(org):
    first = audit.record(actor=audit.SYSTEM, action="a", target=org, organization_id=org.id)
    second = audit.record(actor=audit.SYSTEM, action="b", target=org, organization_id=org.id)
    assert list(AuditEntry.objects.filter(organization_id=org.id)) == [second, first]


def test_api_write_records_the_request_correlation_id(client_owner, org):
    response = client_owner.post("/api/v1/venues", {"name": "Hall"}, format="json", HTTP_X_CORRELATION_ID="req-777")
    assert response.status_code == 201
    entry = AuditEntry.objects.get(object_id=response.json()["id"])
    assert entry.correlation_id == "req-777"
    assert entry.organization_id == org.id


@pytest.mark.django_db
def test_assign_sets_only_allowed_fields_and_returns_what_changed(org):
    changes = audit.assign(org, {"name": "Renamed", "slug": org.slug, "id": "not-allowed"}, ("name", "slug"))

    assert changes == {"name": {"from": "Acme Events", "to": "Renamed"}}
    assert org.name == "Renamed"
    assert str(org.id) != "not-allowed"
