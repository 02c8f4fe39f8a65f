"""Input and output shapes of the webhooks API (snake_case here, camelCase on the wire)."""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import AwareDateTimeField, CsvField, InputSerializer, QuerySerializer, TenantPrimaryKeyField
from events.models import Event
from integrations import exports, schedules
from integrations.catalog import CATALOG
from integrations.models import (
    CalendarFeed,
    DeliveryStatus,
    ExportDestination,
    ExportJob,
    ExportRun,
    ExportSchedule,
    ExportStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from integrations.selectors import DeliveryFilter


def _events_of(organization: Any) -> Any:
    return Event.objects.none() if organization is None else Event.objects.filter(organization=organization)


# -- output -----------------------------------------------------------------------------------
# Why the platform disabled a subscription: its URL answered 410, or every attempt failed for days; "" while enabled
# or when a member disabled it.
DISABLED_REASONS = [("", "Not disabled by the platform"), ("gone", "410 Gone"), ("failing", "Failing for too long")]


class WebhookSubscriptionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    event_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    disabled_reason = serializers.ChoiceField(choices=DISABLED_REASONS, read_only=True)
    previous_secret_expires_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="While set, requests carry a signature with the previous secret too."
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "event_id",
            "enabled",
            "rate_limit",
            "disabled_reason",
            "failing_since",
            "previous_secret_expires_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.SerializerMethodField(help_text="The signing secret: shown here once (and by reveal-secret).")

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields

    def get_secret(self, subscription: WebhookSubscription) -> str:
        return str(self.context["secret"])


class WebhookSecretSerializer(serializers.Serializer):  # type: ignore[type-arg]
    secret = serializers.CharField(help_text="`whsec_` + base64 of 32 bytes.")
    previous_secret_expires_at = serializers.DateTimeField(allow_null=True)


class WebhookAttemptSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    request_headers = serializers.DictField(child=serializers.CharField(), read_only=True)
    response_headers = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = WebhookAttempt
        fields = [
            "number",
            "attempted_at",
            "url",
            "request_headers",
            "request_body",
            "response_status",
            "response_headers",
            "response_body",
            "duration_ms",
            "error",
        ]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    message_id = serializers.CharField(read_only=True, help_text="The `webhook-id` header of every attempt.")
    subscription_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "subscription_id",
            "event_type",
            "status",
            "attempt_count",
            "next_attempt_at",
            "last_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_error",
            "is_test",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookDeliveryDetailSerializer(WebhookDeliverySerializer):
    payload = serializers.SerializerMethodField(help_text="The envelope sent (and signed) on every attempt.")
    attempts = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta(WebhookDeliverySerializer.Meta):
        fields = [*WebhookDeliverySerializer.Meta.fields, "payload", "attempts"]
        read_only_fields = fields

    @extend_schema_field(serializers.JSONField())
    def get_payload(self, delivery: WebhookDelivery) -> Any:
        return json.loads(delivery.body)


class WebhookEventTypeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    type = serializers.CharField()
    family = serializers.CharField(help_text="Subscribe to `<family>.*` for every type of the family.")
    description = serializers.CharField()
    schema = serializers.JSONField(help_text="JSON Schema (2020-12) of the envelope's `data`.")
    example = serializers.JSONField(help_text="An example of `data`.")


class WebhookCatalogSerializer(serializers.Serializer):  # type: ignore[type-arg]
    data = WebhookEventTypeSerializer(many=True)
    source_ips = serializers.ListField(child=serializers.CharField(), help_text="Addresses deliveries come from.")


class WebhookSourceIpsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    data = serializers.ListField(child=serializers.CharField(), help_text="Addresses and ranges deliveries come from.")


# -- input ------------------------------------------------------------------------------------
class WebhookSubscriptionInputSerializer(InputSerializer):
    tolerated_read_only = (*InputSerializer.tolerated_read_only, "disabled_reason", "failing_since", "created_by")

    url = serializers.CharField(max_length=2000, help_text="https:// address that receives the POST requests.")
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=64),
        allow_empty=False,
        max_length=50,
        help_text="Types of the catalog (`registration.created`) or families (`registration.*`).",
    )
    event_id = TenantPrimaryKeyField(
        scope=_events_of, required=False, allow_null=True, help_text="Only changes about this event (and its resources)."
    )
    enabled = serializers.BooleanField(required=False)
    rate_limit = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1000, help_text="Deliveries per second at most."
    )


class WebhookTestSerializer(InputSerializer):
    event_type = serializers.ChoiceField(choices=list(CATALOG), help_text="The type of the sample message.")


class WebhookRecoverSerializer(InputSerializer):
    since = AwareDateTimeField(help_text="Resend every failed delivery created since then.")


class WebhookDeliveryFilterSerializer(QuerySerializer):
    filter_class = DeliveryFilter

    subscription = serializers.UUIDField(required=False)
    status = CsvField(choices=DeliveryStatus.choices)
    event_type = CsvField(choices=[(name, name) for name in CATALOG])


# -- batch exports -------------------------------------------------------------------------------
EXPORT_TYPES = sorted(exports.SOURCES)


