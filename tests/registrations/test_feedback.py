"""Session feedback: only from attendees checked in to the session, once each; the aggregate."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.roles import Role
from core.models import AuditEntry
from registrations.models import SessionFeedback
from tests.conftest import error_of
from tests.factories import SessionFactory
from tests.registrations.factories import DoorsOpenEventFactory, PublishedEventFactory, RegistrationFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org: Any) -> Any:
    return DoorsOpenEventFactory(organization=org)


@pytest.fixture
def session(event: Any) -> Any:
    return SessionFactory(event=event)


@pytest.fixture
def ticket_type(event: Any) -> Any:
    return TicketTypeFactory(event=event)


@pytest.fixture
def staff(api: Any, member: Any) -> Any:
    return api(member(Role.CHECKIN))


def url(session: Any) -> str:
    return f"/api/v1/events/{session.event_id}/sessions/{session.id}/feedback"


def attended(staff: Any, session: Any, ticket_type: Any) -> Any:
    registration = RegistrationFactory(ticket_type=ticket_type)
    response = staff.post(
        "/api/v1/checkins",
        {"code": registration.ticket_code, "eventId": str(session.event_id), "sessionId": str(session.id)},
        format="json",
    )
    assert response.status_code == 201
    return registration


def test_feedback_once_from_an_attendee(staff, session, ticket_type):
    registration = attended(staff, session, ticket_type)
    response = staff.post(url(session), {"code": registration.ticket_code, "rating": 4, "comment": " Great "}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rating"] == 4 and body["comment"] == "Great" and body["registrationId"] == str(registration.id)
    assert AuditEntry.objects.filter(action="session_feedback.created").count() == 1
    again = staff.post(url(session), {"code": registration.ticket_code, "rating": 1}, format="json")
    assert again.status_code == 409 and error_of(again)["code"] == "FEEDBACK_EXISTS"
    assert SessionFeedback.objects.get().rating == 4


def test_not_attended(staff, session, ticket_type, event):
    registration = RegistrationFactory(ticket_type=ticket_type)
    response = staff.post(url(session), {"code": registration.ticket_code, "rating": 5}, format="json")
    assert response.status_code == 409 and error_of(response)["code"] == "NOT_ATTENDED"
    # Event entry is not session attendance.
    staff.post("/api/v1/checkins", {"code": registration.ticket_code, "eventId": str(event.id)}, format="json")
    assert error_of(staff.post(url(session), {"code": registration.ticket_code, "rating": 5}, format="json"))["code"] == (
        "NOT_ATTENDED"
    )
    # An undone session check-in does not count either.
    other = attended(staff, session, ticket_type)
    checkin = staff.get(f"/api/v1/checkins?registration={other.id}").json()["data"][0]
    assert staff.delete(f"/api/v1/checkins/{checkin['id']}").status_code == 204
    assert error_of(staff.post(url(session), {"code": other.ticket_code, "rating": 5}, format="json"))["code"] == "NOT_ATTENDED"
    assert not SessionFeedback.objects.exists()


def test_unknown_code(staff, session):
    response = staff.post(url(session), {"code": "nope", "rating": 3}, format="json")
    assert response.status_code == 404 and error_of(response)["code"] == "TICKET_NOT_FOUND"


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": "x"}, "rating"),
        ({}, "rating"),
        ({"rating": 3, "code": ""}, "code"),
    ],
)
def test_bad_input(staff, session, ticket_type, body, target):
    registration = attended(staff, session, ticket_type)
    response = staff.post(url(session), {"code": registration.ticket_code, **body}, format="json")
    assert response.status_code == 400
    assert target in {d["target"] for d in error_of(response)["details"]}
    assert not SessionFeedback.objects.exists()


def test_permissions(api, member, staff, session, ticket_type):
    registration = attended(staff, session, ticket_type)
    viewer = api(member(Role.VIEWER))
    response = viewer.post(url(session), {"code": registration.ticket_code, "rating": 3}, format="json")
    assert response.status_code == 403 and error_of(response)["code"] == "PERMISSION_DENIED"
    assert viewer.get(url(session)).status_code == 200
    editor = api(member(Role.EDITOR))  # registrations.manage collects feedback too
    assert editor.post(url(session), {"code": registration.ticket_code, "rating": 3}, format="json").status_code == 201


def test_summary(staff, client_owner, session, ticket_type):
    empty = client_owner.get(url(session))
    assert empty.status_code == 200
    assert empty.json() == {
        "sessionId": str(session.id),
        "count": 0,
        "average": None,
        "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
        "comments": [],
    }
    for rating, comment in [(5, "Loved it"), (4, ""), (2, "Too long")]:
        registration = attended(staff, session, ticket_type)
        staff.post(url(session), {"code": registration.ticket_code, "rating": rating, "comment": comment}, format="json")
    body = client_owner.get(url(session)).json()
    assert body["count"] == 3 and body["average"] == 3.67
    assert body["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert [c["comment"] for c in body["comments"]] == ["Too long", "Loved it"]
    assert body["comments"][0]["createdAt"].endswith("Z")


def test_session_of_another_event_is_404(staff, client_owner, session, org):
    other_event = PublishedEventFactory(organization=org)
    response = client_owner.get(f"/api/v1/events/{other_event.id}/sessions/{session.id}/feedback")
    assert response.status_code == 404 and error_of(response)["code"] == "RESOURCE_NOT_FOUND"


def test_the_model_admin_shows_feedback_read_only(console, root, staff, session, ticket_type):
    registration = attended(staff, session, ticket_type)
    staff.post(url(session), {"code": registration.ticket_code, "rating": 5, "comment": "Bravo"}, format="json")
    client = console(root)
    response = client.get("/admin/registrations/sessionfeedback/")
    assert response.status_code == 200 and "Bravo" in response.content.decode()
    assert client.get("/admin/registrations/sessionfeedback/add/").status_code == 403
