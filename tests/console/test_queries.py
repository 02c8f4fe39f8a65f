"""Statements per console page, pinned: a page costs the same number of queries however many registrations, payments,
check-ins and audit entries the event has (django.test.utils.CaptureQueriesContext). A change that adds a query per
row fails here; bench/console.py measures the time at 50,000 registrations."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit import SYSTEM
from tests.console.conftest import _paid
from tests.payments.factories import pending_order

pytestmark = pytest.mark.django_db


def _pages(world: Any) -> dict[str, str]:
    event, registration = world.event.pk, world.paid.pk
    attendees = reverse("console:attendees", args=[event])
    return {
        "home": reverse("console:home"),
        "events": reverse("console:events"),
        "event-new": reverse("console:event-new"),
        "event": reverse("console:event", args=[event]),
        "attendees": attendees,
        "attendees by name": attendees + "?sort=name",
        "attendees search": attendees + "?q=example",
        "attendees paid, not in": attendees + "?paid=yes&checked_in=no",
        "attendees export": reverse("console:attendees-export", args=[event]),
        "registration": reverse("console:registration", args=[registration]),
        "desk": reverse("console:desk"),
        "desk event": reverse("console:desk-event", args=[event]),
        "desk counts": reverse("console:desk-counts", args=[event]),
        "reports": reverse("console:reports"),
        "reports 12 months": reverse("console:reports") + "?period=365",
        "audit": reverse("console:audit"),
        "settings": reverse("console:settings"),
    }


# page -> statements for the owner (session, user, membership and the page's own reads)
PINNED = {
    "home": 15,
    "events": 8,
    "event-new": 5,
    "event": 15,
    "attendees": 11,
    "attendees by name": 11,
    "attendees search": 11,
    "attendees paid, not in": 11,
    "attendees export": 8,
    "registration": 9,
    "desk": 6,
    "desk event": 8,
    "desk counts": 7,
    "reports": 12,
    "reports 12 months": 12,
    "audit": 6,
    "settings": 8,
}


def _count(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def test_each_page_runs_its_pinned_number_of_statements_whatever_the_events_size(world, as_role):
    client = as_role("owner")
    pages = _pages(world)
    before = {name: _count(client, path) for name, path in pages.items()}
    for n in range(12):  # more of everything a page lists or counts
        _paid(world.ticket, f"more{n}@example.com")
        pending_order(SYSTEM, world.ticket, f"waiting{n}@example.com")
    after = {name: _count(client, path) for name, path in pages.items()}
    assert after == before, {name: (before[name], after[name]) for name in pages if before[name] != after[name]}
    assert before == PINNED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm and GIN are PostgreSQL's; SQLite scans")
@pytest.mark.parametrize(
    ("query", "statement", "index"),
    [
        ("?sort=name", "LIMIT 51", "registration_event_name"),
        ("?sort=-created", "LIMIT 51", "registration_event_created"),
    ],
)
def test_the_attendee_lists_statements_can_use_their_indexes(world, as_role, query, statement, index):
    """The very statements the page runs (the match count of a search, a page of a sort), planned with sequential
    scans discouraged: the test tables are tiny."""
    path = reverse("console:attendees", args=[world.event.pk]) + query
    with CaptureQueriesContext(connection) as queries:
        assert as_role("owner").get(path).status_code == 200
    listed = [q["sql"] for q in queries if 'FROM "registrations_registration"' in q["sql"] and statement in q["sql"]]
    assert listed, [q["sql"][:120] for q in queries]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + listed[0])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm and GIN are PostgreSQL's; SQLite scans")
def test_the_search_has_trigram_indexes_on_the_expressions_it_filters_by(world, as_role):
    """The search filters UPPER(column::text) LIKE UPPER('%...%') (icontains); the GIN indexes are on those very
    expressions, so PostgreSQL can answer it from them at 50,000 registrations (bench/console.py's EXPLAIN)."""
    path = reverse("console:attendees", args=[world.event.pk]) + "?q=ada"
    with CaptureQueriesContext(connection) as queries:
        page = as_role("owner").get(path)
    assert page.status_code == 200
    searched = next(q["sql"] for q in queries if "LIMIT 51" in q["sql"] and "LIKE" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'registrations_registration' AND indexname LIKE %s",
            ["%trgm"],
        )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {"registration_name_trgm", "registration_email_trgm"}
    for column in ("attendee_name", "attendee_email"):
        assert f'UPPER("registrations_registration"."{column}"::text) LIKE UPPER(' in searched
        assert any(f"upper(({column})::text) gin_trgm_ops" in d and "USING gin" in d for d in indexes.values()), indexes
