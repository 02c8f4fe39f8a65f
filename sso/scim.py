"""SCIM 2.0 (RFC 7643 resources, RFC 7644 protocol) at /scim/v2/, one organization per bearer token.

Users and Groups: create, read, replace (PUT), patch (add/replace/remove), delete, list with ``filter``
(``eq`` on ``userName``, ``externalId``, ``displayName``) and ``startIndex``/``count`` paging. SCIM has its own
error body (RFC 7644 section 3.12) and media type, so these are plain views rather than the platform API's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from accounts.models import Organization
from core.secrets import digest
from sso import scim_services as svc
from sso.models import ScimGroup, ScimToken, ScimUser
from sso.scim_services import ScimError, ScimUserInput

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
MEDIA_TYPE = "application/scim+json"
MAX_COUNT = 200
_FILTER = re.compile(r'^\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)
_MEMBER_PATH = re.compile(r'^members\[\s*value\s+eq\s+"([^"]+)"\s*\]$', re.IGNORECASE)


class TokenActor:
    """The identity provider acting through a SCIM token (audit entries name the token)."""

    def __init__(self, token: ScimToken) -> None:
        self.audit_id = f"scim_token:{token.pk}"
        self.audit_label = f"SCIM {token.name}"


def _answer(data: Any, status: int = 200, location: str | None = None) -> HttpResponse:
    response = JsonResponse(data, status=status, content_type=MEDIA_TYPE, safe=False)
    if location:
        response["Location"] = location
    return response


def _error(status: int, detail: str, scim_type: str = "") -> HttpResponse:
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return _answer(body, status)


def _base() -> str:
    return f"{settings.SITE_URL}/scim/v2"


def _authenticate(request: HttpRequest) -> tuple[Organization, TokenActor] | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    token = (
        ScimToken.objects.select_related("organization")
        .filter(token_hash=digest(header[7:].strip()), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.organization, TokenActor(token)


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ScimError(400, "The body is not JSON.", "invalidSyntax") from None
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    return data


def scim_view(handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @csrf_exempt
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        caller = _authenticate(request)
        if caller is None:
            response = _error(401, "A valid SCIM bearer token is required.")
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response
        try:
            return handler(request, *caller, *args, **kwargs)
        except ScimError as exc:
            return _error(exc.status, exc.detail, exc.scim_type)

    return view


def _page(request: HttpRequest, rows: QuerySet[Any], render: Callable[[Any], dict[str, Any]]) -> HttpResponse:
    try:
        start = max(int(request.GET.get("startIndex", 1)), 1)
        count = min(max(int(request.GET.get("count", 100)), 0), MAX_COUNT)
    except ValueError:
        raise ScimError(400, "startIndex and count are integers.", "invalidValue") from None
    total = rows.count()
    page = list(rows[start - 1 : start - 1 + count])
    return _answer(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(page),
            "Resources": [render(r) for r in page],
        }
    )


def _filtered(request: HttpRequest, rows: QuerySet[Any], fields: dict[str, str]) -> QuerySet[Any]:
    expression = request.GET.get("filter")
    if not expression:
        return rows
    match = _FILTER.match(expression)
    if match is None or match.group(1).lower() not in fields:
        raise ScimError(400, f"Filters supported: {', '.join(f'{k} eq' for k in fields)}.", "invalidFilter")
    value = match.group(2).replace('\\"', '"')
    return rows.filter(**{f"{fields[match.group(1).lower()]}__iexact": value})


# -- users ---------------------------------------------------------------------------------------
def render_user(scim_user: ScimUser) -> dict[str, Any]:
    user = scim_user.user
    given, _, family = user.name.partition(" ")
    return {
        "schemas": [USER_SCHEMA],
        "id": str(scim_user.pk),
        "externalId": scim_user.external_id or None,
        "userName": user.email,
        "name": {"givenName": given, "familyName": family, "formatted": user.name},
        "displayName": user.name or user.email,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        "active": scim_user.active,
        "groups": [
            {"value": str(g.pk), "display": g.display_name, "$ref": f"{_base()}/Groups/{g.pk}"} for g in scim_user.groups.all()
        ],
        "meta": {
            "resourceType": "User",
            "created": scim_user.created_at.isoformat(),
            "lastModified": scim_user.updated_at.isoformat(),
            "location": f"{_base()}/Users/{scim_user.pk}",
        },
    }


def _users(organization: Organization) -> QuerySet[ScimUser]:
    return (
        ScimUser.objects.filter(organization=organization)
        .select_related("user")
        .prefetch_related("groups")
        .order_by("created_at")
    )


def _user(organization: Organization, user_id: str) -> ScimUser:
    try:
        found = _users(organization).filter(pk=user_id).first()
    except ValueError:
        found = None
    if found is None:
        raise ScimError(404, f"User {user_id} not found.")
    return found


def _bool(value: Any) -> bool:
    return value.strip().lower() == "true" if isinstance(value, str) else bool(value)


def _user_input(data: dict[str, Any]) -> ScimUserInput:
    if not isinstance(data.get("userName"), str) or not data["userName"].strip():
        raise ScimError(400, "userName is required.", "invalidValue")
    given = data.get("name")
    name: dict[str, Any] = given if isinstance(given, dict) else {}
    return ScimUserInput(
        user_name=data["userName"],
        given_name=str(name.get("givenName") or ""),
        family_name=str(name.get("familyName") or ""),
        external_id=str(data.get("externalId") or ""),
        active=_bool(data.get("active", True)),
    )


@scim_view
def users(request: HttpRequest, organization: Organization, actor: TokenActor) -> HttpResponse:
    if request.method == "GET":
        rows = _filtered(request, _users(organization), {"username": "user__email", "externalid": "external_id"})
        return _page(request, rows, render_user)
    if request.method == "POST":
        created = svc.scim_user_create(actor=actor, organization=organization, data=_user_input(_body(request)))
        rendered = render_user(_user(organization, str(created.pk)))
        return _answer(rendered, 201, rendered["meta"]["location"])
    return _error(405, "GET or POST.")


_USER_PATHS = {
    "active": "active",
    "name.givenname": "given_name",
    "name.familyname": "family_name",
    "externalid": "external_id",
    "username": "user_name",
}


def _user_patch(operations: list[Any]) -> dict[str, Any]:
    """The changes a PatchOp makes to a user (RFC 7644 section 3.5.2); paths outside ``_USER_PATHS`` are ignored."""
    changes: dict[str, Any] = {}
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Operations are objects.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"Unknown op {operation.get('op')!r}.", "invalidSyntax")
        path, value = operation.get("path"), operation.get("value")
        if path is None:  # {"op": "replace", "value": {"active": false, "name": {...}}}
            if not isinstance(value, dict):
                raise ScimError(400, "An operation without a path takes an object.", "invalidValue")
            flat = {k.lower(): v for k, v in value.items() if k.lower() != "name"}
            flat |= {f"name.{k.lower()}": v for k, v in (value.get("name") or {}).items()}
        else:
            flat = {str(path).lower(): None if op == "remove" else value}
        for key, item in flat.items():
            if key in _USER_PATHS:
                target = _USER_PATHS[key]
                changes[target] = _bool(item) if target == "active" else ("" if item is None else str(item))
    return changes


@scim_view
def user(request: HttpRequest, organization: Organization, actor: TokenActor, user_id: str) -> HttpResponse:
    found = _user(organization, user_id)
    if request.method == "GET":
        return _answer(render_user(found))
    if request.method == "PUT":
        data = _user_input(_body(request))
        changes = {
            "user_name": data.user_name,
            "given_name": data.given_name,
            "family_name": data.family_name,
            "external_id": data.external_id,
            "active": data.active,
        }
        svc.scim_user_update(actor=actor, scim_user=found, changes=changes)
        return _answer(render_user(_user(organization, user_id)))
    if request.method == "PATCH":
        body = _body(request)
        svc.scim_user_update(actor=actor, scim_user=found, changes=_user_patch(_operations(body)))
        return _answer(render_user(_user(organization, user_id)))
    if request.method == "DELETE":
        svc.scim_user_delete(actor=actor, scim_user=found)
        return HttpResponse(status=204)
    return _error(405, "GET, PUT, PATCH or DELETE.")


def _operations(body: dict[str, Any]) -> list[Any]:
    if PATCH_SCHEMA not in body.get("schemas", []) or not isinstance(body.get("Operations"), list):
        raise ScimError(400, f"A PatchOp ({PATCH_SCHEMA}) with Operations is expected.", "invalidSyntax")
    return list(body["Operations"])


# -- groups ----------------------------------------------------------------------------------------
def render_group(group: ScimGroup) -> dict[str, Any]:
    return {
        "schemas": [GROUP_SCHEMA],
        "id": str(group.pk),
        "externalId": group.external_id or None,
        "displayName": group.display_name,
        "members": [
            {"value": str(m.pk), "display": m.user.email, "$ref": f"{_base()}/Users/{m.pk}"} for m in group.members.all()
        ],
        "meta": {
            "resourceType": "Group",
            "created": group.created_at.isoformat(),
            "lastModified": group.updated_at.isoformat(),
            "location": f"{_base()}/Groups/{group.pk}",
        },
    }


def _groups(organization: Organization) -> QuerySet[ScimGroup]:
    return ScimGroup.objects.filter(organization=organization).prefetch_related("members__user").order_by("display_name")


def _group(organization: Organization, group_id: str) -> ScimGroup:
    try:
        found = _groups(organization).filter(pk=group_id).first()
    except ValueError:
        found = None
    if found is None:
        raise ScimError(404, f"Group {group_id} not found.")
    return found


def _member_ids(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(m, dict) and m.get("value") for m in value):
        raise ScimError(400, 'members is a list of {"value": "<user id>"}.', "invalidValue")
    return [str(m["value"]) for m in value]


@scim_view
def groups(request: HttpRequest, organization: Organization, actor: TokenActor) -> HttpResponse:
    if request.method == "GET":
        rows = _filtered(request, _groups(organization), {"displayname": "display_name", "externalid": "external_id"})
        return _page(request, rows, render_group)
    if request.method == "POST":
        data = _body(request)
        if not isinstance(data.get("displayName"), str) or not data["displayName"].strip():
            raise ScimError(400, "displayName is required.", "invalidValue")
        created = svc.scim_group_create(
            actor=actor,
            organization=organization,
            display_name=data["displayName"].strip(),
            external_id=str(data.get("externalId") or ""),
            member_ids=_member_ids(data.get("members", [])),
        )
        rendered = render_group(_group(organization, str(created.pk)))
        return _answer(rendered, 201, rendered["meta"]["location"])
    return _error(405, "GET or POST.")


@scim_view
def group(request: HttpRequest, organization: Organization, actor: TokenActor, group_id: str) -> HttpResponse:
    found = _group(organization, group_id)
    if request.method == "GET":
        return _answer(render_group(found))
    if request.method == "PUT":
        data = _body(request)
        svc.scim_group_update(
            actor=actor,
            group=found,
            display_name=str(data.get("displayName") or found.display_name),
            external_id=str(data.get("externalId") or ""),
            set_members=_member_ids(data.get("members", [])),
        )
        return _answer(render_group(_group(organization, group_id)))
    if request.method == "PATCH":
        changes: dict[str, Any] = {"add_members": [], "remove_members": []}
        for operation in _operations(_body(request)):
            op, path, value = str(operation.get("op", "")).lower(), str(operation.get("path") or ""), operation.get("value")
            member = _MEMBER_PATH.match(path)
            if path.lower() == "members" and op == "add":
                changes["add_members"] += _member_ids(value)
            elif path.lower() == "members" and op == "replace":
                changes["set_members"] = _member_ids(value)
            elif path.lower() == "members" and op == "remove":
                if value is None:
                    changes["set_members"] = []
                else:
                    changes["remove_members"] += _member_ids(value)
            elif member and op == "remove":
                changes["remove_members"].append(member.group(1))
            elif op in ("add", "replace") and (path.lower() == "displayname" or (not path and isinstance(value, dict))):
                name = value if path else value.get("displayName")
                if name:
                    changes["display_name"] = str(name)
                if not path and value.get("externalId") is not None:
                    changes["external_id"] = str(value["externalId"])
            else:
                raise ScimError(400, f"Unsupported operation {op} {path!r}.", "invalidPath")
        svc.scim_group_update(actor=actor, group=found, **changes)
        return _answer(render_group(_group(organization, group_id)))
    if request.method == "DELETE":
        svc.scim_group_delete(actor=actor, group=found)
        return HttpResponse(status=204)
    return _error(405, "GET, PUT, PATCH or DELETE.")


@scim_view
def service_provider_config(request: HttpRequest, organization: Organization, actor: TokenActor) -> HttpResponse:
    return _answer(
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_COUNT},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                {
                    "type": "oauthbearertoken",
                    "name": "Bearer token",
                    "description": "A SCIM token of the organization.",
                    "primary": True,
                }
            ],
        }
    )
