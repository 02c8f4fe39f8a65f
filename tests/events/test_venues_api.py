"""Venues: CRUD, filters, in-use protection, bad input, roles, tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.roles import Role
from core.models import AuditEntry
from events.models import Venue
from tests.conftest import error_of
from tests.factories import EventFactory, VenueFactory

pytestmark = pytest.mark.django_db

VENUES = "/api/v1/venues"


def test_create_a_venue(client_owner, owner):
    response = client_owner.post(
        VENUES,
        {"name": "Congress Hall", "address": "Alexanderplatz 1", "city": "Berlin", "country": "de", "capacity": 1200},
        format="json",
        HTTP_X_CORRELATION_ID="venue-1",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["country"] == "DE"
    assert data["capacity"] == 1200
    assert set(data) >= {"id", "name", "address", "city", "country", "capacity", "createdAt", "updatedAt"}
    assert response["Location"] == f"{VENUES}/{data['id']}"
    entry = AuditEntry.objects.get(action="venue.created", object_id=data["id"])
    assert entry.actor_label == owner.email
    assert entry.correlation_id == "venue-1"
    assert entry.changes["name"] == "Congress Hall"


def test_a_venue_needs_only_a_name(client_owner):
    response = client_owner.post(VENUES, {"name": "Backyard"}, format="json")
    assert response.status_code == 201
    assert response.json()["capacity"] is None


def test_read_a_venue(client_owner, org):
    venue = VenueFactory(organization=org, name="Loft")
    response = client_owner.get(f"{VENUES}/{venue.id}")
    assert response.status_code == 200
    assert response.json()["name"] == "Loft"
    assert response["ETag"]


def test_list_venues_with_filters(client_owner, org, other_org):
    VenueFactory(organization=org, name="Berlin Loft", city="Berlin")
    VenueFactory(organization=org, name="Munich Arena", city="Munich", address="Arena Street 1")
    VenueFactory(organization=org, name="Annex", city="berlin")
    VenueFactory(organization=other_org, name="Rival Hall", city="Berlin")

    def names(**params: Any) -> list[str]:
        response = client_owner.get(VENUES, params)
        assert response.status_code == 200
        return [v["name"] for v in response.json()["data"]]

    assert names() == ["Annex", "Berlin Loft", "Munich Arena"]
    assert names(city="BERLIN") == ["Annex", "Berlin Loft"]
    assert names(q="arena") == ["Munich Arena"]
    assert names(q="berlin") == ["Annex", "Berlin Loft"]


def test_patch_and_put_a_venue(client_owner, org):
    venue = VenueFactory(organization=org, name="Loft", city="Berlin", capacity=100)

    patched = client_owner.patch(f"{VENUES}/{venue.id}", {"capacity": 150}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["capacity"] == 150
    assert patched.json()["city"] == "Berlin"

    put = client_owner.put(f"{VENUES}/{venue.id}", {"name": "Big Loft", "city": "Hamburg", "country": "DE"}, format="json")
    assert put.status_code == 200, put.json()
    venue.refresh_from_db()
    assert (venue.name, venue.city, venue.country) == ("Big Loft", "Hamburg", "DE")
    entry = AuditEntry.objects.filter(action="venue.updated", object_id=str(venue.id)).order_by("id").first()
    assert entry.changes == {"capacity": {"from": 100, "to": 150}}


def test_put_needs_the_name(client_owner, org):
    venue = VenueFactory(organization=org, name="Loft")
    response = client_owner.put(f"{VENUES}/{venue.id}", {"city": "Hamburg"}, format="json")
    assert response.status_code == 400
    assert error_of(response)["target"] == "name"
    venue.refresh_from_db()
    assert venue.city == "Berlin"


def test_delete_an_unused_venue(client_owner, org):
    venue = VenueFactory(organization=org)
    assert client_owner.delete(f"{VENUES}/{venue.id}").status_code == 204
    assert not Venue.objects.filter(pk=venue.id).exists()
    assert AuditEntry.objects.filter(action="venue.deleted", object_id=str(venue.id)).exists()


def test_a_venue_used_by_an_event_cannot_be_deleted(client_owner, org):
    venue = VenueFactory(organization=org)
    EventFactory(organization=org, venue=venue)
    response = client_owner.delete(f"{VENUES}/{venue.id}")
    assert response.status_code == 409
    assert error_of(response)["code"] == "VENUE_IN_USE"
    assert Venue.objects.filter(pk=venue.id).exists()


def test_another_organizations_venue_is_not_found(client_owner, other_org):
    venue = VenueFactory(organization=other_org, name="Theirs")
    assert client_owner.get(f"{VENUES}/{venue.id}").status_code == 404
    response = client_owner.patch(f"{VENUES}/{venue.id}", {"name": "Ours"}, format="json")
    assert response.status_code == 404
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"
    assert client_owner.delete(f"{VENUES}/{venue.id}").status_code == 404
    venue.refresh_from_db()
    assert venue.name == "Theirs"


def test_a_malformed_id_is_not_found(client_owner):
    assert client_owner.get(f"{VENUES}/not-a-uuid").status_code == 404


def test_malformed_json(client_owner):
    response = client_owner.post(VENUES, data='{"name": "x"', content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "MALFORMED_JSON"
    assert Venue.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "code", "target"),
    [
        ({}, "VALIDATION_ERROR", "name"),
        ({"name": ""}, "VALIDATION_ERROR", "name"),
        ({"name": "Hall", "capacity": "abc"}, "VALIDATION_ERROR", "capacity"),
        ({"name": "Hall", "capacity": 0}, "VALIDATION_ERROR", "capacity"),
        ({"name": "Hall", "capacity": 1.5}, "VALIDATION_ERROR", "capacity"),
        ({"name": "Hall", "country": "Germany"}, "VALIDATION_ERROR", "country"),
        ({"name": "Hall", "city": "x" * 121}, "VALIDATION_ERROR", "city"),
        ({"name": "Hall", "postalCode": "10115"}, "UNKNOWN_FIELD", "postalCode"),
    ],
)
def test_bad_venue_input_changes_nothing(client_owner, data, code, target):
    response = client_owner.post(VENUES, data, format="json")
    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert error["code"] == code
    assert error["target"] == target
    assert Venue.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_several_unknown_fields_are_all_named(client_owner):
    response = client_owner.post(VENUES, {"name": "Hall", "postalCode": "1", "floorCount": 2}, format="json")
    error = error_of(response)
    assert error["code"] == "UNKNOWN_FIELD"
    assert sorted(d["target"] for d in error["details"]) == ["floorCount", "postalCode"]


def test_bad_patch_changes_nothing(client_owner, org):
    venue = VenueFactory(organization=org, capacity=100)
    response = client_owner.patch(f"{VENUES}/{venue.id}", {"capacity": -5}, format="json")
    assert response.status_code == 400
    venue.refresh_from_db()
    assert venue.capacity == 100


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CHECKIN, Role.FINANCE])
def test_read_only_roles_cannot_change_venues(api, member, org, role):
    venue = VenueFactory(organization=org, name="Kept")
    client = api(member(role))
    assert client.get(VENUES).status_code == 200
    assert client.get(f"{VENUES}/{venue.id}").status_code == 200
    for response in (
        client.post(VENUES, {"name": "New"}, format="json"),
        client.patch(f"{VENUES}/{venue.id}", {"name": "Changed"}, format="json"),
        client.put(f"{VENUES}/{venue.id}", {"name": "Changed"}, format="json"),
        client.delete(f"{VENUES}/{venue.id}"),
    ):
        assert response.status_code == 403
        assert error_of(response)["code"] == "PERMISSION_DENIED"
    assert list(Venue.objects.values_list("name", flat=True)) == ["Kept"]


def test_editor_can_manage_venues(api, member):
    client = api(member(Role.EDITOR))
    created = client.post(VENUES, {"name": "Editor Hall"}, format="json")
    assert created.status_code == 201
    assert client.delete(f"{VENUES}/{created.json()['id']}").status_code == 204


def test_stale_if_match_on_a_venue_is_refused(client_owner, org):
    venue = VenueFactory(organization=org, name="Loft")
    etag = client_owner.get(f"{VENUES}/{venue.id}")["ETag"]
    client_owner.patch(f"{VENUES}/{venue.id}", {"city": "Hamburg"}, format="json")
    response = client_owner.patch(f"{VENUES}/{venue.id}", {"name": "Lost"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert error_of(response)["code"] == "PRECONDITION_FAILED"
    venue.refresh_from_db()
    assert venue.name == "Loft"
    fresh = client_owner.get(f"{VENUES}/{venue.id}")["ETag"]
    assert client_owner.patch(f"{VENUES}/{venue.id}", {"name": "Won"}, format="json", HTTP_IF_MATCH=fresh).status_code == 200
