"""The read cache serves repeated GETs and never outlives a committed write of the organization."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import Role
from core.audit import SYSTEM
from events import services
from tests.conftest import error_of
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def read_cache(settings):
    settings.API_READ_CACHE_SECONDS = 60
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "readcache-tests"}}
    cache.clear()
    yield
    cache.clear()


def test_a_repeated_read_is_served_from_the_cache_without_touching_events(client_owner, org, django_assert_max_num_queries):
    EventFactory(organization=org, title="Cached")
    first = client_owner.get("/api/v1/events")
    assert first["X-Cache"] == "miss"

    with django_assert_max_num_queries(3):  # session, user, membership: nothing about events
        second = client_owner.get("/api/v1/events")

    assert second.status_code == 200
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    for header in ("ETag", "Last-Modified", "Link", "X-Total-Count", "Content-Type"):
        assert second[header] == first[header]
    assert second["X-Correlation-ID"] != first["X-Correlation-ID"]


def test_a_write_through_the_api_retires_cached_reads(client_owner, org):
    event = EventFactory(organization=org, title="Before")
    url = f"/api/v1/events/{event.id}"
    client_owner.get(url)
    client_owner.get("/api/v1/events")

    assert client_owner.patch(url, {"title": "After"}, format="json").status_code == 200

    detail = client_owner.get(url)
    listing = client_owner.get("/api/v1/events")
    assert detail["X-Cache"] == "miss" and detail.json()["title"] == "After"
    assert listing["X-Cache"] == "miss" and listing.json()["data"][0]["title"] == "After"


def test_a_write_through_a_service_retires_nested_reads_too(client_owner, org):
    session = SessionFactory(event=EventFactory(organization=org), title="Old talk")
    url = f"/api/v1/events/{session.event_id}/sessions"
    assert client_owner.get(url).json()["data"][0]["title"] == "Old talk"

    services.session_update(actor=SYSTEM, session=session, data={"title": "New talk"})

    response = client_owner.get(url)
    assert response["X-Cache"] == "miss"
    assert response.json()["data"][0]["title"] == "New talk"


def test_a_write_in_the_model_admin_retires_cached_reads(console, root, member, org):
    event = EventFactory(organization=org)
    client = console(member(Role.EDITOR))
    client.get("/api/v1/events")

    console(root).post(
        reverse("admin:events_event_changelist"), {"action": "publish_events", "_selected_action": [str(event.id)]}
    )

    response = client.get("/api/v1/events")
    assert response["X-Cache"] == "miss"
    assert response.json()["data"][0]["status"] == "published"


def test_another_organization_never_sees_a_cached_read(api, member, org, other_org, client_owner):
    event = EventFactory(organization=org)
    client_owner.get(f"/api/v1/events/{event.id}")
    client_owner.get("/api/v1/events")
    rival = api(member(Role.OWNER, organization=other_org))

    detail = rival.get(f"/api/v1/events/{event.id}")
    assert detail.status_code == 404 and error_of(detail)["code"] == "RESOURCE_NOT_FOUND"
    listing = rival.get("/api/v1/events")
    assert listing["X-Cache"] == "miss" and listing.json()["data"] == []


def test_permissions_are_checked_before_the_cache_answers(api, member, org, client_owner):
    EventFactory(organization=org)
    client_owner.get("/api/v1/events")
    assert api().get("/api/v1/events").status_code == 401


def test_a_cached_read_still_answers_304_to_a_current_etag(client_owner, org):
    EventFactory(organization=org)
    etag = client_owner.get("/api/v1/events")["ETag"]
    response = client_owner.get("/api/v1/events", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag and response.content == b""


def test_the_cache_is_off_unless_configured(settings, client_owner, org):
    settings.API_READ_CACHE_SECONDS = 0
    EventFactory(organization=org)
    client_owner.get("/api/v1/events")
    assert not client_owner.get("/api/v1/events").has_header("X-Cache")


def test_with_the_cache_off_writes_leave_the_cache_alone(settings, org):
    settings.API_READ_CACHE_SECONDS = 0
    services.venue_create(actor=SYSTEM, organization=org, data={"name": "Hall", "city": "Oslo"})
    assert cache.get(f"orggen:{org.id}") is None

    settings.API_READ_CACHE_SECONDS = 60
    services.venue_create(actor=SYSTEM, organization=org, data={"name": "Annex", "city": "Oslo"})
    assert cache.get(f"orggen:{org.id}") is not None
