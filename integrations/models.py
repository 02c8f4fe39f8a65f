"""Webhook subscriptions, their deliveries (one per outbox row and subscription) and every attempt made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organization
from core.models import BaseModel


class WebhookSubscription(BaseModel):
    """Where an organization wants its events sent, and the secret the requests are signed with.

    ``secret`` (and ``previous_secret`` during a rotation) are encrypted with
    ``core.secrets``; neither is ever rendered except by the reveal and rotate actions.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="webhook_subscriptions")
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=500, blank=True)
    # Catalog types ("registration.created") or families ("registration.*").
    event_types = models.JSONField(default=list)
    # Only outbox rows about this platform Event (its id, or the eventId of the resource).
    event_id = models.UUIDField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    # Deliveries per second at most (None: as fast as the workers go).
    rate_limit = models.PositiveIntegerField(null=True, blank=True)
    secret = models.TextField()
    previous_secret = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # Why the platform disabled it ("gone": a 410; "failing": 5 days of failures); blank when a user did.
    disabled_reason = models.CharField(max_length=32, blank=True)
    # Start of the current unbroken run of failed attempts (None after a success).
    failing_since = models.DateTimeField(null=True, blank=True)
    # The earliest moment the next delivery may start under ``rate_limit``.
    rate_next_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The after-commit check "has this organization an enabled subscription?" reads only this index.
            models.Index(fields=["organization"], condition=Q(enabled=True), name="webhook_sub_enabled"),
        ]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class WebhookDelivery(BaseModel):
    """One message to one subscription: the body signed and sent on every attempt, and where it stands.

    ``next_attempt_at`` is the durable retry schedule: the sweep sends every pending
    delivery whose time has come, whatever happened to the broker's messages.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    # The outbox row it carries (None for a test message); unique with the subscription: dispatch is idempotent.
    outbox_event_id = models.UUIDField(null=True, blank=True)
    event_type = models.CharField(max_length=64)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    is_test = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["outbox_event_id", "subscription"], name="webhook_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="webhook_delivery_due"),
            models.Index(fields=["organization", "-created_at"], name="webhook_delivery_org_recent"),
            models.Index(fields=["subscription", "status", "-created_at"], name="webhook_delivery_sub_status"),
            # A subscription's deliveries newest first whatever their status (the portal's list, its latest delivery).
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_sub_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"

    @property
    def message_id(self) -> str:
        """The ``webhook-id`` header and the envelope's ``id``: the same on every attempt."""
        return f"msg_{self.id.hex}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery and what came back (bodies cut at 4 KB), kept 30 days."""

    id = models.BigAutoField(primary_key=True)
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    attempted_at = models.DateTimeField(db_index=True)
    url = models.URLField(max_length=2000)
    request_headers = models.JSONField(default=dict)
    request_body = models.TextField()
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_headers = models.JSONField(default=dict)
    response_body = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["number", "id"]

    def __str__(self) -> str:
        return f"#{self.number} {self.response_status or self.error}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ExportJob(BaseModel):
    """A batch export (integrations.exports): what to export, how far the worker got, and the file it made.

    A worker claims the job with a conditional UPDATE that sets a lease and takes
    the next ``attempt`` number; only the holder of the current attempt may record
    progress or the result, so a worker killed halfway (its lease runs out, the
    sweep or the redelivered message starts a new attempt) never records a second result.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="export_jobs")
    type = models.CharField(max_length=20)
    format = models.CharField(max_length=10)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    created_by = models.CharField(max_length=255, blank=True)
    attempt = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", max_length=300, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "created_at", "id"]),
            models.Index(fields=["claimed_until"], condition=Q(status__in=["queued", "running"]), name="export_job_open"),
        ]

    def __str__(self) -> str:
        return f"{self.type} as {self.format} ({self.status})"


class ExportDestination(models.TextChoices):
    EMAIL = "email", "Email a download link"
    SFTP = "sftp", "Upload to an SFTP server"
    HTTPS = "https", "POST to an HTTPS endpoint"


class ExportSchedule(BaseModel):
    """An export made on a schedule (a cron expression or an RFC 5545 RRULE, in a time zone) and delivered.

    ``next_run_at`` is the next occurrence; the periodic tick claims it with a conditional UPDATE that moves it
    on, so each occurrence starts one ``ExportRun``. The https destination's signing secret is encrypted.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="export_schedules")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20)
    format = models.CharField(max_length=10)
    filters = models.JSONField(default=dict, blank=True)
    cron = models.CharField(max_length=120, blank=True)
    rrule = models.CharField(max_length=500, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    destination = models.CharField(max_length=10, choices=ExportDestination.choices)
    recipients = models.JSONField(default=list, blank=True)
    connection = models.ForeignKey(
        "connectors.Connection", on_delete=models.SET_NULL, null=True, blank=True, related_name="export_schedules"
    )
    url = models.URLField(max_length=2000, blank=True)
    secret = models.TextField(blank=True, help_text="Encrypted (core.secrets).")
    enabled = models.BooleanField(default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="export_schedules"
    )
    created_by = models.CharField(max_length=255, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "created_at", "id"]),
            models.Index(fields=["next_run_at"], condition=Q(enabled=True), name="export_schedule_due"),
        ]

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    PENDING = "pending", "Exporting or delivering (retried until it succeeds or gives up)"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed (gave up; the owner was told)"