class ExportFiltersSerializer(InputSerializer):
    event_id = serializers.UUIDField(required=False, help_text="Only rows of this event (types with an event).")
    created_after = AwareDateTimeField(required=False, help_text="Rows created at or after (inclusive).")
    created_before = AwareDateTimeField(required=False, help_text="Rows created before (exclusive).")
    status = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=10, help_text="Only rows in these statuses."
    )


class ExportCreateSerializer(InputSerializer):
    type = serializers.ChoiceField(choices=EXPORT_TYPES)
    format = serializers.ChoiceField(choices=sorted(exports.FORMATS))
    filters = ExportFiltersSerializer(required=False)


class ExportProgressSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField(allow_null=True, help_text="Known once the worker has started.")
    percent = serializers.IntegerField(allow_null=True)


class ExportJobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    filters = serializers.JSONField(read_only=True)
    progress = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "type",
            "format",
            "filters",
            "status",
            "progress",
            "download_url",
            "file_size",
            "error",
            "created_at",
            "started_at",
            "completed_at",
            "expires_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ExportProgressSerializer)
    def get_progress(self, job: ExportJob) -> dict[str, Any]:
        percent = None
        if job.rows_total is not None:
            percent = 100 if job.rows_total == 0 else min(100, job.rows_done * 100 // job.rows_total)
        return {"rows_done": job.rows_done, "rows_total": job.rows_total, "percent": percent}

    @extend_schema_field(
        serializers.URLField(
            allow_null=True, help_text="A signed link, valid for `EXPORT_URL_TTL_SECONDS`; null until the file is ready."
        )
    )
    def get_download_url(self, job: ExportJob) -> str | None:
        can_read: Any = self.context.get("can_read_type")
        if job.status != ExportStatus.SUCCEEDED or (can_read is not None and not can_read(job.type)):
            return None
        return exports.download_url(job)


# -- scheduled exports -------------------------------------------------------------------------
class ExportScheduleInputSerializer(InputSerializer):
    tolerated_read_only = (*InputSerializer.tolerated_read_only, "next_run_at", "last_run_at", "created_by")

    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=EXPORT_TYPES)
    format = serializers.ChoiceField(choices=sorted(exports.FORMATS))
    filters = ExportFiltersSerializer(required=False)
    cron = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Five fields: minute hour day-of-month month day-of-week."
    )
    rrule = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="An RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=0.",
    )
    time_zone = serializers.CharField(
        max_length=64, required=False, help_text="IANA name; the rule is read in it (UTC if absent)."
    )
    destination = serializers.ChoiceField(choices=ExportDestination.choices)
    recipients = serializers.ListField(child=serializers.EmailField(), required=False, max_length=20)
    connection_id = serializers.UUIDField(required=False, allow_null=True, help_text="A file-transfer (SFTP) connection.")
    url = serializers.URLField(
        max_length=2000, required=False, allow_blank=True, help_text="The https endpoint the file is POSTed to."
    )
    enabled = serializers.BooleanField(required=False)


class ExportScheduleSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    filters = serializers.JSONField(read_only=True)
    recipients = serializers.ListField(child=serializers.EmailField(), read_only=True)
    connection_id = serializers.UUIDField(read_only=True, allow_null=True)
    # No https destination is null, never "": a client validating the field as a URI accepts either.
    url = serializers.SerializerMethodField()

    class Meta:
        model = ExportSchedule
        fields = [
            "id",
            *schedules.EDITABLE,
            "next_run_at",
            "last_run_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="The https endpoint the file is POSTed to."))
    def get_url(self, schedule: ExportSchedule) -> str | None:
        return schedule.url or None


class ExportScheduleCreatedSerializer(ExportScheduleSerializer):
    secret = serializers.SerializerMethodField(help_text="The https destination's signing secret, shown once (else null).")

    class Meta(ExportScheduleSerializer.Meta):
        fields = [*ExportScheduleSerializer.Meta.fields, "secret"]
        read_only_fields = fields

    def get_secret(self, schedule: ExportSchedule) -> str | None:
        return self.context.get("secret") or None


class ExportRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    job_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = ExportRun
        fields = [
            "id",
            "scheduled_for",
            "status",
            "attempts",
            "next_attempt_at",
            "job_id",
            "rows",
            "delivered_to",
            "error",
            "finished_at",
        ]
        read_only_fields = fields


# -- calendar feeds -------------------------------------------------------------------------------------------------
class CalendarFeedInputSerializer(InputSerializer):
    attendee_email = serializers.EmailField(max_length=254, help_text="The attendee whose confirmed registrations it lists.")


class CalendarFeedSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CalendarFeed
        fields = ["id", "attendee_email", "revoked_at", "last_read_at", "created_at", "updated_at"]
        read_only_fields = fields


class CalendarFeedCreatedSerializer(CalendarFeedSerializer):
    url = serializers.SerializerMethodField(help_text="The secret feed address; shown only in this answer.")

    class Meta(CalendarFeedSerializer.Meta):
        fields = [*CalendarFeedSerializer.Meta.fields, "url"]
        read_only_fields = fields

    def get_url(self, feed: CalendarFeed) -> str:
        return str(self.context.get("url", ""))
