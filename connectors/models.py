"""Connections to vendors, the call log, durable connector jobs and received vendor notifications."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organization
from core.models import BaseModel


class Kind(models.TextChoices):
    PAYMENT = "payment", "Payments"
    EMAIL = "email", "Email"
    CALENDAR = "calendar", "Calendar"
    VIDEO = "video", "Video conferencing"
    CRM = "crm", "CRM"
    SOCIAL = "social", "Social media"
    FILE_TRANSFER = "file_transfer", "File transfer"


class Mode(models.TextChoices):
    TEST = "test", "Test"
    LIVE = "live", "Live"


class ConnectionStatus(models.TextChoices):
    CONNECTED = "connected", "Connected"
    FAILING = "failing", "Failing"
    DISCONNECTED = "disconnected", "Disconnected"


class CircuitState(models.TextChoices):
    CLOSED = "closed", "Closed (calls go through)"
    OPEN = "open", "Open (calls refused until the cool-down ends)"
    HALF_OPEN = "half_open", "Half-open (one probe call allowed)"


class Connection(BaseModel):
    """One organization's (or, for a personal calendar, one user's) account at a vendor.

    ``credentials`` is a JSON object encrypted with ``core.secrets`` (never rendered); ``settings`` holds what is
    not secret (a publishable key, a sender address). OAuth vendors keep their tokens encrypted the same way.
    The circuit breaker's state lives here, so every web and worker process sees the same one.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="connections")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="connections"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    vendor = models.CharField(max_length=40)
    mode = models.CharField(max_length=4, choices=Mode.choices, default=Mode.TEST)
    name = models.CharField(max_length=200, blank=True)
    credentials = models.TextField(blank=True, help_text="Encrypted JSON (core.secrets).")
    settings = models.JSONField(default=dict, blank=True)
    access_token = models.TextField(blank=True, help_text="Encrypted.")
    refresh_token = models.TextField(blank=True, help_text="Encrypted.")
    token_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ConnectionStatus.choices, default=ConnectionStatus.CONNECTED)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    circuit_state = models.CharField(max_length=10, choices=CircuitState.choices, default=CircuitState.CLOSED)
    consecutive_failures = models.PositiveIntegerField(default=0)
    circuit_opened_at = models.DateTimeField(null=True, blank=True)
    # A half-open probe in flight holds the circuit until then (another process may probe after it).
    probe_until = models.DateTimeField(null=True, blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "kind", "vendor", "mode"]),
            models.Index(fields=["organization", "created_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} ({self.mode}) of {self.organization_id}"

    @property
    def label(self) -> str:
        return self.name or f"{self.vendor.title()} ({self.get_mode_display().lower()})"


class CallOutcome(models.TextChoices):
    OK = "ok", "Succeeded"
    REJECTED = "rejected", "Refused by the vendor"
    ERROR = "error", "Vendor error (retried)"
    TIMEOUT = "timeout", "Timed out or unreachable (retried)"
    CIRCUIT_OPEN = "circuit_open", "Not attempted: circuit open"


class CallLog(models.Model):
    """One call to a vendor: what, when, how long, how it ended. No bodies; errors redacted (``calls.redact``)."""

    id = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="calls")
    operation = models.CharField(max_length=80)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=500, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    idempotency_key = models.CharField(max_length=255, blank=True)
    vendor_request_id = models.CharField(max_length=255, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["connection", "created_at", "id"])]

    def __str__(self) -> str:
        return f"{self.operation} {self.outcome}"


class JobStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed (gave up)"


class ConnectorJob(BaseModel):
    """A call to make to a vendor later, written in the transaction that decided it (an outbox of its own).

    Run by ``connectors.tasks.run_job`` after the commit, retried with backoff until ``CONNECTOR_JOB_MAX_ATTEMPTS``;
    the sweep runs any job whose message was lost. ``idempotency_key`` is sent to the vendor with every attempt,
    so a retry after a timeout never charges, refunds or sends twice.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="jobs")
    operation = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="connector_job_due"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} ({self.status})"


class InboundStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored (no action for this type)"
    FAILED = "failed", "Failed (retried by the sweep)"


class InboundEvent(models.Model):
    """A vendor's notification, verified and stored under the vendor's own event id (so a repeat is a no-op)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="inbound_events")
    channel = models.CharField(max_length=20, blank=True, help_text="The listener it came to (IPN, webhook).")
    vendor_event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=120)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=InboundStatus.choices, default=InboundStatus.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    deliveries = models.PositiveIntegerField(default=1, help_text="How many times the vendor sent it.")
    error = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(db_index=True)
    # A worker processing it holds it until then (the sweep takes over a crashed worker's event after it).
    lease_until = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["connection", "vendor_event_id"], name="inbound_event_unique_per_connection")
        ]
        indexes = [models.Index(fields=["connection", "received_at", "id"])]

    def __str__(self) -> str:
        return f"{self.event_type} {self.vendor_event_id}"