class ExportRun(BaseModel):
    """One occurrence of a schedule: its export job, its delivery attempts and how it ended."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    schedule = models.ForeignKey(ExportSchedule, on_delete=models.CASCADE, related_name="runs")
    scheduled_for = models.DateTimeField()
    job = models.ForeignKey(ExportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    delivered_to = models.CharField(max_length=2000, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        constraints = [models.UniqueConstraint(fields=["schedule", "scheduled_for"], name="export_run_once_per_occurrence")]
        indexes = [
            models.Index(fields=["schedule", "scheduled_for", "id"]),
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="export_run_due"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} at {self.scheduled_for} ({self.status})"


# -- calendars (ADR 0027) -------------------------------------------------------------------------------
class CalendarFeed(BaseModel):
    """A personal subscription feed: one attendee's events in one organization at a secret URL, until revoked.

    The URL's token is shown once; only its SHA-256 is kept (a leaked database reveals no feed).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="calendar_feeds")
    attendee_email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "created_at", "id"]),
            models.Index(fields=["organization", "attendee_email"]),
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.attendee_email}"


class CalendarLinkState(models.TextChoices):
    ACTIVE = "active", "In the calendar"
    REMOVED = "removed", "Removed by the platform (cancelled)"
    DELETED_REMOTELY = "deleted_remotely", "Deleted by the calendar's owner"


class CalendarLink(BaseModel):
    """Which remote event of a connected calendar (Google, Outlook) holds one of our entries (``event:<id>``,
    ``session:<id>``): the idempotent mapping every write goes through, with what was last written."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey("connectors.Connection", on_delete=models.CASCADE, related_name="calendar_links")
    source = models.CharField(max_length=200)
    remote_id = models.CharField(max_length=1024, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, help_text="Digest of the entry last written.")
    state = models.CharField(max_length=20, choices=CalendarLinkState.choices, default=CalendarLinkState.ACTIVE)
    response_status = models.CharField(max_length=30, blank=True, help_text="The owner's answer, as the vendor says.")
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["connection", "source"], name="calendar_link_unique_source")]
        indexes = [models.Index(fields=["connection", "remote_id"])]

    def __str__(self) -> str:
        return f"{self.source} -> {self.remote_id}"


class CalendarWatch(BaseModel):
    """A change-notification channel at the vendor: a Google push channel or a Graph subscription.

    ``secret`` (encrypted) is the channel token / ``clientState`` the vendor echoes in every notification; a
    notification without it is refused. ``sync_token`` is Google's incremental-sync cursor.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey("connectors.Connection", on_delete=models.CASCADE, related_name="calendar_watches")
    channel_id = models.CharField(max_length=255)
    resource_id = models.CharField(max_length=255, blank=True)
    secret = models.TextField()
    sync_token = models.CharField(max_length=500, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["connection", "channel_id"], name="calendar_watch_unique_channel")]

    def __str__(self) -> str:
        return f"watch {self.channel_id}"
