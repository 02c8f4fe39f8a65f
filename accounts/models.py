"""Users, organizations (the tenants), their memberships, API keys and OAuth 2.0 clients and tokens."""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from oauth2_provider.models import (
    AbstractAccessToken,
    AbstractApplication,
    AbstractDeviceGrant,
    AbstractGrant,
    AbstractIDToken,
    AbstractRefreshToken,
)

from accounts.roles import Role
from accounts.scopes import unknown as unknown_scopes
from core.models import BaseModel

DEFAULT_COMMUNICATION_PREFERENCES = {
    "eventUpdates": True,
    "reminders": True,
    "marketing": False,
    "productNews": False,
}


def default_communication_preferences() -> dict[str, bool]:
    return dict(DEFAULT_COMMUNICATION_PREFERENCES)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The email address is the login."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    locale = models.CharField(max_length=35, default="en-US")
    time_zone = models.CharField(max_length=64, default="UTC")
    communication_preferences = models.JSONField(default=default_communication_preferences)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May sign in to the admin console (scoped to their organizations).")
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def audit_id(self) -> str:
        return str(self.pk)

    @property
    def audit_label(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class OrganizationKind(models.TextChoices):
    """What an organization is for: organizers run events; developers (partners) integrate through the portal;
    a sandbox holds sample data that a developer organization's test keys and test apps act in (ADR 0010)."""

    ORGANIZER = "organizer", "Event organizer"
    DEVELOPER = "developer", "Developer"
    SANDBOX = "sandbox", "Sandbox"


class Organization(BaseModel):
    """A tenant: every domain row belongs to one."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=OrganizationKind.choices, default=OrganizationKind.ORGANIZER)
    slug = models.SlugField(max_length=80, unique=True)
    default_currency = models.CharField(max_length=3, default="EUR")
    default_time_zone = models.CharField(max_length=64, default="UTC")
    # A sandbox's organization (kind ``sandbox`` only): its members act in the sandbox, which has none of its own.
    sandbox_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sandbox",
        help_text="For a sandbox: the organization whose test keys and test apps act in it.",
    )
    # Set by an owner: members without an authenticator are sent to set one up before anything else (accounts.signin).
    require_two_factor = models.BooleanField(
        default=False, help_text="Members must sign in with two-factor authentication; those without it are sent to set it up."
    )
    # Set by an owner once an identity provider works (sso): members then cannot sign in with a password, except
    # owners marked as break-glass accounts (accounts.signin.password_sign_in_refused).
    enforce_sso = models.BooleanField(
        default=False,
        help_text="Members sign in through the organization's identity provider only (break-glass owners excepted).",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="sandbox", sandbox_of__isnull=False) | (~Q(kind="sandbox") & Q(sandbox_of__isnull=True)),
                name="organization_sandbox_of_iff_sandbox",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sandbox(self) -> bool:
        return self.kind == OrganizationKind.SANDBOX


class Membership(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)
    # An owner who may still sign in with a password when the organization enforces single sign-on.
    sso_break_glass = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} as {self.role}"


class Invitation(BaseModel):
    """An invitation to join an organization, accepted by the user with that email."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():  # None: not saved yet (the console's add page)
            return "expired"
        return "pending"


class ApiKeyMode(models.TextChoices):
    LIVE = "live", "Live"
    TEST = "test", "Test"


class RateTier(models.TextChoices):
    """Rate-limit tiers of the integration specification (numbers in settings.RATE_LIMIT_TIERS)."""

    ANONYMOUS = "anonymous", "Anonymous"
    USER = "user", "Authenticated user"
    PARTNER = "partner", "Partner integration"
    INTERNAL = "internal", "Internal service"


class ApiKey(BaseModel):
    """A server-to-server credential of one organization: ``emp_live_`` or ``emp_test_`` + 32 random bytes.

    Only the SHA-256 of the key is stored (the key has 256 bits of entropy, so a
    fast hash cannot be searched), with its first characters for display.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    mode = models.CharField(max_length=4, choices=ApiKeyMode.choices, default=ApiKeyMode.LIVE)
    prefix = models.CharField(max_length=24, help_text="The key's first characters, for recognising it.")
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    allowed_ips = models.JSONField(default=list, blank=True, help_text="CIDR ranges; empty means any address.")
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="The key it was rotated to."
    )
    rate_tier = models.CharField(
        max_length=10, choices=RateTier.choices, blank=True, help_text="Empty: the tier of API keys (partner)."
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def tier(self) -> str:
        """The rate-limit tier: the override, else partner."""
        return self.rate_tier or RateTier.PARTNER

    def status_at(self, now: Any) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


# -- OAuth 2.0 (django-oauth-toolkit's models, swapped in: OAUTH2_PROVIDER_*_MODEL) ---------------

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def redirect_uri_problem(uri: str) -> str | None:
    """Why ``uri`` may not be registered as a redirect URI, or None.

    https only (RFC 9700 section 2.1), except http on a loopback address for
    native apps (RFC 8252 section 7.3; any port is then accepted at request time).
    """
    parts = urlsplit(uri)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return None
    return f"{uri}: redirect URIs use https, or http on a loopback address (127.0.0.1, [::1], localhost) for native apps."


def logo_url_problem(url: str) -> str | None:
    """Why ``url`` may not be an application's logo, or None: https, or http on a loopback address while developing.

    The logo is shown as an image on the developer portal and the consent page, so a
    plain-http address on the internet (mixed content, readable on the wire) is refused.
    """
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return None
    return "The logo URL uses https (http only on localhost, 127.0.0.1 or [::1])."


class Application(AbstractApplication):
    """An OAuth 2.0 client.

    A client-credentials application belongs to one organization and acts
    within it, limited by ``allowed_scopes``. Only applications a platform
    administrator flags ``first_party`` may use the password grant.
    """

    # Grant types the platform offers: no implicit, no hybrid (RFC 9700 section 2.1.2), no device flow.
    OFFERED_GRANT_TYPES = (
        AbstractApplication.GRANT_AUTHORIZATION_CODE,
        AbstractApplication.GRANT_CLIENT_CREDENTIALS,
        AbstractApplication.GRANT_PASSWORD,
    )

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="oauth_applications",
        help_text="The organization a client-credentials application acts in (required for that grant).",
    )
    first_party = models.BooleanField(
        default=False, help_text="Set by a platform administrator: only first-party applications may use the password grant."
    )
    description = models.TextField(blank=True)
    logo_url = models.URLField(blank=True, help_text="https, or http on a loopback address; shown beside the name.")
    homepage_url = models.URLField(blank=True)
    # Like an API key's: a test application's tokens act only in the sandbox of their organization (accounts.selectors.acting_organization).
    mode = models.CharField(
        max_length=4,
        choices=ApiKeyMode.choices,
        default=ApiKeyMode.LIVE,
        help_text="Test applications act only in the sandbox; live ones never do. Fixed when the application is created.",
    )
    allowed_scopes = models.JSONField(
        default=list,
        blank=True,
        help_text="Scopes the application may ask for; empty means any. Required for client credentials.",
    )
    allowed_ips = models.JSONField(default=list, blank=True, help_text="CIDR ranges; empty means any address.")
    rate_tier = models.CharField(
        max_length=10, choices=RateTier.choices, blank=True, help_text="Empty: the tier of OAuth applications (partner)."
    )
    # ID tokens are signed with the platform's RSA key; HS256 (the client secret as key) is not offered.
    algorithm = models.CharField(
        max_length=5,
        choices=[(AbstractApplication.RS256_ALGORITHM, "RSA with SHA-2 256")],
        default=AbstractApplication.RS256_ALGORITHM,
        blank=True,
    )

    class Meta(AbstractApplication.Meta):
        ordering = ["name"]

    def get_allowed_schemes(self) -> list[str]:
        # http is let through here for loopback redirect URIs only: clean() refuses any other http URI,
        # and a request's redirect URI must match a registered one exactly.
        return ["https", "http"]

    def clean(self) -> None:
        problems: dict[str, list[str]] = {}
        try:
            super().clean()
        except ValidationError as exc:
            problems.update({field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()})
        uri_problems = [p for p in map(redirect_uri_problem, self.redirect_uris.split()) if p]
        if uri_problems:
            problems.setdefault("redirect_uris", []).extend(uri_problems)
        if self.logo_url and (logo_problem := logo_url_problem(self.logo_url)):
            problems.setdefault("logo_url", []).append(logo_problem)
        if self.authorization_grant_type not in self.OFFERED_GRANT_TYPES:
            problems.setdefault("authorization_grant_type", []).append(
                "The platform offers the authorization code (with PKCE), client credentials and, for first-party "
                "applications, password grants."
            )
        if self.authorization_grant_type == self.GRANT_CLIENT_CREDENTIALS:
            if self.organization_id is None:
                problems.setdefault("organization", []).append("A client-credentials application acts in one organization.")
            if self.client_type != self.CLIENT_CONFIDENTIAL:
                problems.setdefault("client_type", []).append("Client credentials need a confidential client.")
            if not self.allowed_scopes:
                problems.setdefault("allowed_scopes", []).append("Name the scopes a client-credentials application may use.")
        if self.authorization_grant_type == self.GRANT_PASSWORD and not self.first_party:
            problems.setdefault("authorization_grant_type", []).append(
                "Only first-party applications may use the password grant."
            )
        if not isinstance(self.allowed_scopes, list) or unknown_scopes(self.allowed_scopes):
            problems.setdefault("allowed_scopes", []).append("A list of the platform's scopes.")
        try:
            for cidr in self.allowed_ips or []:
                ipaddress.ip_network(cidr, strict=False)
        except (TypeError, ValueError):
            problems.setdefault("allowed_ips", []).append("A list of CIDR ranges, e.g. 203.0.113.0/24.")
        if problems:
            raise ValidationError(problems)

    @property
    def logo_to_show(self) -> str:
        """The logo URL if it is one the platform shows (rows saved before the rule may hold others), else ""."""
        return self.logo_url if self.logo_url and logo_url_problem(self.logo_url) is None else ""

    @property
    def audit_id(self) -> str:
        return f"oauth_app:{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"OAuth application {self.name or self.client_id}"


class AccessToken(AbstractAccessToken):
    """An issued access token (a JWT; only its SHA-256 is stored), for the organization it was granted in."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The organization the grant is for.",
    )

    class Meta(AbstractAccessToken.Meta):
        ordering = ["-created"]


class RefreshToken(AbstractRefreshToken):
    """A refresh token; its organization is its access token's. Rotated on every use, one family per grant."""

    class Meta(AbstractRefreshToken.Meta):
        ordering = ["-created"]


class Grant(AbstractGrant):
    """An authorization code, for the organization the user picked on the consent page."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta(AbstractGrant.Meta):
        pass


class IDToken(AbstractIDToken):
    class Meta(AbstractIDToken.Meta):
        pass


class DeviceGrant(AbstractDeviceGrant):
    """Swapped with the others so the toolkit's models all live here; the platform offers no device flow."""

    class Meta(AbstractDeviceGrant.Meta):
        pass
