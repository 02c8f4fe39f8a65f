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
        count, rows, tags = built
        # Run again: the count is the rows' last column, a scalar subquery, one statement; then the tags.
        columns, rest = statements._split_at_from(rows)  # tested below
        assert recorded == [f"{columns}, ({count}){rest}", tags]
    # A page of rows for each of the three queries and their one-statement form; one count for each filter and
    # order (the first and the last query differ only by their page).
    kinds = sorted(key[0] for key in statements._entries)
    assert kinds == ["count", "count", "page", "page", "page", "rows", "rows", "rows"]


def test_a_page_past_the_last_runs_the_recorded_count_alone(client_owner: Any, org: Any) -> None:
    for _ in range(3):
        EventFactory(organization=org)
    statements.clear()
    url = "/api/v1/events?pageSize=2&page=3"
    first, _ = _statements(client_owner, url)
    again, recorded = _statements(client_owner, url)
    assert again == first and first["data"] == [] and first["pagination"]["totalCount"] == 3
    assert len(recorded) == 2 and recorded[1].startswith("SELECT COUNT(*)")  # no rows carried the count


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


def test_the_count_goes_before_the_statements_own_from_only() -> None:
    sql = """SELECT "a", (SELECT 1 FROM "b") AS "x", ' FROM ' AS "y" FROM "t" WHERE "c" IN (SELECT "d" FROM "e")"""
    columns, rest = statements._split_at_from(sql)
    assert rest == """ FROM "t" WHERE "c" IN (SELECT "d" FROM "e")"""
    assert columns + rest == sql
    assert statements._split_at_from("SELECT 1") == ("SELECT 1", "")
