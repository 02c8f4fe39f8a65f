"""ETag / Last-Modified on reads, 304 on a current copy, 412 on a lost update (RFC 9110 section 13)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils.http import http_date

from events.models import Event, Venue
from tests.conftest import error_of
from tests.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org):
    return EventFactory(organization=org, title="Original")


def test_detail_has_etag_and_last_modified(client_owner, event):
    response = client_owner.get(f"/api/v1/events/{event.id}")
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert response["Last-Modified"] == http_date(int(event.updated_at.timestamp()))


def test_list_has_etag_and_last_modified(client_owner, org):
    first = EventFactory(organization=org)
    second = EventFactory(organization=org)
    response = client_owner.get("/api/v1/events")
    assert response.status_code == 200
    assert response["ETag"]
    newest = max(first.updated_at, second.updated_at)
    assert response["Last-Modified"] == http_date(int(newest.timestamp()))


def test_etag_is_stable_between_reads(client_owner, event):
    url = f"/api/v1/events/{event.id}"
    assert client_owner.get(url)["ETag"] == client_owner.get(url)["ETag"]


@pytest.mark.parametrize("path", ["/api/v1/events/{id}", "/api/v1/events"])
def test_if_none_match_gives_304_with_empty_body(client_owner, event, path):
    url = path.format(id=event.id)
    etag = client_owner.get(url)["ETag"]
    response = client_owner.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_none_match_with_other_etag_gives_200(client_owner, event):
    response = client_owner.get(f"/api/v1/events/{event.id}", HTTP_IF_NONE_MATCH='"something-else"')
    assert response.status_code == 200
    assert response.json()["id"] == str(event.id)


def test_if_modified_since_gives_304(client_owner, event):
    url = f"/api/v1/events/{event.id}"
    last_modified = client_owner.get(url)["Last-Modified"]
    response = client_owner.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304
    assert response.content == b""


def test_if_modified_since_before_the_change_gives_200(client_owner, event):
    earlier = http_date(int((event.updated_at - dt.timedelta(hours=1)).timestamp()))
    response = client_owner.get(f"/api/v1/events/{event.id}", HTTP_IF_MODIFIED_SINCE=earlier)
    assert response.status_code == 200


def test_etag_changes_after_a_change(client_owner, event):
    url = f"/api/v1/events/{event.id}"
    before = client_owner.get(url)["ETag"]
    assert client_owner.patch(url, {"title": "Renamed"}, format="json").status_code == 200
    after = client_owner.get(url)
    assert after["ETag"] != before
    assert client_owner.get(url, HTTP_IF_NONE_MATCH=before).status_code == 200


def test_list_etag_changes_when_a_row_changes(client_owner, event):
    before = client_owner.get("/api/v1/events")["ETag"]
    client_owner.patch(f"/api/v1/events/{event.id}", {"title": "Renamed"}, format="json")
    assert client_owner.get("/api/v1/events")["ETag"] != before


def test_if_match_with_current_etag_updates(client_owner, event):
    url = f"/api/v1/events/{event.id}"
    etag = client_owner.get(url)["ETag"]
    response = client_owner.patch(url, {"title": "Renamed"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Renamed"


def test_if_match_with_stale_etag_is_412_and_changes_nothing(client_owner, event):
    url = f"/api/v1/events/{event.id}"
    stale = client_owner.get(url)["ETag"]
    assert client_owner.patch(url, {"title": "Someone else"}, format="json").status_code == 200
    response = client_owner.patch(url, {"title": "Lost update"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    error = error_of(response)
    assert error["code"] == "PRECONDITION_FAILED"
    assert error["target"] == "If-Match"
    event.refresh_from_db()
    assert event.title == "Someone else"


def test_if_match_star_updates(client_owner, event):
    response = client_owner.patch(f"/api/v1/events/{event.id}", {"title": "Any"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.title == "Any"


def test_if_match_with_one_of_several_etags_updates(client_owner, event):
    url = f"/api/v1/events/{event.id}"
    etag = client_owner.get(url)["ETag"]
    response = client_owner.patch(url, {"title": "Renamed"}, format="json", HTTP_IF_MATCH=f'"old", {etag}')
    assert response.status_code == 200


def test_delete_with_stale_if_match_is_412_and_keeps_the_row(client_owner, event):
    url = f"/api/v1/events/{event.id}"
    stale = client_owner.get(url)["ETag"]
    client_owner.patch(url, {"title": "Changed"}, format="json")
    response = client_owner.delete(url, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert error_of(response)["code"] == "PRECONDITION_FAILED"
    assert Event.objects.filter(pk=event.pk).exists()


def test_delete_with_current_if_match_deletes(client_owner, event):
    url = f"/api/v1/events/{event.id}"
    etag = client_owner.get(url)["ETag"]
    assert client_owner.delete(url, HTTP_IF_MATCH=etag).status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()


def test_venue_delete_with_stale_if_match_is_412(client_owner, org):
    venue = VenueFactory(organization=org)
    response = client_owner.delete(f"/api/v1/venues/{venue.id}", HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412
    assert Venue.objects.filter(pk=venue.pk).exists()


def test_if_unmodified_since_before_the_change_is_412(client_owner, event):
    earlier = http_date(int((event.updated_at - dt.timedelta(hours=1)).timestamp()))
    response = client_owner.patch(
        f"/api/v1/events/{event.id}", {"title": "Late"}, format="json", HTTP_IF_UNMODIFIED_SINCE=earlier
    )
    assert response.status_code == 412
    assert error_of(response)["target"] == "If-Unmodified-Since"
    event.refresh_from_db()
    assert event.title == "Original"


def test_profile_patch_honours_if_match(client_owner, owner):
    etag = client_owner.get("/api/v1/users/me")["ETag"]
    assert client_owner.patch("/api/v1/users/me", {"name": "First"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    response = client_owner.patch("/api/v1/users/me", {"name": "Second"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    owner.refresh_from_db()
    assert owner.name == "First"


def test_errors_carry_no_etag(client_owner):
    response = client_owner.get("/api/v1/events/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert not response.has_header("ETag")


def test_weak_if_none_match_gives_304(client_owner, event):
    url = f"/api/v1/events/{event.id}"
    etag = client_owner.get(url)["ETag"]
    assert client_owner.get(url, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert client_owner.get(url, HTTP_IF_NONE_MATCH="*").status_code == 304


def test_created_response_carries_the_etag_of_the_new_row(client_owner):
    created = client_owner.post("/api/v1/venues", {"name": "Hall"}, format="json")
    assert created.status_code == 201
    read = client_owner.get(f"/api/v1/venues/{created.json()['id']}")
    assert created["ETag"] == read["ETag"]


def test_the_etag_is_the_hash_of_the_body_sent(client_owner, event):
    # A GET hashes the body it renders (the representation is encoded once per request, ADR 0024).
    for url in (f"/api/v1/events/{event.id}", "/api/v1/events"):
        response = client_owner.get(url)
        assert response["ETag"] == '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'


def test_a_csv_list_has_its_own_etag_and_answers_304(client_owner, event):
    json_tag = client_owner.get("/api/v1/events")["ETag"]
    csv = client_owner.get("/api/v1/events", HTTP_ACCEPT="text/csv")
    assert csv.status_code == 200 and csv["ETag"] != json_tag
    again = client_owner.get("/api/v1/events", HTTP_ACCEPT="text/csv", HTTP_IF_NONE_MATCH=csv["ETag"])
    assert again.status_code == 304
