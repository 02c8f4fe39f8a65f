"""core.rows: hand-written SQL that loads and inserts exactly what the ORM would."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts import selectors, services
from accounts.models import ApiKey, Organization
from core import rows
from core.audit import SYSTEM
from core.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_load_equals_the_orm(org):
    key, _ = services.api_key_create(
        actor=SYSTEM,
        organization=org,
        data={
            "name": "K",
            "scopes": ["events:read"],
            "allowed_ips": ["10.0.0.0/8"],
            "expires_at": timezone.now() + dt.timedelta(days=1),
        },
        creator_role=None,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(ApiKey, 'k')} FROM accounts_apikey k WHERE k.id = %s",
            [ApiKey._meta.pk.get_db_prep_value(key.pk, connection)],
        )
        loaded = rows.load(ApiKey, cursor.fetchone())
    expected = ApiKey.objects.get(pk=key.pk)
    assert model_to_dict(loaded) == model_to_dict(expected)
    assert (loaded.created_at, loaded.pk, loaded._state.adding) == (expected.created_at, expected.pk, False)

    found = selectors.api_key_by_hash(key_hash=expected.key_hash)
    assert found is not None and found.organization == org and found.organization.slug == org.slug
    assert isinstance(found.organization, Organization) and found.organization.created_at == org.created_at
    assert selectors.api_key_by_hash(key_hash="0" * 64) is None


def test_insert_writes_what_save_would_and_keeps_a_value_set(org):
    from django.db import transaction

    stamp = timezone.now() - dt.timedelta(minutes=5)
    first = OutboxEvent(organization_id=org.id, event_type="event.created", data={"a": [1, "x"]}, created_at=stamp)
    second = OutboxEvent(organization_id=org.id, event_type="event.updated", data={})
    with transaction.atomic():
        rows.insert([first, second])
    stored = {e.pk: e for e in OutboxEvent.objects.all()}
    assert set(stored) == {first.pk, second.pk} and isinstance(first.pk, uuid.UUID)
    assert stored[first.pk].data == {"a": [1, "x"]} and stored[first.pk].created_at == stamp
    assert stored[second.pk].created_at > stamp and stored[second.pk].dispatched_at is None
    rows.insert([])  # nothing to write


def test_insert_ignoring_conflicts_skips_only_the_rows_a_unique_constraint_refuses(org, django_assert_num_queries):
    from django.db import IntegrityError, transaction

    from core.models import AuditEntry

    existing = OutboxEvent.objects.create(organization_id=org.id, event_type="event.created", data={"v": 1})
    again = OutboxEvent(id=existing.pk, organization_id=org.id, event_type="event.updated", data={"v": 2})
    new = OutboxEvent(organization_id=org.id, event_type="event.updated", data={"v": 3})
    with django_assert_num_queries(1):
        rows.insert([again, new], ignore_conflicts=True)
    assert dict(OutboxEvent.objects.values_list("event_type", "data")) == {"event.created": {"v": 1}, "event.updated": {"v": 3}}
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert([OutboxEvent(id=existing.pk, organization_id=org.id, event_type="event.created", data={})])
    with pytest.raises(ValueError):  # a database-made key: the rows left out could not be told apart
        rows.insert([AuditEntry(action="x", object_type="y", object_id="z")], ignore_conflicts=True)


def test_insert_together_writes_every_group_and_reads_back_database_made_keys(org, django_assert_num_queries):
    from django.db import transaction

    from core import audit
    from core.models import AuditEntry

    entries = [
        audit.entry(actor=SYSTEM, action=f"thing.{n}", target=None, organization_id=org.id, changes={"n": n}) for n in range(3)
    ]
    events = [OutboxEvent(organization_id=org.id, event_type="event.created", data={"n": n}) for n in range(2)]
    # One statement on PostgreSQL (data-modifying CTEs); one a group where WITH cannot insert (SQLite).
    with transaction.atomic(), django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        rows.insert_together([entries, [], events])
    stored = {e.pk: e for e in AuditEntry.objects.all()}
    assert [stored[e.pk].action for e in entries] == ["thing.0", "thing.1", "thing.2"]
    assert [stored[e.pk].changes for e in entries] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert all(not e._state.adding for e in entries) and len(stored) == 3
    assert sorted(e.data["n"] for e in OutboxEvent.objects.all()) == [0, 1]
    rows.insert_together([[], []])  # nothing to write


def test_insert_together_with_no_database_made_key_returns_nothing(org):
    from django.db import transaction

    first = [OutboxEvent(organization_id=org.id, event_type="event.created", data={})]
    second = [OutboxEvent(organization_id=org.id, event_type="event.updated", data={})]
    with transaction.atomic():
        rows.insert_together([first, second])
    assert OutboxEvent.objects.count() == 2
