"""Input and output shapes of the connections API (snake_case here, camelCase on the wire). No secret is ever output."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from api.serializers import InputSerializer
from connectors import registry, services
from connectors.models import CallLog, Connection, InboundEvent, Kind, Mode


class ConnectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    credential_fields = serializers.SerializerMethodField(
        help_text="The names of the credentials stored (their values are never shown)."
    )
    inbound_url = serializers.SerializerMethodField(
        help_text="Where the vendor sends its notifications for this connection (set it in the vendor's dashboard); "
        "null for vendors that send none."
    )

    class Meta:
        model = Connection
        fields = [
            "id",
            "kind",
            "vendor",
            "mode",
            "name",
            "settings",
            "credential_fields",
            "status",
            "last_success_at",
            "last_error",
            "last_error_at",
            "circuit_state",
            "consecutive_failures",
            "circuit_opened_at",
            "inbound_url",
            "disconnected_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_credential_fields(self, connection: Connection) -> list[str]:
        return sorted(services.credentials_of(connection))

    def get_inbound_url(self, connection: Connection) -> str | None:
        spec = registry.get(connection.kind, connection.vendor)
        if spec is None or spec.intake is None:
            return None
        return f"{settings.SITE_URL}/hooks/{connection.pk}"


class ConnectionInputSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    vendor = serializers.CharField(max_length=40)
    mode = serializers.ChoiceField(choices=Mode.choices, default=Mode.TEST)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    credentials = serializers.DictField(
        child=serializers.CharField(max_length=2000),
        help_text="The vendor's credentials (for Stripe: `secretKey`, `webhookSecret`); stored encrypted, never shown.",
    )
    settings = serializers.DictField(
        child=serializers.CharField(max_length=2000),
        required=False,
        default=dict,
        help_text="What is not secret (for Stripe: `publishableKey`).",
    )


class ConnectionTestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ok = serializers.BooleanField()
    message = serializers.CharField()
    duration_ms = serializers.IntegerField()


class CallLogSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CallLog
        fields = [
            "id",
            "operation",
            "method",
            "path",
            "attempt",
            "idempotency_key",
            "vendor_request_id",
            "status_code",
            "outcome",
            "duration_ms",
            "error",
            "created_at",
        ]
        read_only_fields = fields


class InboundEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = InboundEvent
        fields = [
            "id",
            "channel",
            "vendor_event_id",
            "event_type",
            "status",
            "attempts",
            "deliveries",
            "error",
            "received_at",
            "processed_at",
        ]
        read_only_fields = fields
