"""A list page's count and rows run as the ORM first built them for the same inputs (api.statements, ADR 0024)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from api import statements
from events.models import EventStatus
from tests.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _statements(client: Any, url: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    # The page's statements (the session's carries the time of the request).
    return response.json(), [q["sql"] for q in ctx.captured_queries if '"events_event' in q["sql"]]


def test_a_page_read_again_runs_the_recorded_statements_and_answers_the_same(client_owner: Any, org: Any) -> None:
    for i in range(7):
        EventFactory(organization=org, venue=VenueFactory(organization=org), status=EventStatus.PUBLISHED if i % 2 else "draft")
    statements.clear()
    for url in ("/api/v1/events?pageSize=3&page=2", "/api/v1/events?status=published&sort=-title", "/api/v1/events"):
        first, built = _statements(client_owner, url)
        again, recorded = _statements(client_owner, url)
        assert again == first
        assert len(built) == 3  # the count, the rows, their tags
        assert recorded == built  # the same SQL, run without the ORM building it
    # A page of rows for each of the three queries; one count for each filter and order (the first and the
    # last query differ only by their page).
    assert sorted(key[0] for key in statements._entries) == ["count", "count", "rows", "rows", "rows"]


def test_recorded_statements_are_per_organization_and_per_filter(api: Any, member: Any, org: Any, other_org: Any) -> None:
    ours = [EventFactory(organization=org, title=f"Ours {i}") for i in range(3)]
    theirs = [EventFactory(organization=other_org, title=f"Theirs {i}") for i in range(2)]
    our_client, their_client = api(member(Role.OWNER)), api(member(Role.OWNER, organization=other_org))
    for _ in range(2):  # recorded on the first round, run on the second
        assert {e["id"] for e in our_client.get("/api/v1/events").json()["data"]} == {str(e.id) for e in ours}
        listed = their_client.get("/api/v1/events").json()
        assert {e["id"] for e in listed["data"]} == {str(e.id) for e in theirs}
        assert listed["pagination"]["totalCount"] == 2
        drafts = our_client.get("/api/v1/events?status=published").json()
        assert drafts["data"] == [] and drafts["pagination"]["totalCount"] == 0


def test_a_change_between_two_reads_is_seen_by_the_recorded_statements(client_owner: Any, org: Any) -> None:
    EventFactory(organization=org, title="First")
    assert client_owner.get("/api/v1/events").json()["pagination"]["totalCount"] == 1
    EventFactory(organization=org, title="Second")
    body = client_owner.get("/api/v1/events").json()
    assert body["pagination"]["totalCount"] == 2
    assert sorted(e["title"] for e in body["data"]) == ["First", "Second"]


def test_entries_are_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(statements, "MAX_ENTRIES", 3)
    statements.clear()
    for i in range(5):
        statements._put(("k", i), i)
    assert list(statements._entries) == [("k", 2), ("k", 3), ("k", 4)]
    assert statements._get(("k", 2)) == 2
    statements._put(("k", 5), 5)  # the least recently used, ("k", 3), goes
    assert list(statements._entries) == [("k", 4), ("k", 2), ("k", 5)]
