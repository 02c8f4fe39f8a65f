"""The single sign-on API: identity providers, claimed email domains, enforcement. Owners only (``organization.manage``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Membership, User
from accounts.roles import Perm, Role
from api.exceptions import ApiError
from api.viewsets import ApiViewSet
from core import errors as codes
from sso import scim_services, selectors, services
from sso.models import EmailDomain, IdentityProvider, ScimToken
from sso.serializers import (
    EmailDomainInputSerializer,
    EmailDomainSerializer,
    EmailDomainUpdateSerializer,
    IdentityProviderInputSerializer,
    IdentityProviderSerializer,
    ScimTokenCreatedSerializer,
    ScimTokenInputSerializer,
    ScimTokenSerializer,
    SsoEnforcementInputSerializer,
    SsoEnforcementSerializer,
)

MANAGE = Perm.ORGANIZATION_MANAGE


class IdentityProviderViewSet(ApiViewSet):
    serializer_class = IdentityProviderSerializer
    required_permissions = dict.fromkeys(
        ("list", "retrieve", "create", "partial_update", "destroy", "rotate_key"),
        MANAGE,
    )

    def list(self, request: Request) -> Response:
        return self.page(selectors.identity_provider_list(organization=self.auth.organization), IdentityProviderSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._provider(pk), IdentityProviderSerializer)

    @extend_schema(request=IdentityProviderInputSerializer, responses={201: IdentityProviderSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(IdentityProviderInputSerializer)
        provider = services.identity_provider_create(actor=self.auth.actor, organization=self.auth.organization, data=data)
        return self.created(self._provider(provider.pk), IdentityProviderSerializer, f"/api/v1/identity-providers/{provider.pk}")

    @extend_schema(request=IdentityProviderInputSerializer, responses={200: IdentityProviderSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        data = self.parse(IdentityProviderInputSerializer, partial=True)
        provider = services.identity_provider_update(actor=self.auth.actor, provider=self._provider(pk), data=data)
        return self.read(self._provider(provider.pk), IdentityProviderSerializer)

    def destroy(self, request: Request, pk: str) -> Response:
        services.identity_provider_delete(actor=self.auth.actor, provider=self._provider(pk))
        return Response(status=204)

    @extend_schema(request=None, responses={200: IdentityProviderSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-key")
    def rotate_key(self, request: Request, pk: str) -> Response:
        provider = self._provider(pk)
        services.sp_key_rotate(actor=self.auth.actor, provider=provider)
        return self.read(self._provider(pk), IdentityProviderSerializer)

    def _provider(self, pk: Any) -> IdentityProvider:
        return self.found(selectors.identity_provider_get(organization=self.auth.organization, provider_id=pk))


class EmailDomainViewSet(ApiViewSet):
    serializer_class = EmailDomainSerializer
    required_permissions = dict.fromkeys(("list", "retrieve", "create", "partial_update", "destroy", "verify"), MANAGE)

    def list(self, request: Request) -> Response:
        return self.page(selectors.domain_list(organization=self.auth.organization), EmailDomainSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._domain(pk), EmailDomainSerializer)

    @extend_schema(request=EmailDomainInputSerializer, responses={201: EmailDomainSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(EmailDomainInputSerializer)
        domain = services.domain_claim(
            actor=self.auth.actor,
            organization=self.auth.organization,
            domain=data["domain"],
            identity_provider=data.get("identity_provider"),
        )
        return self.created(domain, EmailDomainSerializer, f"/api/v1/email-domains/{domain.pk}")

    @extend_schema(request=EmailDomainUpdateSerializer, responses={200: EmailDomainSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        data = self.parse(EmailDomainUpdateSerializer)
        domain = services.domain_route(
            actor=self.auth.actor, domain=self._domain(pk), identity_provider=data["identity_provider"]
        )
        return self.read(domain, EmailDomainSerializer)

    def destroy(self, request: Request, pk: str) -> Response:
        services.domain_delete(actor=self.auth.actor, domain=self._domain(pk))
        return Response(status=204)

    @extend_schema(request=None, responses={200: EmailDomainSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        return self.read(services.domain_verify(actor=self.auth.actor, domain=self._domain(pk)), EmailDomainSerializer)

    def _domain(self, pk: Any) -> EmailDomain:
        return self.found(selectors.domain_get(organization=self.auth.organization, domain_id=pk))


class SsoEnforcementViewSet(ApiViewSet):
    """Whether the organization enforces single sign-on, and its break-glass owners."""

    serializer_class = SsoEnforcementSerializer
    required_permissions = {"retrieve": MANAGE, "update": MANAGE}

    def retrieve(self, request: Request) -> Response:
        return Response(SsoEnforcementSerializer(self._state()).data)

    @extend_schema(request=SsoEnforcementInputSerializer, responses={200: SsoEnforcementSerializer})
    def update(self, request: Request) -> Response:
        data = self.parse(SsoEnforcementInputSerializer)
        break_glass = None
        if "break_glass_owners" in data:
            wanted = {str(u) for u in data["break_glass_owners"]}
            owners = Membership.objects.filter(organization=self.auth.organization, role=Role.OWNER).select_related("user")
            break_glass = [m.user for m in owners if str(m.user_id) in wanted]
            if len(break_glass) != len(wanted):
                raise ApiError(codes.VALIDATION_ERROR, details="Break-glass accounts must be owners.", target="breakGlassOwners")
        services.organization_enforce_sso(
            actor=self.auth.actor, organization=self.auth.organization, enforced=data["enforced"], break_glass=break_glass
        )
        return Response(SsoEnforcementSerializer(self._state()).data)

    def _state(self) -> dict[str, Any]:
        org = self.auth.organization
        org.refresh_from_db(fields=["enforce_sso"])
        glass = Membership.objects.filter(organization=org, role=Role.OWNER, sso_break_glass=True).values_list(
            "user_id", flat=True
        )
        return {"enforced": org.enforce_sso, "break_glass_owners": list(glass)}


class ScimTokenViewSet(ApiViewSet):
    """Bearer tokens for SCIM provisioning (``/scim/v2/``): shown once at creation; DELETE revokes."""

    serializer_class = ScimTokenSerializer
    required_permissions = dict.fromkeys(("list", "retrieve", "create", "destroy"), MANAGE)

    def list(self, request: Request) -> Response:
        return self.page(selectors.scim_token_list(organization=self.auth.organization), ScimTokenSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._token(pk), ScimTokenSerializer)

    @extend_schema(request=ScimTokenInputSerializer, responses={201: ScimTokenCreatedSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(ScimTokenInputSerializer)
        user = request.user if isinstance(request.user, User) else None  # an API key has no user
        token, raw = scim_services.scim_token_create(
            actor=self.auth.actor, organization=self.auth.organization, name=data["name"], created_by=user
        )
        return Response(
            ScimTokenCreatedSerializer(token, context={"token": raw}).data,
            status=201,
            headers={"Location": f"/api/v1/scim-tokens/{token.pk}"},
        )

    def destroy(self, request: Request, pk: str) -> Response:
        scim_services.scim_token_revoke(actor=self.auth.actor, token=self._token(pk))
        return Response(status=204)

    def _token(self, pk: Any) -> ScimToken:
        return self.found(selectors.scim_token_get(organization=self.auth.organization, token_id=pk))
