"""What the stream carries and what it costs a write: every outbox type has a read scope, the documentation shows
the table the code enforces, and a write of an organization nobody streams reads and sends nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.scopes import SCOPES
from api.scopes import DELIVERY_UPDATED, STREAM_SCOPES
from core.models import OutboxEvent
from core.outbox import EVENT_TYPES
from integrations import signals
from realtime import listeners, publish
from tests.realtime.conftest import check_in

pytestmark = pytest.mark.django_db


def test_every_outbox_type_and_the_delivery_updates_have_a_read_scope():
    assert set(STREAM_SCOPES) == {*EVENT_TYPES, DELIVERY_UPDATED}
    assert all(scope.endswith(":read") and scope in SCOPES for scope in STREAM_SCOPES.values())


def test_the_documentation_shows_the_table_the_stream_enforces():
    text = (Path(settings.BASE_DIR) / "docs" / "realtime.md").read_text()
    table = re.search(r"<!-- stream-scopes:start -->\n(.*?)<!-- stream-scopes:end -->", text, re.S)
    assert table is not None
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|$", table.group(1), re.M)
    assert dict(rows) == STREAM_SCOPES and [t for t, _ in rows] == list(STREAM_SCOPES)


def test_a_write_nobody_streams_costs_the_publishers_no_query_and_no_send(org, ticket, monkeypatch):
    sent = []
    monkeypatch.setattr(publish, "send", lambda *args: sent.append(args))
    assert not listeners.listening(org.pk) and not listeners.listening()
    check_in(ticket)  # the receivers ran after the commit: nothing was sent
    assert sent == []
    rows = list(OutboxEvent.objects.filter(organization_id=org.pk))
    with CaptureQueriesContext(connection) as queries:
        publish.on_outbox_published(OutboxEvent, organization_id=org.pk, ids=[r.pk for r in rows], rows=rows)
        publish.on_deliveries_changed(None, ids=[r.pk for r in rows])
        signals.announce_deliveries([r.pk for r in rows])
    assert len(queries) == 0 and sent == []
