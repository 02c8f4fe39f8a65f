"""Single sign-on: identity providers per organization, claimed email domains, the SP's keys, the replay cache.

See docs/adr/0021-single-sign-on.md.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from accounts.models import Organization, User
from accounts.roles import Role
from core.models import BaseModel


class Protocol(models.TextChoices):
    SAML = "saml", "SAML 2.0"
    OIDC = "oidc", "OpenID Connect"


class IdentityProvider(BaseModel):
    """One organization's identity provider: where its members sign in, and how their attributes map to roles."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="identity_providers")
    name = models.CharField(max_length=200)
    protocol = models.CharField(max_length=8, choices=Protocol.choices)
    enabled = models.BooleanField(default=True)
    # SAML 2.0: the IdP's entity id, endpoints and signing certificates (PEM bodies; several while the IdP rotates).
    idp_entity_id = models.CharField(max_length=500, blank=True)
    sso_url = models.URLField(max_length=500, blank=True)
    slo_url = models.URLField(max_length=500, blank=True)
    signing_certificates = models.JSONField(default=list, blank=True)
    metadata_url = models.URLField(
        max_length=500, blank=True, help_text="Where the IdP publishes its metadata; read again on request (sso.metadata)."
    )
    metadata_fetched_at = models.DateTimeField(null=True, blank=True)
    allow_idp_initiated = models.BooleanField(
        default=True, help_text="Accept unsolicited responses (sign-in started from the IdP's dashboard)."
    )
    # OpenID Connect: the issuer (discovery at /.well-known/openid-configuration), the client registered there.
    issuer = models.URLField(max_length=500, blank=True)
    client_id = models.CharField(max_length=255, blank=True)
    client_secret = models.TextField(blank=True, help_text="Encrypted (core.secrets).")
    # Which attribute (SAML) or claim (OIDC) carries what.
    email_attribute = models.CharField(max_length=200, default="email")
    first_name_attribute = models.CharField(max_length=200, default="firstName", blank=True)
    last_name_attribute = models.CharField(max_length=200, default="lastName", blank=True)
    groups_attribute = models.CharField(max_length=200, default="groups", blank=True)
    # {"group name": "role"}: a member's role is the strongest one their groups map to, else ``default_role``.
    role_mapping = models.JSONField(default=dict, blank=True)
    default_role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    jit_provisioning = models.BooleanField(default=True, help_text="Create users and memberships at their first sign-in.")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_protocol_display()})"


class EmailDomain(BaseModel):
    """An email domain an organization claims. It routes sign-ins (home-realm discovery) only once verified."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="email_domains")
    domain = models.CharField(max_length=253)
    identity_provider = models.ForeignKey(
        IdentityProvider, on_delete=models.SET_NULL, null=True, blank=True, related_name="domains"
    )
    verification_token = models.CharField(max_length=64)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(Lower("domain"), "organization", name="email_domain_unique_per_org"),
            # Claimed by many, verified by one: the first to prove it owns the routing.
            models.UniqueConstraint(Lower("domain"), condition=Q(verified_at__isnull=False), name="email_domain_verified_once"),
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class SpKeyState(models.TextChoices):
    ACTIVE = "active", "Active (signs, decrypts)"
    PREVIOUS = "previous", "Previous (still published and decrypting until retired)"
    RETIRED = "retired", "Retired"


class SpKey(BaseModel):
    """A key pair of the platform as the SAML service provider of one identity provider."""

    identity_provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="sp_keys")
    certificate = models.TextField(help_text="PEM")
    private_key = models.TextField(help_text="PEM, encrypted (core.secrets).")
    state = models.CharField(max_length=8, choices=SpKeyState.choices, default=SpKeyState.ACTIVE)
    retire_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["identity_provider"], condition=Q(state="active"), name="sp_key_one_active_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identity_provider_id} key {self.state}"


class SamlRequest(BaseModel):
    """An AuthnRequest the platform sent: a response's ``InResponseTo`` must name one, unused and recent."""

    identity_provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    request_id = models.CharField(max_length=128, unique=True)
    next_url = models.CharField(max_length=500, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.request_id


class SeenAssertion(models.Model):
    """The replay cache: every assertion id accepted once, kept until the assertion would have expired anyway."""

    id = models.BigAutoField(primary_key=True)
    identity_provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    assertion_id = models.CharField(max_length=128)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["identity_provider", "assertion_id"], name="seen_assertion_once"),
        ]

    def __str__(self) -> str:
        return self.assertion_id


class SsoSession(BaseModel):
    """A browser session opened by single sign-on: what single logout (either direction) and deactivation end."""

    identity_provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="sessions")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sso_sessions")
    session_key = models.CharField(max_length=64, db_index=True)
    name_id = models.CharField(max_length=500)
    name_id_format = models.CharField(max_length=200, blank=True)
    session_index = models.CharField(max_length=200, blank=True)
    # OpenID Connect: the ID token the session began with (encrypted, core.secrets), the id_token_hint of RP-initiated
    # logout.
    id_token = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} via {self.identity_provider_id}"


class ScimToken(BaseModel):
    """A bearer token an identity provider provisions one organization with (SCIM 2.0); only its SHA-256 is kept."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="scim_tokens")
    name = models.CharField(max_length=200)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ScimUser(BaseModel):
    """A user as the organization's identity provider provisions them: inactive ones keep no membership."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="scim_users")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="scim_identities")
    external_id = models.CharField(max_length=255, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="scim_user_once_per_org")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organization_id}"


class ScimGroup(BaseModel):
    """A group the identity provider pushes; its display name maps to a role through the provider's role mapping."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="scim_groups")
    display_name = models.CharField(max_length=255)
    external_id = models.CharField(max_length=255, blank=True)
    members = models.ManyToManyField(ScimUser, related_name="groups", blank=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(Lower("display_name"), "organization", name="scim_group_name_once_per_org"),
        ]

    def __str__(self) -> str:
        return self.display_name
