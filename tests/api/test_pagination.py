"""Pagination in three styles (page, limit/offset, cursor), answered with RFC 8288 Link headers."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import pytest

from tests.conftest import error_of
from tests.factories import START, EventFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<(?P<url>[^>]*)>;\s*rel="(?P<rel>[a-z]+)"')


def links(response) -> dict[str, str]:
    header = response.get("Link", "")
    parts = [p.strip() for p in header.split(",") if p.strip()]
    found = {}
    for part in parts:
        match = LINK.fullmatch(part)
        assert match, f"not an RFC 8288 link-value: {part!r}"
        found[match["rel"]] = match["url"].removeprefix("http://testserver")
    return found


def ids(response) -> list[str]:
    return [row["id"] for row in response.json()["data"]]


def seed(org, n: int, *, ties: bool = False):
    events = []
    for i in range(n):
        starts = START + dt.timedelta(hours=(i // 3 if ties else i))
        events.append(EventFactory(organization=org, starts_at=starts))
    return events


def test_default_page_size_is_50_with_total_count(client_owner, org):
    seed(org, 55)
    response = client_owner.get("/api/v1/events")
    assert response.status_code == 200
    body = response.json()
    assert len(body["data"]) == 50
    assert body["pagination"] == {"page": 1, "pageSize": 50, "totalCount": 55, "totalPages": 2}
    assert response["X-Total-Count"] == "55"
    rels = links(response)
    assert set(rels) == {"first", "next", "last"}
    assert "page=2" in rels["next"] and "pageSize=50" in rels["next"]


def test_page_and_page_size(client_owner, org):
    events = seed(org, 7)
    response = client_owner.get("/api/v1/events?page=2&pageSize=3")
    assert response.status_code == 200
    assert ids(response) == [str(e.id) for e in events[3:6]]
    assert response.json()["pagination"] == {"page": 2, "pageSize": 3, "totalCount": 7, "totalPages": 3}
    rels = links(response)
    assert set(rels) == {"first", "prev", "next", "last"}
    assert rels["first"].endswith("page=1&pageSize=3")
    assert rels["prev"].endswith("page=1&pageSize=3")
    assert rels["next"].endswith("page=3&pageSize=3")
    assert rels["last"].endswith("page=3&pageSize=3")
    last = client_owner.get(rels["last"])
    assert ids(last) == [str(events[6].id)]
    assert "next" not in links(last)


def test_page_size_200_is_the_maximum(client_owner, org):
    seed(org, 2)
    assert client_owner.get("/api/v1/events?pageSize=200").status_code == 200
    response = client_owner.get("/api/v1/events?pageSize=201")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "INVALID_PAGINATION"
    assert error["target"] == "pageSize"


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=abc", "pageSize=0", "limit=0", "limit=201", "offset=-1"])
def test_out_of_range_parameters_are_400(client_owner, query):
    response = client_owner.get(f"/api/v1/events?{query}")
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_PAGINATION"


def test_links_keep_filters_and_sort(client_owner, org):
    seed(org, 5)
    response = client_owner.get("/api/v1/events?sort=-startsAt&status=draft&pageSize=2")
    for url in links(response).values():
        assert "sort=-startsAt" in url and "status=draft" in url


def test_limit_offset(client_owner, org):
    events = seed(org, 10)
    response = client_owner.get("/api/v1/events?limit=4&offset=4")
    assert response.status_code == 200
    assert ids(response) == [str(e.id) for e in events[4:8]]
    assert response.json()["pagination"] == {"limit": 4, "offset": 4, "totalCount": 10}
    assert response["X-Total-Count"] == "10"
    rels = links(response)
    assert set(rels) == {"first", "prev", "next", "last"}
    assert rels["first"].endswith("limit=4&offset=0")
    assert rels["prev"].endswith("limit=4&offset=0")
    assert rels["next"].endswith("limit=4&offset=8")
    assert rels["last"].endswith("limit=4&offset=8")
    assert ids(client_owner.get(rels["last"])) == [str(e.id) for e in events[8:]]


def test_limit_alone_is_offset_style(client_owner, org):
    seed(org, 3)
    response = client_owner.get("/api/v1/events?limit=2")
    assert response.json()["pagination"] == {"limit": 2, "offset": 0, "totalCount": 3}


def walk(client, url: str, rel: str) -> list[list[str]]:
    pages = []
    seen_urls = set()
    while url:
        assert url not in seen_urls, "pagination loops"
        seen_urls.add(url)
        response = client.get(url)
        assert response.status_code == 200, response.json()
        assert "X-Total-Count" not in response
        pages.append(ids(response))
        url = links(response).get(rel)
    return pages


@pytest.mark.parametrize("sort", [None, "-startsAt", "title", "-createdAt"])
@pytest.mark.parametrize("ties", [False, True])
def test_cursor_walks_forward_and_back_without_gaps_or_duplicates(client_owner, org, sort, ties):
    events = seed(org, 11, ties=ties)
    query = "cursor=&pageSize=3" + (f"&sort={sort}" if sort else "")
    expected_ids = ids(client_owner.get(f"/api/v1/events?pageSize=200{'&sort=' + sort if sort else ''}"))
    assert sorted(expected_ids) == sorted(str(e.id) for e in events)

    forward = walk(client_owner, f"/api/v1/events?{query}", "next")
    assert [len(p) for p in forward] == [3, 3, 3, 2]
    assert [i for page in forward for i in page] == expected_ids

    # From the last page back to the first through rel="prev".
    last_response = client_owner.get(f"/api/v1/events?{query}")
    for _ in range(3):
        last_response = client_owner.get(links(last_response)["next"])
    assert "next" not in links(last_response)
    backward = walk(client_owner, links(last_response)["prev"], "prev")
    assert backward == list(reversed(forward[:-1]))


def test_cursor_first_page_links(client_owner, org):
    seed(org, 5)
    response = client_owner.get("/api/v1/events?cursor=&limit=2")
    rels = links(response)
    assert set(rels) == {"first", "next"}
    assert "limit=2" in rels["next"]
    body = response.json()["pagination"]
    assert body["pageSize"] == 2 and body["nextCursor"] and body["previousCursor"] is None


def test_cursor_is_stable_under_inserts(client_owner, org):
    events = seed(org, 6)
    first = client_owner.get("/api/v1/events?cursor=&pageSize=3")
    EventFactory(organization=org, starts_at=START - dt.timedelta(days=1))  # lands before the cursor
    second = client_owner.get(links(first)["next"])
    assert ids(second) == [str(e.id) for e in events[3:]]


@pytest.mark.parametrize("query", ["page=1&limit=10", "page=1&cursor=", "offset=0&cursor=", "cursor=&pageSize=2&limit=2"])
def test_mixing_styles_is_400(client_owner, query):
    response = client_owner.get(f"/api/v1/events?{query}")
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_PAGINATION"


def test_page_size_with_offset_is_400(client_owner):
    response = client_owner.get("/api/v1/events?offset=0&pageSize=3")
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_PAGINATION"


def _next_cursor(client_owner, query: str) -> str:
    return client_owner.get(f"/api/v1/events?{query}").json()["pagination"]["nextCursor"]


@pytest.mark.parametrize("bad", ["not-a-cursor!", "eyJ2IjpbXX0", "%%%"])
def test_garbage_cursor_is_400_invalid_cursor(client_owner, org, bad):
    seed(org, 3)
    response = client_owner.get(f"/api/v1/events?cursor={bad}&pageSize=2")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "INVALID_CURSOR"
    assert error["target"] == "cursor"


def test_tampered_cursor_is_400_invalid_cursor(client_owner, org):
    seed(org, 5)
    cursor = _next_cursor(client_owner, "cursor=&pageSize=2")
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    payload["s"] = "0" * 12
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    response = client_owner.get(f"/api/v1/events?cursor={forged}&pageSize=2")
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_CURSOR"

    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    payload["v"] = payload["v"][:1]
    short = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    response = client_owner.get(f"/api/v1/events?cursor={short}&pageSize=2")
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_CURSOR"


def test_cursor_from_another_sort_is_400_invalid_cursor(client_owner, org):
    seed(org, 5)
    cursor = _next_cursor(client_owner, "cursor=&pageSize=2")
    response = client_owner.get(f"/api/v1/events?cursor={cursor}&pageSize=2&sort=-startsAt")
    assert response.status_code == 400
    assert error_of(response)["code"] == "INVALID_CURSOR"


def test_unknown_sort_is_400(client_owner):
    response = client_owner.get("/api/v1/events?sort=colour")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "INVALID_SORT"
    assert error["target"] == "sort"


def test_empty_list_has_first_and_last_links(client_owner):
    response = client_owner.get("/api/v1/events")
    assert response.json()["pagination"] == {"page": 1, "pageSize": 50, "totalCount": 0, "totalPages": 1}
    assert set(links(response)) == {"first", "last"}
    assert response["X-Total-Count"] == "0"


def test_cursor_walks_a_list_ordered_by_a_related_field(client_owner, member):
    from accounts.roles import Role

    for _ in range(7):
        member(Role.VIEWER)
    expected = ids(client_owner.get("/api/v1/users?pageSize=200"))
    assert len(expected) == 8
    forward = walk(client_owner, "/api/v1/users?cursor=&pageSize=3", "next")
    assert [i for page in forward for i in page] == expected
    last = client_owner.get("/api/v1/users?cursor=&pageSize=3")
    while "next" in links(last):
        last = client_owner.get(links(last)["next"])
    assert walk(client_owner, links(last)["prev"], "prev") == list(reversed(forward[:-1]))


def test_page_past_the_end_is_empty_with_a_prev_link_to_the_last_page(client_owner, org):
    seed(org, 3)
    response = client_owner.get("/api/v1/events?page=5&pageSize=2")
    assert response.status_code == 200
    assert response.json()["data"] == []
    rels = links(response)
    assert "next" not in rels
    assert rels["prev"].endswith("page=2&pageSize=2")


def test_offset_past_the_end_is_empty(client_owner, org):
    seed(org, 3)
    response = client_owner.get("/api/v1/events?limit=2&offset=10")
    assert response.json()["data"] == []
    assert "next" not in links(response)
    assert links(response)["last"].endswith("limit=2&offset=2")
