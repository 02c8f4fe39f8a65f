"""The team page: members and pending invitations, inviting, accepting, revoking, removing; switching organizations."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts import services
from accounts.models import Invitation, Membership, OrganizationKind
from accounts.roles import Role
from core.models import AuditEntry
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.portal.helpers import link_in_last_email, sign_in, sign_up, verify

pytestmark = pytest.mark.django_db


def invite(client, email, role=Role.ADMIN, capture=None):
    with capture(execute=True):
        return client.post("/portal/team/invitations/", {"email": email, "role": role})


def test_the_team_page_lists_members_and_pending_invitations(client, dev_member, dev_org):
    owner = dev_member(Role.OWNER, email="owner@labs.example")
    dev_member(Role.VIEWER, email="viewer@labs.example")
    Invitation.objects.create(
        organization=dev_org,
        email="pending@labs.example",
        role=Role.ADMIN,
        token_hash="x" * 64,
        expires_at="2099-01-01T00:00:00Z",
    )
    client.force_login(owner)
    html = client.get("/portal/team/").content.decode()
    assert "owner@labs.example" in html and "viewer@labs.example" in html and "pending@labs.example" in html
    assert "Invite a teammate" in html


def test_an_empty_invitation_list_says_so(client, dev_member):
    client.force_login(dev_member(Role.OWNER))
    assert "No pending invitations." in client.get("/portal/team/").content.decode()


def test_invite_sign_up_verify_and_accept_through_the_emailed_link(
    client, dev_member, dev_org, django_capture_on_commit_callbacks
):
    owner = dev_member(Role.OWNER)
    client.force_login(owner)
    response = invite(client, "newbie@labs.example", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    invitation = Invitation.objects.get(organization=dev_org, email="newbie@labs.example")
    link = link_in_last_email("newbie@labs.example", r"https?://\S+/portal/invitations/\S+/")
    client.logout()

    invitee = client.__class__()
    assert invitee.get(link)["Location"].startswith("/portal/accounts/login/")
    sign_up(invitee, "newbie@labs.example")
    verify(invitee, "newbie@labs.example")
    assert sign_in(invitee, "newbie@labs.example", next_url=link)["Location"] == link
    page = invitee.get(link)
    assert page.status_code == 200 and "Join Partner Labs" in page.content.decode()
    response = invitee.post(link)
    assert response.status_code == 302 and response["Location"] == "/portal/dashboard/"
    assert Membership.objects.get(organization=dev_org, user__email="newbie@labs.example").role == Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    # The session now works in the organization joined; the user's own one is a switch away.
    assert "Partner Labs" in invitee.get("/portal/dashboard/").content.decode()
    assert invitee.post(link).status_code == 404  # used


def test_an_invitation_link_for_another_address_is_refused(client, dev_member, dev_org, django_capture_on_commit_callbacks):
    client.force_login(dev_member(Role.OWNER))
    invite(client, "someone@labs.example", capture=django_capture_on_commit_callbacks)
    link = link_in_last_email("someone@labs.example", r"https?://\S+/portal/invitations/\S+/")
    client.force_login(dev_member(Role.VIEWER, organization=OrganizationFactory(kind=OrganizationKind.DEVELOPER)))
    response = client.post(link)
    assert response.status_code == 404 and "cannot be used" in response.content.decode()
    assert not Membership.objects.filter(organization=dev_org, role=Role.ADMIN).exists()


def test_inviting_an_existing_member_shows_the_error_beside_the_field(client, dev_member):
    owner = dev_member(Role.OWNER, email="me@labs.example")
    client.force_login(owner)
    response = client.post("/portal/team/invitations/", {"email": "me@labs.example", "role": Role.ADMIN})
    assert response.status_code == 400
    assert "field-invalid" in response.content.decode()
    assert mail.outbox == []


def test_an_admin_cannot_invite_an_owner(client, dev_member):
    client.force_login(dev_member(Role.ADMIN))
    response = client.post("/portal/team/invitations/", {"email": "boss@labs.example", "role": Role.OWNER})
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="boss@labs.example").exists()


def test_revoke_an_invitation(client, dev_member, dev_org, django_capture_on_commit_callbacks):
    client.force_login(dev_member(Role.ADMIN))
    invite(client, "later@labs.example", role=Role.VIEWER, capture=django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(email="later@labs.example")
    response = client.post(f"/portal/team/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert AuditEntry.objects.filter(action="invitation.revoked", object_id=str(invitation.pk)).exists()


def test_remove_a_member_needs_owner_or_admin_and_keeps_the_last_owner(client, dev_member, dev_org):
    owner = dev_member(Role.OWNER)
    admin = dev_member(Role.ADMIN)
    viewer = dev_member(Role.VIEWER)

    client.force_login(viewer)
    assert client.post(f"/portal/team/members/{admin.pk}/remove/").status_code == 403
    assert "Invite a teammate" not in client.get("/portal/team/").content.decode()

    client.force_login(admin)
    assert client.post(f"/portal/team/members/{owner.pk}/remove/").status_code == 302
    assert Membership.objects.filter(user=owner, organization=dev_org).exists()  # admins do not remove owners

    client.force_login(owner)
    assert client.post(f"/portal/team/members/{viewer.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(user=viewer, organization=dev_org).exists()
    assert AuditEntry.objects.filter(action="membership.removed", organization_id=dev_org.pk).exists()
    response = client.post(f"/portal/team/members/{owner.pk}/remove/", follow=True)
    assert Membership.objects.filter(user=owner, organization=dev_org).exists()
    assert "message-error" in response.content.decode()


def test_switching_organizations_is_kept_in_the_session(client, dev_member, dev_org):
    user = dev_member(Role.OWNER)
    second = OrganizationFactory(name="Side Project", kind=OrganizationKind.DEVELOPER)
    MembershipFactory(user=user, organization=second, role=Role.VIEWER)
    client.force_login(user)
    assert "Partner Labs" in client.get("/portal/dashboard/").content.decode().split("<h1>")[1]
    assert client.post("/portal/organizations/switch/", {"organization": str(second.pk)}).status_code == 302
    assert "Side Project" in client.get("/portal/dashboard/").content.decode().split("<h1>")[1]
    assert "Only owners and admins" in client.get("/portal/team/").content.decode()
    # Not one of theirs (another developer organization; an organizer organization): 404.
    foreign = OrganizationFactory(kind=OrganizationKind.DEVELOPER)
    assert client.post("/portal/organizations/switch/", {"organization": str(foreign.pk)}).status_code == 404
    organizer = OrganizationFactory(kind=OrganizationKind.ORGANIZER)
    MembershipFactory(user=user, organization=organizer)
    assert client.post("/portal/organizations/switch/", {"organization": str(organizer.pk)}).status_code == 404
    assert client.post("/portal/organizations/switch/", {"organization": "not-a-uuid"}).status_code == 404


def test_a_user_without_a_developer_organization_sees_an_empty_state(client, member):
    client.force_login(member(Role.OWNER))  # only in an organizer organization
    html = client.get("/portal/dashboard/").content.decode()
    assert "No developer organization yet" in html
    assert client.get("/portal/team/").status_code == 404


def test_an_organizer_organizations_invitation_accepted_in_the_portal_leads_to_the_console(
    client, org, member, django_capture_on_commit_callbacks
):
    owner = member(Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=owner, actor_role=Role.OWNER, organization=org, email="staff@acme.example", role=Role.EDITOR, invited_by=owner
        )
    link = link_in_last_email("staff@acme.example", r"https?://\S+/portal/invitations/\S+/")
    client.force_login(UserFactory(email="staff@acme.example"))
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == "/console/"
    assert Membership.objects.get(organization=org, user__email="staff@acme.example").role == Role.EDITOR
