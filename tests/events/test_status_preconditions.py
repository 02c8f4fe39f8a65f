"""Status actions honour If-Match like any other write: a stale ETag changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditEntry
from events.models import EventStatus, SessionStatus
from tests.conftest import error_of
from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "body", "status", "expected"),
    [
        ("publish", {}, EventStatus.DRAFT, EventStatus.PUBLISHED),
        ("cancel", {"reason": "Venue flooded"}, EventStatus.PUBLISHED, EventStatus.CANCELLED),
        ("complete", {}, EventStatus.PUBLISHED, EventStatus.COMPLETED),
    ],
)
def test_event_status_actions_check_if_match(client_owner, org, action, body, status, expected):
    event = EventFactory(organization=org, status=status, starts_at=timezone.now() - dt.timedelta(days=2))
    url = f"/api/v1/events/{event.id}"
    etag = client_owner.get(url)["ETag"]

    stale = client_owner.post(f"{url}/{action}", body, format="json", HTTP_IF_MATCH='"0000"')
    assert stale.status_code == 412
    assert error_of(stale)["code"] == "PRECONDITION_FAILED"
    event.refresh_from_db()
    assert event.status == status
    assert not AuditEntry.objects.filter(object_id=str(event.id)).exists()

    fresh = client_owner.post(f"{url}/{action}", body, format="json", HTTP_IF_MATCH=etag)
    assert fresh.status_code == 200, fresh.json()
    assert fresh.json()["status"] == expected


def test_session_cancel_checks_if_match(client_owner, org):
    session = SessionFactory(event=EventFactory(organization=org))
    url = f"/api/v1/events/{session.event_id}/sessions/{session.id}"
    etag = client_owner.get(url)["ETag"]
    client_owner.patch(url, {"title": "Renamed meanwhile"}, format="json")

    stale = client_owner.post(f"{url}/cancel", {"reason": "Speaker ill"}, format="json", HTTP_IF_MATCH=etag)

    assert stale.status_code == 412
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    fresh = client_owner.post(
        f"{url}/cancel", {"reason": "Speaker ill"}, format="json", HTTP_IF_MATCH=client_owner.get(url)["ETag"]
    )
    assert fresh.status_code == 200 and fresh.json()["status"] == SessionStatus.CANCELLED
