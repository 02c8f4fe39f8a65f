"""Users API: the organization's members and roles, and one's own profile."""

from __future__ import annotations

import uuid

import pytest

from accounts.models import Membership
from accounts.roles import Role
from core.models import AuditEntry
from tests.conftest import error_of, membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(member, owner):
    # A fixed name: a generated one ("Adams", "Canada"...) may match the searches below.
    owner.name = "Olive Owner"
    owner.save(update_fields=["name"])
    return {
        "owner": owner,
        "admin": member(Role.ADMIN, email="admin@acme.example", name="Ada Admin"),
        "editor": member(Role.EDITOR, email="editor@acme.example", name="Ed Editor"),
        "viewer": member(Role.VIEWER, email="viewer@acme.example", name="Vic Viewer"),
    }


# -- listing -------------------------------------------------------------------------
def test_list_members_with_roles(client_owner, team):
    response = client_owner.get("/api/v1/users")
    assert response.status_code == 200
    rows = response.json()["data"]
    assert [(r["email"], r["role"]) for r in rows] == [
        ("admin@acme.example", "admin"),
        ("editor@acme.example", "editor"),
        ("owner@acme.example", "owner"),
        ("viewer@acme.example", "viewer"),
    ]
    assert set(rows[0]) == {"id", "email", "name", "role", "joinedAt", "updatedAt"}


def test_every_member_may_list(api, team):
    assert api(team["viewer"]).get("/api/v1/users").status_code == 200


def test_filter_by_role(client_owner, team):
    rows = client_owner.get("/api/v1/users?role=editor").json()["data"]
    assert [r["email"] for r in rows] == ["editor@acme.example"]


def test_filter_by_unknown_role_is_400(client_owner, team):
    response = client_owner.get("/api/v1/users?role=king")
    assert response.status_code == 400
    assert error_of(response)["target"] == "role"


@pytest.mark.parametrize(("q", "expected"), [("ada", ["admin@acme.example"]), ("VIEWER@", ["viewer@acme.example"])])
def test_search_by_name_or_email(client_owner, team, q, expected):
    assert [r["email"] for r in client_owner.get(f"/api/v1/users?q={q}").json()["data"]] == expected


def test_list_excludes_other_organizations(client_owner, team, other_org):
    MembershipFactory(organization=other_org, user=UserFactory(email="stranger@rival.example"))
    emails = [r["email"] for r in client_owner.get("/api/v1/users").json()["data"]]
    assert "stranger@rival.example" not in emails


def test_get_one_member(client_owner, team):
    response = client_owner.get(f"/api/v1/users/{team['editor'].id}")
    assert response.status_code == 200
    assert response.json()["role"] == "editor"
    assert response.json()["id"] == str(team["editor"].id)


