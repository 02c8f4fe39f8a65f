"""Users API: the members of the caller's organization, one's own profile, invitations, API keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors, services
from accounts.models import ApiKey, Membership
from accounts.roles import Perm
from accounts.serializers import (
    ApiKeyInputSerializer,
    ApiKeyRotateSerializer,
    ApiKeySecretSerializer,
    ApiKeySerializer,
    AuditEntrySerializer,
    AuditFilterSerializer,
    InvitationAcceptSerializer,
    InvitationFilterSerializer,
    InvitationInputSerializer,
    InvitationSerializer,
    MemberFilterSerializer,
    MemberSerializer,
    ProfileInputSerializer,
    ProfileSerializer,
    RoleInputSerializer,
)
from api.permissions import IsAuthenticated
from api.viewsets import ApiViewSet


class UserViewSet(ApiViewSet):
    serializer_class = MemberSerializer
    required_permissions = {
        "list": Perm.MEMBERS_VIEW,
        "retrieve": Perm.MEMBERS_VIEW,
        "partial_update": Perm.MEMBERS_MANAGE,
        "destroy": Perm.MEMBERS_MANAGE,
    }

    def get_permissions(self) -> list[Any]:
        if self.action == "me":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(parameters=[MemberFilterSerializer])
    def list(self, request: Request) -> Response:
        filters = self.parse_filter(MemberFilterSerializer)
        qs = selectors.member_list(organization=self.auth.organization, filters=filters).order_by("user__email", "id")
        return self.page(qs, MemberSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._member(pk), MemberSerializer)

    @extend_schema(request=RoleInputSerializer, responses=MemberSerializer, summary="Change a member's role")
    def partial_update(self, request: Request, pk: str) -> Response:
        data = self.parse(RoleInputSerializer)
        membership = services.membership_change_role(
            actor=self.auth.actor,
            actor_role=self.auth.role or "",
            membership=self._member(pk),
            role=data["role"],
            precondition=self.precondition(MemberSerializer, reload=lambda: self._member(pk)),
        )
        return self.read(membership, MemberSerializer)

    @extend_schema(summary="Remove a member from the organization")
    def destroy(self, request: Request, pk: str) -> Response:
        services.membership_remove(actor=self.auth.actor, actor_role=self.auth.role or "", membership=self._member(pk))
        return Response(status=204)

    @extend_schema(methods=["GET"], responses=ProfileSerializer)
    @extend_schema(methods=["PATCH"], request=ProfileInputSerializer, responses=ProfileSerializer)
    @action(detail=False, methods=["get", "patch"])
    def me(self, request: Request) -> Response:
        user = request.user
        if request.method == "PATCH":
            data = self.parse(ProfileInputSerializer, partial=True)
            user = services.user_update_profile(
                actor=user, user=user, data=data, precondition=self.precondition(ProfileSerializer)
            )
        memberships = list(selectors.memberships_of(user=user))
        data = ProfileSerializer(user, context={"memberships": memberships}).data
        response = Response(data)
        response._last_modified = user.updated_at  # type: ignore[attr-defined]
        return response

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.action == "me" and self.request.user.is_authenticated:
            context["memberships"] = list(selectors.memberships_of(user=self.request.user))
        return context

    def _member(self, pk: str) -> Membership:
        return self.found(selectors.member_get(organization=self.auth.organization, user_id=pk))


class InvitationViewSet(ApiViewSet):
    serializer_class = InvitationSerializer
    required_permissions = {
        "list": Perm.MEMBERS_MANAGE,
        "retrieve": Perm.MEMBERS_MANAGE,
        "create": Perm.MEMBERS_MANAGE,
        "destroy": Perm.MEMBERS_MANAGE,
    }

    def get_permissions(self) -> list[Any]:
        if self.action == "accept":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(parameters=[InvitationFilterSerializer])
    def list(self, request: Request) -> Response:
        pending = self.parse_query(InvitationFilterSerializer).get("status") == "pending"
        qs = selectors.invitation_list(organization=self.auth.organization, pending_only=pending)
        return self.page(qs, InvitationSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._invitation(pk), InvitationSerializer)

    @extend_schema(request=InvitationInputSerializer, responses={201: InvitationSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(InvitationInputSerializer)
        invitation, _token = services.invitation_create(
            actor=self.auth.actor,
            actor_role=self.auth.role or "",
            organization=self.auth.organization,
            email=data["email"],
            role=data["role"],
            invited_by=self.auth.user,
        )
        return self.created(invitation, InvitationSerializer, location=f"/api/v1/invitations/{invitation.id}")

    @extend_schema(summary="Revoke a pending invitation")
    def destroy(self, request: Request, pk: str) -> Response:
        services.invitation_revoke(actor=self.auth.actor, invitation=self._invitation(pk))
        return Response(status=204)

    @extend_schema(request=InvitationAcceptSerializer, responses={201: ProfileSerializer}, summary="Accept an invitation")
    @action(detail=False, methods=["post"])
    def accept(self, request: Request) -> Response:
        data = self.parse(InvitationAcceptSerializer)
        services.invitation_accept(actor=request.user, user=request.user, token=data["token"])
        memberships = list(selectors.memberships_of(user=request.user))
        return Response(ProfileSerializer(request.user, context={"memberships": memberships}).data, status=201)

    def _invitation(self, pk: str) -> Any:
        return self.found(selectors.invitation_get(organization=self.auth.organization, invitation_id=pk))


class AuditLogViewSet(ApiViewSet):
    """The organization's audit log: every write, who made it, what changed, under which correlation id."""

    serializer_class = AuditEntrySerializer
    required_permissions = {"list": Perm.AUDIT_VIEW, "retrieve": Perm.AUDIT_VIEW}
    lookup_value_regex = r"[0-9]+"

    @extend_schema(parameters=[AuditFilterSerializer])
    def list(self, request: Request) -> Response:
        filters = self.parse_filter(AuditFilterSerializer)
        return self.page(selectors.audit_log(organization=self.auth.organization, filters=filters), AuditEntrySerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(
            self.found(selectors.audit_entry_get(organization=self.auth.organization, entry_id=pk)), AuditEntrySerializer
        )


class ApiKeyViewSet(ApiViewSet):
    """The organization's API keys: create (the key is shown once), list, revoke, rotate with a grace period.

    Only signed-in users of the console manage keys; a token or a key cannot.
    """

    serializer_class = ApiKeySerializer
    required_permissions = {
        "list": Perm.INTEGRATIONS_MANAGE,
        "retrieve": Perm.INTEGRATIONS_MANAGE,
        "create": Perm.INTEGRATIONS_MANAGE,
        "revoke": Perm.INTEGRATIONS_MANAGE,
        "rotate": Perm.INTEGRATIONS_MANAGE,
    }

    def list(self, request: Request) -> Response:
        return self.page(selectors.api_key_list(organization=self.auth.organization), ApiKeySerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._key(pk), ApiKeySerializer)

    @extend_schema(request=ApiKeyInputSerializer, responses={201: ApiKeySecretSerializer}, summary="Create an API key")
    def create(self, request: Request) -> Response:
        data = self.parse(ApiKeyInputSerializer)
        key, raw = services.api_key_create(
            actor=self.auth.actor, organization=self.auth.organization, data=data, creator_role=self.auth.role
        )
        return self._with_secret(key, raw)

    @extend_schema(request=None, responses=ApiKeySerializer, summary="Revoke an API key at once")
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        return self.read(services.api_key_revoke(actor=self.auth.actor, key=self._key(pk)), ApiKeySerializer)

    @extend_schema(request=ApiKeyRotateSerializer, responses={201: ApiKeySecretSerializer}, summary="Rotate an API key")
    @action(detail=True, methods=["post"])
    def rotate(self, request: Request, pk: str) -> Response:
        data = self.parse(ApiKeyRotateSerializer)
        grace = dt.timedelta(hours=data["grace_period_hours"])
        key, raw = services.api_key_rotate(actor=self.auth.actor, key=self._key(pk), grace=grace)
        return self._with_secret(key, raw)

    def _with_secret(self, key: ApiKey, raw: str) -> Response:
        key.key = raw  # type: ignore[attr-defined]  # answered once, never stored
        response = self.read(key, ApiKeySecretSerializer, status=201)
        response["Location"] = f"/api/v1/api-keys/{key.id}"
        response["Cache-Control"] = "no-store"
        return response

    def _key(self, pk: str) -> ApiKey:
        return self.found(selectors.api_key_get(organization=self.auth.organization, key_id=pk))
