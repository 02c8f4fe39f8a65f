"""Input and output shapes of the users and invitations API."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import DEFAULT_COMMUNICATION_PREFERENCES, ApiKey, ApiKeyMode, Invitation, Membership, User
from accounts.roles import Role, permissions_of
from accounts.scopes import SCOPES
from accounts.selectors import AuditFilter, MemberFilter
from api.casing import to_snake
from api.serializers import AwareDateTimeField, InputSerializer, ZoneField
from core.models import AuditEntry


class MemberSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A user as seen by the other members of an organization."""

    id = serializers.UUIDField(source="user.id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    joined_at = serializers.DateTimeField(source="created_at", read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class MembershipSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    organization_id = serializers.UUIDField(source="organization.id", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    permissions = serializers.SerializerMethodField()

    def get_permissions(self, membership: Membership) -> list[str]:
        return sorted(permissions_of(membership.role))


class ProfileSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "name",
            "locale",
            "time_zone",
            "communication_preferences",
            "memberships",
            "date_joined",
            "updated_at",
        ]
        read_only_fields = fields

    def get_memberships(self, user: User) -> Any:
        return MembershipSummarySerializer(self.context.get("memberships", []), many=True).data


class PreferencesSerializer(InputSerializer):
    event_updates = serializers.BooleanField(required=False)
    reminders = serializers.BooleanField(required=False)
    marketing = serializers.BooleanField(required=False)
    product_news = serializers.BooleanField(required=False)


class ProfileInputSerializer(InputSerializer):
    tolerated_read_only = ("id", "email", "memberships", "date_joined", "updated_at")
    name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    locale = serializers.RegexField(
        r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        max_length=35,
        required=False,
        error_messages={"invalid": "Use a BCP 47 language tag such as en-US."},
    )
    time_zone = ZoneField(required=False)
    communication_preferences = PreferencesSerializer(required=False)

    def validate_communication_preferences(self, value: dict[str, Any]) -> dict[str, bool]:
        # Stored with the wire names, as the defaults are.
        names = {to_snake(k): k for k in DEFAULT_COMMUNICATION_PREFERENCES}
        return {names[k]: v for k, v in value.items()}


class RoleInputSerializer(InputSerializer):
    tolerated_read_only = ("id", "email", "name", "joined_at", "updated_at")
    role = serializers.ChoiceField(choices=Role.choices)


INVITATION_STATUSES = ["pending", "accepted", "revoked", "expired"]
API_KEY_STATUSES = ["active", "expired", "revoked"]


class InvitationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(choices=INVITATION_STATUSES, read_only=True)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "status",
            "invited_by",
            "expires_at",
            "accepted_at",
            "revoked_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InvitationInputSerializer(InputSerializer):
    email = serializers.EmailField(max_length=254)  # the column's length: a longer address was a database error
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationAcceptSerializer(InputSerializer):
    token = serializers.CharField(max_length=200)


class MemberFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    filter_class = MemberFilter

    role = serializers.ChoiceField(choices=Role.choices, required=False)
    q = serializers.CharField(required=False, max_length=200)


class InvitationFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(
        choices=["pending"], required=False, help_text="`pending`: not yet accepted, revoked or expired."
    )


class AuditEntrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "action",
            "actor_id",
            "actor_label",
            "object_type",
            "object_id",
            "object_label",
            "changes",
            "correlation_id",
            "created_at",
        ]
        read_only_fields = fields


class AuditFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    filter_class = AuditFilter

    action = serializers.CharField(required=False, max_length=64, help_text="An action, or a prefix ending in a dot (event.)")
    object_type = serializers.CharField(required=False, max_length=64, help_text="e.g. events.event")
    object_id = serializers.CharField(required=False, max_length=64)
    actor_id = serializers.CharField(required=False, max_length=64)


# -- API keys -----------------------------------------------------------------------------------
class ApiKeySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    replaced_by_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "mode",
            "prefix",
            "scopes",
            "allowed_ips",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "status",
            "replaced_by_id",
            "rate_tier",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=API_KEY_STATUSES))
    def get_status(self, key: ApiKey) -> str:
        """active, expired or revoked."""
        return key.status_at(timezone.now())

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_created_by(self, key: ApiKey) -> str | None:
        return key.created_by.email if key.created_by is not None else None


class ApiKeySecretSerializer(ApiKeySerializer):
    """A key just created or rotated: the only answer that holds the key itself."""

    key = serializers.CharField(read_only=True, help_text="The API key. Shown this once; only its hash is stored.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiKeyInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=sorted(SCOPES)), min_length=1, max_length=len(SCOPES))
    mode = serializers.ChoiceField(choices=ApiKeyMode.choices, default=ApiKeyMode.LIVE)
    expires_at = AwareDateTimeField(required=False, allow_null=True)
    allowed_ips = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=50)


class ApiKeyRotateSerializer(InputSerializer):
    grace_period_hours = serializers.IntegerField(
        min_value=0, max_value=168, default=24, help_text="How long the old key keeps working (0 to 168 hours)."
    )
