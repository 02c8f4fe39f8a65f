import pytest

from accounts.roles import Role
from tests.conftest import error_of

pytestmark = pytest.mark.django_db


def _create_venue(client, name="Hall"):
    response = client.post("/api/v1/venues", {"name": name, "capacity": 50}, format="json", HTTP_X_CORRELATION_ID="corr-audit-1")
    assert response.status_code == 201
    return response.json()


def test_owner_reads_the_audit_log_of_their_writes(client_owner, owner):
    venue = _create_venue(client_owner)
    client_owner.patch(f"/api/v1/venues/{venue['id']}", {"capacity": 80}, format="json")

    response = client_owner.get("/api/v1/audit-log", {"objectId": venue["id"]})

    assert response.status_code == 200
    entries = response.json()["data"]
    assert [e["action"] for e in entries] == ["venue.updated", "venue.created"]
    assert entries[0]["changes"] == {"capacity": {"from": 50, "to": 80}}
    assert entries[1]["correlationId"] == "corr-audit-1"
    assert entries[1]["actorLabel"] == owner.email
    detail = client_owner.get(f"/api/v1/audit-log/{entries[0]['id']}")
    assert detail.status_code == 200 and detail.json()["action"] == "venue.updated"


def test_audit_log_filters_by_action_prefix(client_owner):
    _create_venue(client_owner)
    client_owner.post(
        "/api/v1/events",
        {
            "title": "Online",
            "startsAt": "2030-01-01T10:00:00Z",
            "endsAt": "2030-01-01T11:00:00Z",
            "attendanceMode": "online",
            "onlineUrl": "https://meet.example/x",
        },
        format="json",
    )
    actions = [e["action"] for e in client_owner.get("/api/v1/audit-log", {"action": "event."}).json()["data"]]
    assert actions == ["event.created"]


def test_editor_may_not_read_the_audit_log(api, member):
    editor = member(Role.EDITOR)
    response = api(editor).get("/api/v1/audit-log")
    assert response.status_code == 403
    assert error_of(response)["code"] == "PERMISSION_DENIED"


def test_another_organizations_entries_are_invisible(api, member, other_org, client_owner):
    venue = _create_venue(client_owner)
    rival = member(Role.OWNER, organization=other_org)
    client = api(rival)
    assert client.get("/api/v1/audit-log").json()["data"] == []
    own_entry = client_owner.get("/api/v1/audit-log", {"objectId": venue["id"]}).json()["data"][0]
    response = client.get(f"/api/v1/audit-log/{own_entry['id']}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"
