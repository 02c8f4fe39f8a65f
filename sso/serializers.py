"""Input and output shapes of the identity-provider and email-domain API (snake_case here, camelCase on the wire)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.roles import Role
from api.serializers import InputSerializer, TenantPrimaryKeyField
from sso import saml, services
from sso.keys import pem_body
from sso.models import EmailDomain, IdentityProvider, Protocol, ScimToken


class RoleMappingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    group = serializers.CharField(max_length=200, help_text="A group name as the IdP sends it (SAML attribute or claim).")
    role = serializers.ChoiceField(choices=Role.choices)


class ServiceProviderSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What to enter at the IdP: the platform as the SAML service provider of this provider."""

    entity_id = serializers.CharField(help_text="The SP entity id (also the metadata URL).")
    metadata_url = serializers.CharField()
    acs_url = serializers.CharField(help_text="Assertion Consumer Service (HTTP-POST).")
    sls_url = serializers.CharField(help_text="Single Logout Service (HTTP-Redirect).")
    certificates = serializers.ListField(
        child=serializers.CharField(), help_text="The platform's signing certificates (base64 DER), the active one first."
    )


class IdentityProviderSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    # Set for one protocol only (SAML: the SSO and SLO URLs; OIDC: the issuer): null for the other, never "".
    sso_url = serializers.URLField(read_only=True, allow_null=True)
    slo_url = serializers.URLField(read_only=True, allow_null=True)
    issuer = serializers.URLField(read_only=True, allow_null=True)
    metadata_url = serializers.URLField(read_only=True, allow_null=True, help_text="Where the IdP's metadata is read from.")
    role_mappings = serializers.SerializerMethodField()
    has_client_secret = serializers.SerializerMethodField()
    service_provider = serializers.SerializerMethodField()

    class Meta:
        model = IdentityProvider
        # The configuration as services.PROVIDER_FIELDS names it, the mapping as a list, never the client secret.
        fields = [
            "id",
            "protocol",
            *(f if f != "role_mapping" else "role_mappings" for f in services.PROVIDER_FIELDS),
            "metadata_fetched_at",
            "has_client_secret",
            "service_provider",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: IdentityProvider) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        for name in ("sso_url", "slo_url", "issuer", "metadata_url"):
            data[name] = data[name] or None
        return data

    @extend_schema_field(RoleMappingSerializer(many=True))
    def get_role_mappings(self, provider: IdentityProvider) -> list[dict[str, str]]:
        return [{"group": g, "role": r} for g, r in sorted(provider.role_mapping.items())]

    def get_has_client_secret(self, provider: IdentityProvider) -> bool:
        return bool(provider.client_secret)

    @extend_schema_field(ServiceProviderSerializer(allow_null=True))
    def get_service_provider(self, provider: IdentityProvider) -> dict[str, Any] | None:
        if provider.protocol != Protocol.SAML:
            return None
        urls = saml.sp_urls(provider)
        keys = saml.published_keys(provider)
        return {
            "entity_id": urls["entity_id"],
            "metadata_url": urls["entity_id"],
            "acs_url": urls["acs"],
            "sls_url": urls["sls"],
            "certificates": [pem_body(k.certificate) for k in keys],
        }


class IdentityProviderInputSerializer(InputSerializer):
    protocol = serializers.ChoiceField(choices=Protocol.choices, help_text="Set at creation; cannot change.")
    name = serializers.CharField(max_length=200)
    enabled = serializers.BooleanField(required=False)
    metadata_xml = serializers.CharField(
        required=False, max_length=200_000, help_text="SAML: the IdP's metadata document; fills entity id, URLs, certificates."
    )
    metadata_url = serializers.URLField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="SAML: the https URL the IdP publishes its metadata at; read now (and again on each update naming it), "
        "filling entity id, URLs, certificates. Empty stops reading it.",
    )
    idp_entity_id = serializers.CharField(max_length=500, required=False)
    sso_url = serializers.URLField(max_length=500, required=False)
    slo_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    signing_certificates = serializers.ListField(
        child=serializers.CharField(max_length=10_000), required=False, max_length=5, help_text="PEM or base64 DER."
    )
    allow_idp_initiated = serializers.BooleanField(required=False)
    issuer = serializers.URLField(max_length=500, required=False)
    client_id = serializers.CharField(max_length=255, required=False)
    client_secret = serializers.CharField(max_length=500, required=False, write_only=True, help_text="Stored encrypted.")
    email_attribute = serializers.CharField(max_length=200, required=False)
    first_name_attribute = serializers.CharField(max_length=200, required=False, allow_blank=True)
    last_name_attribute = serializers.CharField(max_length=200, required=False, allow_blank=True)
    groups_attribute = serializers.CharField(max_length=200, required=False, allow_blank=True)
    role_mappings = RoleMappingSerializer(many=True, required=False, max_length=200)
    default_role = serializers.ChoiceField(choices=Role.choices, required=False)
    jit_provisioning = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "role_mappings" in attrs:
            attrs["role_mapping"] = {m["group"]: m["role"] for m in attrs.pop("role_mappings")}
        if self.partial and "protocol" in attrs:
            raise serializers.ValidationError({"protocol": "The protocol of a provider cannot change."})
        return attrs


class EmailDomainSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    verified = serializers.BooleanField(read_only=True)
    verification_url = serializers.SerializerMethodField(help_text="Publish `verificationToken` here, then verify.")

    class Meta:
        model = EmailDomain
        fields = [
            "id",
            "domain",
            "identity_provider",
            "verified",
            "verified_at",
            "verification_token",
            "verification_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_verification_url(self, domain: EmailDomain) -> str:
        return services.verification_url(domain)


def _providers_of(organization: Any) -> Any:
    qs = IdentityProvider.objects.all()
    return qs.none() if organization is None else qs.filter(organization=organization)


class EmailDomainInputSerializer(InputSerializer):
    domain = serializers.RegexField(
        r"^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}\.?$",
        help_text="An email domain, such as `acme.example`.",
    )
    identity_provider = TenantPrimaryKeyField(_providers_of, required=False, allow_null=True)


class EmailDomainUpdateSerializer(InputSerializer):
    identity_provider = TenantPrimaryKeyField(_providers_of, allow_null=True)


class SsoEnforcementSerializer(serializers.Serializer):  # type: ignore[type-arg]
    enforced = serializers.BooleanField()
    break_glass_owners = serializers.ListField(
        child=serializers.UUIDField(), help_text="Users (owners) who may still sign in with a password."
    )


class SsoEnforcementInputSerializer(InputSerializer):
    enforced = serializers.BooleanField()
    break_glass_owners = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=50)


class ScimTokenSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ScimToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class ScimTokenCreatedSerializer(ScimTokenSerializer):
    token = serializers.SerializerMethodField(help_text="The bearer token for `/scim/v2/`: shown here once.")

    class Meta(ScimTokenSerializer.Meta):
        fields = [*ScimTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields

    def get_token(self, token: ScimToken) -> str:
        return str(self.context["token"])


class ScimTokenInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=200)
