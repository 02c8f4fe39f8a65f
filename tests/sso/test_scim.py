"""SCIM 2.0 against the RFC 7644 examples: create, get, filter ``userName eq``, replace, patch (replace/add/remove),
groups driving roles, deactivation ending access in the organization, and tenancy of tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accounts.models import AccessToken, Membership, User
from accounts.roles import Role
from core.audit import SYSTEM
from core.models import AuditEntry
from sso import scim_services
from sso.models import ScimUser, SsoSession
from tests.sso.conftest import verified_domain

pytestmark = pytest.mark.django_db

SCIM = "/scim/v2"
CT = "application/scim+json"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

# RFC 7644 section 3.3 (the example's userName moved onto the organization's verified domain).
BJENSEN = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "bjensen@acme.example",
    "externalId": "bjensen",
    "name": {"formatted": "Ms. Barbara J Jensen III", "familyName": "Jensen", "givenName": "Barbara"},
}


class Scim:
    def __init__(self, token: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def __getattr__(self, method: str) -> Any:
        def call(path: str, body: dict[str, Any] | None = None) -> Any:
            data = json.dumps(body) if body is not None else None
            return self.client.generic(method.upper(), f"{SCIM}{path}", data or "", content_type=CT)

        return call


@pytest.fixture
def scim(org, provider) -> Scim:
    _, raw = scim_services.scim_token_create(actor=SYSTEM, organization=org, name="Okta", created_by=None)
    return Scim(raw)


def _user_id(scim: Scim, user_name: str) -> str:
    return scim.get(f'/Users?filter=userName eq "{user_name}"').json()["Resources"][0]["id"]


def test_create_get_and_filter_a_user(scim, org):
    created = scim.post("/Users", BJENSEN)
    assert created.status_code == 201, created.content
    assert created["Content-Type"] == CT
    body = created.json()
    assert created["Location"] == body["meta"]["location"] and body["meta"]["resourceType"] == "User"
    assert (body["userName"], body["externalId"], body["active"]) == ("bjensen@acme.example", "bjensen", True)
    assert body["name"]["givenName"] == "Barbara" and body["name"]["familyName"] == "Jensen"
    user = User.objects.get(email="bjensen@acme.example")
    assert Membership.objects.get(user=user, organization=org).role == Role.VIEWER
    assert scim.get(f"/Users/{body['id']}").json()["userName"] == "bjensen@acme.example"
    # RFC 7644 section 3.4.2.2: filter=userName eq "bjensen" (attribute names are case-insensitive)
    found = scim.get('/Users?filter=USERNAME eq "BJensen@acme.example"').json()
    assert found["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == body["id"]
    assert scim.get('/Users?filter=userName eq "nobody@acme.example"').json()["totalResults"] == 0
    bad = scim.get('/Users?filter=name.familyName co "J"')
    assert bad.status_code == 400 and bad.json()["scimType"] == "invalidFilter"
    again = scim.post("/Users", BJENSEN)
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"


def test_a_user_outside_the_verified_domains_is_refused(scim):
    response = scim.post("/Users", {**BJENSEN, "userName": "ceo@rival.example"})
    assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert not User.objects.filter(email="ceo@rival.example").exists()


def test_replace_and_patch_a_user(scim):
    user_id = scim.post("/Users", BJENSEN).json()["id"]
    replaced = scim.put(f"/Users/{user_id}", {**BJENSEN, "name": {"givenName": "Babs", "familyName": "Jensen"}})
    assert replaced.status_code == 200 and replaced.json()["name"]["givenName"] == "Babs"
    # RFC 7644 section 3.5.2.3 (replace with a path) and 3.5.2.1 (add); Entra ID sends "Replace" and "False".
    patched = scim.patch(
        f"/Users/{user_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Replace", "path": "name.familyName", "value": "Jensen-Smith"},
                {"op": "add", "path": "externalId", "value": "bj-2"},
            ],
        },
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["name"]["familyName"] == "Jensen-Smith" and patched.json()["externalId"] == "bj-2"
    removed = scim.patch(f"/Users/{user_id}", {"schemas": [PATCH], "Operations": [{"op": "remove", "path": "externalId"}]})
    assert removed.json()["externalId"] is None
    not_patch = scim.patch(f"/Users/{user_id}", {"Operations": []})
    assert not_patch.status_code == 400


def test_groups_map_to_roles_and_leaving_a_group_loses_the_role(scim, org):
    user_id = scim.post("/Users", BJENSEN).json()["id"]
    user = User.objects.get(email="bjensen@acme.example")
    # RFC 7644 section 3.3: a group with a member
    group = scim.post(
        "/Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "event-admins",
            "members": [{"value": user_id}],
        },
    )
    assert group.status_code == 201, group.content
    group_id = group.json()["id"]
    assert group.json()["members"][0]["value"] == user_id
    assert Membership.objects.get(user=user, organization=org).role == Role.ADMIN
    assert scim.get('/Groups?filter=displayName eq "event-admins"').json()["totalResults"] == 1
    assert scim.get(f"/Users/{user_id}").json()["groups"][0]["display"] == "event-admins"
    # RFC 7644 section 3.5.2.2: remove a member by value filter
    out = scim.patch(
        f"/Groups/{group_id}", {"schemas": [PATCH], "Operations": [{"op": "remove", "path": f'members[value eq "{user_id}"]'}]}
    )
    assert out.status_code == 200 and out.json()["members"] == []
    assert Membership.objects.get(user=user, organization=org).role == Role.VIEWER
    # RFC 7644 section 3.5.2.1: add members
    scim.patch(
        f"/Groups/{group_id}",
        {"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": [{"value": user_id}]}]},
    )
    assert Membership.objects.get(user=user, organization=org).role == Role.ADMIN
    renamed = scim.patch(
        f"/Groups/{group_id}", {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"displayName": "finance"}}]}
    )
    assert renamed.json()["displayName"] == "finance"
    assert Membership.objects.get(user=user, organization=org).role == Role.FINANCE
    assert scim.delete(f"/Groups/{group_id}").status_code == 204
    assert Membership.objects.get(user=user, organization=org).role == Role.VIEWER


def test_deactivation_ends_sessions_and_tokens_in_that_organization(scim, org, other_org, flow, browser, signed_in_user):
    user_id = scim.post("/Users", BJENSEN).json()["id"]
    assert flow.sign_in(browser, "bjensen@acme.example").status_code == 302
    user = User.objects.get(email="bjensen@acme.example")
    assert signed_in_user(browser) == user
    Membership.objects.create(user=user, organization=other_org, role=Role.EDITOR)
    here = AccessToken.objects.create(
        user=user, organization=org, token="a" * 40, expires="2100-01-01T00:00:00Z", scope="events:read"
    )
    elsewhere = AccessToken.objects.create(
        user=user, organization=other_org, token="b" * 40, expires="2100-01-01T00:00:00Z", scope="events:read"
    )
    # Okta's deactivation (RFC 7644 section 3.5.2.3, no path)
    off = scim.patch(f"/Users/{user_id}", {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]})
    assert off.status_code == 200 and off.json()["active"] is False
    assert not Membership.objects.filter(user=user, organization=org).exists()
    assert Membership.objects.filter(user=user, organization=other_org).exists()
    assert signed_in_user(browser) is None and SsoSession.objects.get(user=user).ended_at is not None
    assert not AccessToken.objects.filter(pk=here.pk).exists() and AccessToken.objects.filter(pk=elsewhere.pk).exists()
    assert AuditEntry.objects.filter(action="sso.access_ended", organization_id=org.pk).exists()
    assert scim.get(f"/Users/{user_id}").json()["active"] is False
    # Entra ID's re-activation: path and a string boolean
    on = scim.patch(
        f"/Users/{user_id}", {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": "True"}]}
    )
    assert on.json()["active"] is True and Membership.objects.filter(user=user, organization=org).exists()
    assert scim.delete(f"/Users/{user_id}").status_code == 204
    assert not Membership.objects.filter(user=user, organization=org).exists() and not ScimUser.objects.exists()
    assert scim.get(f"/Users/{user_id}").status_code == 404


def test_tokens_reach_their_own_organization_only(scim, org, other_org, idp_keys):
    user_id = scim.post("/Users", BJENSEN).json()["id"]
    group_id = scim.post("/Groups", {"displayName": "event-admins", "members": [{"value": user_id}]}).json()["id"]
    verified_domain(other_org, None, "rival.example")
    _, raw = scim_services.scim_token_create(actor=SYSTEM, organization=other_org, name="Rival", created_by=None)
    rival = Scim(raw)
    assert rival.get("/Users").json()["totalResults"] == 0 and rival.get("/Groups").json()["totalResults"] == 0
    for response in (
        rival.get(f"/Users/{user_id}"),
        rival.patch(f"/Users/{user_id}", {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]}),
        rival.delete(f"/Users/{user_id}"),
        rival.get(f"/Groups/{group_id}"),
        rival.delete(f"/Groups/{group_id}"),
    ):
        assert response.status_code == 404, response.content
    # Its own group cannot take A's user as a member, nor provision A's domain.
    assert rival.post("/Groups", {"displayName": "x", "members": [{"value": user_id}]}).status_code == 400
    assert rival.post("/Users", {**BJENSEN, "userName": "eve@acme.example"}).status_code == 400
    assert Membership.objects.get(user__email="bjensen@acme.example", organization=org).role == Role.ADMIN


def test_no_token_or_a_revoked_one_is_refused(org, provider):
    assert Client().get(f"{SCIM}/Users").status_code == 401
    token, raw = scim_services.scim_token_create(actor=SYSTEM, organization=org, name="Okta", created_by=None)
    assert Scim(raw).get("/ServiceProviderConfig").json()["patch"]["supported"] is True
    scim_services.scim_token_revoke(actor=SYSTEM, token=token)
    response = Scim(raw).get("/Users")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
