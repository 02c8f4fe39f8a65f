"""Invitations: invite by email, revoke, accept with the emailed token."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, Membership
from accounts.roles import Role
from core.models import AuditEntry
from tests.conftest import error_of
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(client, email="new@example.com", role="editor"):
    return client.post("/api/v1/invitations", {"email": email, "role": role}, format="json")


def token_from_outbox(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    match = re.search(r'"token": "([^"]+)"', message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invited(client_owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_owner)
    assert response.status_code == 201, response.json()
    return response.json()


def test_owner_invites_and_the_token_is_mailed(invited, org):
    assert invited["email"] == "new@example.com"
    assert invited["role"] == "editor"
    assert invited["status"] == "pending"
    assert invited["invitedBy"] == "owner@acme.example"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.com"]
    assert "Acme Events" in message.subject
    token = token_from_outbox("new@example.com")
    stored = Invitation.objects.get(pk=invited["id"])
    assert token not in stored.token_hash, "only a hash is stored"
    assert token not in str(invited)
    assert AuditEntry.objects.filter(action="invitation.created", organization_id=org.id).exists()


def test_invite_answers_location(client_owner):
    response = invite(client_owner)
    assert response["Location"].endswith(f"/api/v1/invitations/{response.json()['id']}")


def test_no_mail_when_the_transaction_rolls_back(client_owner):
    # The mail goes out on commit; the test transaction never commits.
    invite(client_owner)
    assert mail.outbox == []


def test_email_is_normalised(client_owner):
    response = invite(client_owner, email="  New@Example.COM ")
    assert response.status_code == 201
    assert response.json()["email"] == "new@example.com"


def test_duplicate_pending_invitation_is_409(client_owner, invited):
    response = invite(client_owner, email="NEW@example.com", role="viewer")
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "INVITATION_PENDING"
    assert error["target"] == "email"
    assert Invitation.objects.count() == 1


def test_expired_invitation_does_not_block_a_new_one(client_owner, invited):
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = invite(client_owner)
    assert response.status_code == 201
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_inviting_a_member_is_409(client_owner, member):
    member(Role.VIEWER, email="already@acme.example")
    response = invite(client_owner, email="Already@acme.example")
    assert response.status_code == 409
    assert error_of(response)["code"] == "ALREADY_MEMBER"


def test_admin_invites_but_not_as_owner(api, member):
    admin = member(Role.ADMIN)
    assert invite(api(admin), role="admin").status_code == 201
    response = invite(api(admin), email="boss@example.com", role="owner")
    assert response.status_code == 403
    assert error_of(response)["code"] == "OWNER_ROLE_RESTRICTED"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER, Role.FINANCE, Role.CHECKIN])
def test_other_roles_cannot_invite_or_list(api, member, role):
    client = api(member(role))
    assert invite(client).status_code == 403
    assert client.get("/api/v1/invitations").status_code == 403


def test_invalid_invitation_body_is_400(client_owner):
    response = client_owner.post("/api/v1/invitations", {"email": "nope", "role": "king"}, format="json")
    assert response.status_code == 400
    assert {d["target"] for d in error_of(response)["details"]} == {"email", "role"}


def test_list_and_filter_pending(client_owner, invited):
    other = invite(client_owner, email="gone@example.com").json()
    client_owner.delete(f"/api/v1/invitations/{other['id']}")
    rows = client_owner.get("/api/v1/invitations").json()["data"]
    assert {r["email"]: r["status"] for r in rows} == {"new@example.com": "pending", "gone@example.com": "revoked"}
    pending = client_owner.get("/api/v1/invitations?status=pending").json()["data"]
    assert [r["email"] for r in pending] == ["new@example.com"]


def test_get_one(client_owner, invited):
    response = client_owner.get(f"/api/v1/invitations/{invited['id']}")
    assert response.status_code == 200
    assert response.json()["id"] == invited["id"]


def test_revoke(client_owner, invited, org):
    response = client_owner.delete(f"/api/v1/invitations/{invited['id']}")
    assert response.status_code == 204
    assert Invitation.objects.get(pk=invited["id"]).status == "revoked"
    assert AuditEntry.objects.filter(action="invitation.revoked").exists()
    again = client_owner.delete(f"/api/v1/invitations/{invited['id']}")
    assert again.status_code == 404
    assert error_of(again)["code"] == "INVITATION_INVALID"


# -- accepting -------------------------------------------------------------------------
def accept(api, user, token):
    return api(user).post("/api/v1/invitations/accept", {"token": token}, format="json")


def test_invited_user_accepts(api, invited, org):
    token = token_from_outbox("new@example.com")
    user = UserFactory(email="new@example.com")
    response = accept(api, user, token)
    assert response.status_code == 201, response.json()
    assert response.json()["memberships"][0]["organizationId"] == str(org.id)
    assert Membership.objects.get(user=user, organization=org).role == Role.EDITOR
    assert Invitation.objects.get(pk=invited["id"]).status == "accepted"
    assert AuditEntry.objects.filter(action="invitation.accepted", organization_id=org.id).exists()
    # ... and is now a member who can read the organization's events
    assert api(user).get("/api/v1/events").status_code == 200


def test_accepting_needs_no_prior_organization(api, invited):
    user = UserFactory(email="new@example.com")
    assert api(user).get("/api/v1/events").status_code == 403  # NO_ORGANIZATION before
    assert accept(api, user, token_from_outbox("new@example.com")).status_code == 201


def test_accept_while_member_of_another_org(api, invited, org, other_org):
    user = UserFactory(email="new@example.com")
    MembershipFactory(user=user, organization=other_org, role=Role.VIEWER)
    assert accept(api, user, token_from_outbox("new@example.com")).status_code == 201
    assert Membership.objects.filter(user=user).count() == 2


def test_email_match_is_case_insensitive(api, invited):
    user = UserFactory(email="NEW@example.com")
    assert accept(api, user, token_from_outbox("new@example.com")).status_code == 201


def _assert_invalid(response):
    assert response.status_code == 404
    assert error_of(response)["code"] == "INVITATION_INVALID"


def test_wrong_user_cannot_accept(api, invited, org):
    intruder = UserFactory(email="intruder@example.com")
    _assert_invalid(accept(api, intruder, token_from_outbox("new@example.com")))
    assert not Membership.objects.filter(user=intruder).exists()
    assert Invitation.objects.get(pk=invited["id"]).status == "pending"


def test_expired_token_is_invalid(api, invited):
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _assert_invalid(accept(api, UserFactory(email="new@example.com"), token_from_outbox("new@example.com")))


def test_revoked_token_is_invalid(api, client_owner, invited):
    client_owner.delete(f"/api/v1/invitations/{invited['id']}")
    _assert_invalid(accept(api, UserFactory(email="new@example.com"), token_from_outbox("new@example.com")))


def test_token_cannot_be_reused(api, invited, org):
    user = UserFactory(email="new@example.com")
    token = token_from_outbox("new@example.com")
    assert accept(api, user, token).status_code == 201
    _assert_invalid(accept(api, user, token))
    assert Membership.objects.filter(user=user, organization=org).count() == 1


def test_unknown_token_is_invalid(api, invited):
    _assert_invalid(accept(api, UserFactory(email="new@example.com"), "not-a-token"))


def test_missing_token_is_400(api):
    response = api(UserFactory()).post("/api/v1/invitations/accept", {}, format="json")
    assert response.status_code == 400
    assert error_of(response)["target"] == "token"


def test_anonymous_cannot_accept(api, invited):
    response = api().post("/api/v1/invitations/accept", {"token": token_from_outbox("new@example.com")}, format="json")
    assert response.status_code == 401