def test_another_organizations_user_is_404(client_owner, other_org):
    stranger = UserFactory()
    MembershipFactory(organization=other_org, user=stranger)
    response = client_owner.get(f"/api/v1/users/{stranger.id}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "RESOURCE_NOT_FOUND"


def test_unknown_user_is_404(client_owner):
    assert client_owner.get(f"/api/v1/users/{uuid.uuid4()}").status_code == 404


# -- roles ---------------------------------------------------------------------------
@pytest.mark.parametrize("actor", ["owner", "admin"])
def test_owner_and_admin_change_roles(api, team, org, actor):
    response = api(team[actor]).patch(f"/api/v1/users/{team['viewer'].id}", {"role": "editor"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["role"] == "editor"
    assert membership(team["viewer"], org).role == Role.EDITOR
    entry = AuditEntry.objects.get(action="membership.role_changed")
    assert entry.changes == {"role": {"from": "viewer", "to": "editor"}}
    assert entry.actor_id == str(team[actor].id)
    assert entry.organization_id == org.id


def test_patch_tolerates_read_only_fields_sent_back(client_owner, team):
    current = client_owner.get(f"/api/v1/users/{team['viewer'].id}").json()
    response = client_owner.patch(f"/api/v1/users/{team['viewer'].id}", {**current, "role": "editor"}, format="json")
    assert response.status_code == 200


def test_role_change_honours_if_match_checked_under_the_memberships_lock(client_owner, team, org):
    url = f"/api/v1/users/{team['viewer'].id}"
    etag = client_owner.get(url)["ETag"]
    assert client_owner.patch(url, {"role": "editor"}, format="json", HTTP_IF_MATCH=etag).status_code == 200

    stale = client_owner.patch(url, {"role": "admin"}, format="json", HTTP_IF_MATCH=etag)

    assert stale.status_code == 412
    assert error_of(stale)["code"] == "PRECONDITION_FAILED"
    assert membership(team["viewer"], org).role == Role.EDITOR


def test_unknown_role_is_400(client_owner, team):
    response = client_owner.patch(f"/api/v1/users/{team['viewer'].id}", {"role": "king"}, format="json")
    assert response.status_code == 400
    assert error_of(response)["target"] == "role"


def test_owner_may_grant_owner(client_owner, team, org):
    response = client_owner.patch(f"/api/v1/users/{team['admin'].id}", {"role": "owner"}, format="json")
    assert response.status_code == 200
    assert membership(team["admin"], org).role == Role.OWNER


def test_admin_cannot_grant_owner(api, team, org):
    response = api(team["admin"]).patch(f"/api/v1/users/{team['editor'].id}", {"role": "owner"}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "OWNER_ROLE_RESTRICTED"
    assert membership(team["editor"], org).role == Role.EDITOR


def test_admin_cannot_demote_an_owner(api, team, org):
    response = api(team["admin"]).patch(f"/api/v1/users/{team['owner'].id}", {"role": "viewer"}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "OWNER_ROLE_RESTRICTED"
    assert membership(team["owner"], org).role == Role.OWNER


def test_demoting_the_last_owner_is_409(client_owner, team, org):
    response = client_owner.patch(f"/api/v1/users/{team['owner'].id}", {"role": "admin"}, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "LAST_OWNER"
    assert membership(team["owner"], org).role == Role.OWNER


def test_demoting_an_owner_when_another_remains(client_owner, team, org, member):
    second = member(Role.OWNER)
    response = client_owner.patch(f"/api/v1/users/{second.id}", {"role": "admin"}, format="json")
    assert response.status_code == 200
    assert membership(second, org).role == Role.ADMIN


@pytest.mark.parametrize("actor", ["editor", "viewer"])
def test_editor_and_viewer_cannot_change_roles(api, team, org, actor):
    response = api(team[actor]).patch(f"/api/v1/users/{team['viewer'].id}", {"role": "admin"}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "PERMISSION_DENIED"
    assert membership(team["viewer"], org).role == Role.VIEWER


def test_same_role_is_a_no_op(client_owner, team):
    response = client_owner.patch(f"/api/v1/users/{team['viewer'].id}", {"role": "viewer"}, format="json")
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="membership.role_changed").exists()


# -- removal -------------------------------------------------------------------------
def test_remove_member(client_owner, team, org):
    response = client_owner.delete(f"/api/v1/users/{team['editor'].id}")
    assert response.status_code == 204
    assert not Membership.objects.filter(user=team["editor"], organization=org).exists()
    assert team["editor"].__class__.objects.filter(pk=team["editor"].pk).exists(), "the user account stays"
    assert AuditEntry.objects.filter(action="membership.removed", organization_id=org.id).exists()
    assert client_owner.get(f"/api/v1/users/{team['editor'].id}").status_code == 404


def test_removing_the_last_owner_is_409(client_owner, team, org):
    response = client_owner.delete(f"/api/v1/users/{team['owner'].id}")
    assert response.status_code == 409
    assert error_of(response)["code"] == "LAST_OWNER"
    assert Membership.objects.filter(user=team["owner"], organization=org).exists()


def test_admin_cannot_remove_an_owner(api, team, org, member):
    member(Role.OWNER)
    response = api(team["admin"]).delete(f"/api/v1/users/{team['owner'].id}")
    assert response.status_code == 403
    assert error_of(response)["code"] == "OWNER_ROLE_RESTRICTED"


def test_viewer_cannot_remove(api, team, org):
    response = api(team["viewer"]).delete(f"/api/v1/users/{team['editor'].id}")
    assert response.status_code == 403
    assert Membership.objects.filter(user=team["editor"], organization=org).exists()


def test_removing_another_organizations_user_is_404(client_owner, other_org):
    stranger = UserFactory()
    MembershipFactory(organization=other_org, user=stranger)
    assert client_owner.delete(f"/api/v1/users/{stranger.id}").status_code == 404
    assert Membership.objects.filter(user=stranger).exists()


# -- /users/me -------------------------------------------------------------------------
def test_me_shows_profile_and_memberships(client_owner, owner, org):
    response = client_owner.get("/api/v1/users/me")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "owner@acme.example"
    assert body["timeZone"] == "UTC"
    assert body["communicationPreferences"] == {"eventUpdates": True, "reminders": True, "marketing": False, "productNews": False}
    assert body["memberships"][0]["organizationId"] == str(org.id)
    assert body["memberships"][0]["role"] == "owner"
    assert "members.manage" in body["memberships"][0]["permissions"]


def test_patch_me(client_owner, owner):
    response = client_owner.patch(
        "/api/v1/users/me", {"name": "Olivia Owner", "locale": "de-DE", "timeZone": "Europe/Berlin"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["name"], body["locale"], body["timeZone"]) == ("Olivia Owner", "de-DE", "Europe/Berlin")
    owner.refresh_from_db()
    assert (owner.name, owner.locale, owner.time_zone) == ("Olivia Owner", "de-DE", "Europe/Berlin")
    entry = AuditEntry.objects.get(action="user.profile_updated")
    assert entry.changes["time_zone"] == {"from": "UTC", "to": "Europe/Berlin"}


def test_communication_preferences_merge(client_owner, owner):
    response = client_owner.patch("/api/v1/users/me", {"communicationPreferences": {"marketing": True}}, format="json")
    assert response.status_code == 200
    assert response.json()["communicationPreferences"] == {
        "eventUpdates": True,
        "reminders": True,
        "marketing": True,
        "productNews": False,
    }
    response = client_owner.patch("/api/v1/users/me", {"communicationPreferences": {"productNews": True}}, format="json")
    assert response.json()["communicationPreferences"]["marketing"] is True
    assert response.json()["communicationPreferences"]["productNews"] is True
    owner.refresh_from_db()
    assert owner.communication_preferences["productNews"] is True


def test_bad_time_zone_is_400(client_owner):
    response = client_owner.patch("/api/v1/users/me", {"timeZone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR"
    assert error["target"] == "timeZone"


@pytest.mark.parametrize("locale", ["english", "e", "en_US", ""])
def test_bad_locale_is_400(client_owner, locale):
    response = client_owner.patch("/api/v1/users/me", {"locale": locale}, format="json")
    assert response.status_code == 400
    assert error_of(response)["target"] == "locale"


def test_email_is_read_only(client_owner, owner):
    response = client_owner.patch("/api/v1/users/me", {"email": "new@acme.example", "name": "N"}, format="json")
    assert response.status_code == 200
    assert response.json()["email"] == "owner@acme.example"
    owner.refresh_from_db()
    assert owner.email == "owner@acme.example"


def test_me_round_trip_of_the_read_representation(client_owner):
    current = client_owner.get("/api/v1/users/me").json()
    current.pop("memberships")
    response = client_owner.patch("/api/v1/users/me", {**current, "name": "Round Trip"}, format="json")
    assert response.status_code == 200, response.json()


def test_unknown_profile_field_is_400(client_owner):
    response = client_owner.patch("/api/v1/users/me", {"isStaff": True}, format="json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "UNKNOWN_FIELD"


def test_unchanged_profile_writes_no_audit_entry(client_owner, owner):
    client_owner.patch("/api/v1/users/me", {"locale": owner.locale}, format="json")
    assert not AuditEntry.objects.filter(action="user.profile_updated").exists()
