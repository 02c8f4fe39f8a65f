"""Ticket types, registrations and the per-event registration settings (waitlist, payment window)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.models import Organization, User
from core.models import BaseModel
from events.models import Event

# The attendee's answers, as JSON, at most this many bytes (API and console: registrations.services.answers_check).
MAX_ANSWERS_BYTES = 10_000


class TicketVisibility(models.TextChoices):
    PUBLIC = "public", "Public"
    HIDDEN = "hidden", "Hidden"


class RegistrationStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Pending payment"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    WAITLISTED = "waitlisted", "Waitlisted"


class RegistrationSource(models.TextChoices):
    USER = "user", "User"
    API_CLIENT = "api_client", "API client"
    BATCH = "batch", "Batch"


def default_pending_ttl() -> int:
    return int(getattr(settings, "REGISTRATION_PENDING_TTL_MINUTES", 30))


def new_ticket_code() -> str:
    # 128 bits from the OS's CSPRNG: unguessable, URL- and QR-safe (22 characters).
    return secrets.token_urlsafe(16)


class EventRegistrationSettings(BaseModel):
    """How an event takes registrations; events without a row use the defaults."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="registration_settings")
    waitlist_enabled = models.BooleanField(default=False)
    pending_payment_ttl_minutes = models.PositiveIntegerField(
        default=default_pending_ttl, help_text="How long a paid registration holds its seat while payment is pending."
    )

    class Meta:
        verbose_name = "event registration settings"
        verbose_name_plural = "event registration settings"
        constraints = [
            models.CheckConstraint(condition=Q(pending_payment_ttl_minutes__gte=1), name="regsettings_ttl_positive"),
        ]

    def __str__(self) -> str:
        return f"Registration settings of {self.event_id}"


class TicketType(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="ticket_types")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, help_text="The event's currency, copied when the ticket type is created.")
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=0, help_text="Percent, 0 to 100.")
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty means limited only by the event.")
    sales_starts_at = models.DateTimeField(null=True, blank=True)
    sales_ends_at = models.DateTimeField(null=True, blank=True)
    max_per_order = models.PositiveSmallIntegerField(default=10)
    visibility = models.CharField(max_length=10, choices=TicketVisibility.choices, default=TicketVisibility.PUBLIC)
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="ticket_type_name_unique_per_event"),
            models.CheckConstraint(condition=Q(price__gte=0), name="ticket_type_price_not_negative"),
            models.CheckConstraint(condition=Q(tax_rate__gte=0) & Q(tax_rate__lte=100), name="ticket_type_tax_rate_percent"),
            models.CheckConstraint(condition=Q(max_per_order__gte=1), name="ticket_type_max_per_order_positive"),
            models.CheckConstraint(
                condition=Q(sales_starts_at__isnull=True)
                | Q(sales_ends_at__isnull=True)
                | Q(sales_ends_at__gt=F("sales_starts_at")),
                name="ticket_type_sales_window_ordered",
            ),
        ]
        indexes = [models.Index(fields=["event", "sort_order", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.price == 0


class SeatCount(models.Model):
    """Registrations holding a seat and waitlisted, per ticket type: a counter the database keeps.

    Triggers on ``registrations_registration`` (migration 0004, PostgreSQL and
    SQLite) add and subtract on every insert, delete and change of status or
    ticket type, whatever wrote the row; the application only reads this table.
    ``held`` counts every pending-payment registration, also one past its
    ``expires_at`` that the expiry job has not cancelled yet, so it is an upper
    bound of the seats taken: a check that passes on it passes on the exact
    count, and one that fails falls back to counting (``selectors.seats_taken``).
    """

    ticket_type = models.OneToOneField(TicketType, on_delete=models.CASCADE, primary_key=True, related_name="seat_count")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    held = models.IntegerField(default=0)
    waitlisted = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.held} held, {self.waitlisted} waitlisted"


class Registration(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="registrations")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="registrations")
    order_id = models.UUIDField(db_index=True, help_text="Groups the registrations created by one request.")
    attendee_name = models.CharField(max_length=200)
    attendee_email = models.EmailField(max_length=254)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations")
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    ticket_code = models.CharField(max_length=32, unique=True, default=new_ticket_code, editable=False)
    source = models.CharField(max_length=12, choices=RegistrationSource.choices, default=RegistrationSource.USER)
    created_by = models.CharField(max_length=255, blank=True, help_text="The actor who created it (audit label).")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When a pending payment gives up its seat.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)

    # Set by registration_create: the registration as the API renders it (camelCase).
    rendered: dict[str, Any]

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["organization", "created_at", "id"]),
            models.Index(fields=["event", "status", "created_at"]),
            models.Index(fields=["ticket_type", "status"]),
            models.Index(fields=["organization", "attendee_email"]),
            models.Index(fields=["status", "expires_at"], name="registration_pending_expiry"),
            # The console's attendee list of one event, keyset-paged on (sort key, id) for each of its sorts.
            models.Index(fields=["event", "created_at", "id"], name="registration_event_created"),
            models.Index(fields=["event", "attendee_name", "id"], name="registration_event_name"),
            models.Index(fields=["event", "attendee_email", "id"], name="registration_event_email"),
            # On PostgreSQL, migration 0007 adds trigram (pg_trgm) GIN indexes for the name and email search.
        ]

    def __str__(self) -> str:
        return f"{self.attendee_name} <{self.attendee_email}>"


class CheckInResult(models.TextChoices):
    OK = "ok", "Checked in"
    ALREADY_CHECKED_IN = "ALREADY_CHECKED_IN", "Already checked in"
    TICKET_CANCELLED = "TICKET_CANCELLED", "Ticket cancelled"
    TICKET_NOT_PAID = "TICKET_NOT_PAID", "Payment pending"
    TICKET_WAITLISTED = "TICKET_WAITLISTED", "Waitlisted"
    TICKET_NOT_FOUND = "TICKET_NOT_FOUND", "Unknown code"
    WRONG_EVENT = "WRONG_EVENT", "Ticket for another event"
    CHECKIN_CLOSED = "CHECKIN_CLOSED", "Event or session not open for check-in"
    CHECKIN_NOT_OPEN = "CHECKIN_NOT_OPEN", "Check-in window not open yet"
    CHECKIN_WINDOW_CLOSED = "CHECKIN_WINDOW_CLOSED", "Check-in window over"
    TICKET_SIGNATURE_INVALID = "TICKET_SIGNATURE_INVALID", "Signed ticket not valid"


# A scanned code is stored as scanned (unknown codes too), cut to this length.
SCANNED_CODE_MAX = 64


class CheckIn(BaseModel):
    """One scan at the door or a session room, accepted or not (the scan log).

    An accepted scan that has not been undone is an *active* check-in; each
    registration has at most one per event entry (``session`` null) and one per
    session, enforced by the two partial unique constraints below.
    """

    # Bulk check-in writes 1,000 rows a request: no index that a composite one below already covers
    # (organization, event, created_at), nor on scanned_by_user (never looked up by it).
    created_at = models.DateTimeField(auto_now_add=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="checkins", db_index=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkins", db_index=False)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="checkins")
    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, null=True, blank=True, related_name="checkins")
    code = models.CharField(max_length=SCANNED_CODE_MAX, help_text="The scanned code, cut to 64 characters.")
    accepted = models.BooleanField()
    result = models.CharField(max_length=32, choices=CheckInResult.choices)
    details = models.JSONField(default=dict, blank=True, help_text="Why a scan was refused (e.g. the first check-in).")
    scanned_by = models.CharField(max_length=255, blank=True, help_text="The actor who scanned (audit label).")
    scanned_by_user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False)
    device = models.CharField(max_length=200, blank=True)
    nonce = models.CharField(max_length=128, null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "check-in"
        ordering = ["created_at", "id"]
        constraints = [
            # Two partial constraints rather than one over COALESCE(session): NULL never equals NULL.
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(accepted=True, undone_at__isnull=True, session__isnull=True),
                name="checkin_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=Q(accepted=True, undone_at__isnull=True, session__isnull=False),
                name="checkin_once_per_session",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "created_at", "id"]),
            models.Index(fields=["event", "created_at"]),
            models.Index(fields=["organization", "nonce"], condition=Q(nonce__isnull=False), name="checkin_nonce"),
        ]

    def __str__(self) -> str:
        return f"{self.result} {self.code[:8]}… at {self.created_at:%Y-%m-%d %H:%M:%S}" if self.created_at else self.result


class SessionFeedback(BaseModel):
    """An attendee's rating of a session they were checked in to (one per registration and session)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="session_feedback")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = "session feedback"
        verbose_name_plural = "session feedback"
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "registration"], name="feedback_once_per_session"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.session_id}"


class TicketSigningKey(BaseModel):
    """An organization's Ed25519 key that signs the payload of its tickets' QR codes (registrations.tickets).

    One key is current (``retired_at`` empty). A retired key still verifies the
    tickets it signed before its retirement until their event ends; it is
    published until ``valid_until``, the end of the last event it may have signed for.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="ticket_keys")
    key_id = models.CharField(max_length=32, unique=True)
    public_key = models.CharField(max_length=64, help_text="The raw 32-byte public key, base64url without padding.")
    private_key = models.TextField(help_text="The raw private key, encrypted at rest (core.secrets).")
    retired_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(retired_at__isnull=True), name="ticket_key_one_current_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.key_id


class DocumentBranding(BaseModel):
    """How an organization's PDF documents look (tickets, certificates, invoices): colours, a logo, a footer line."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="document_branding")
    primary_colour = models.CharField(max_length=7, default="#1f2937")
    accent_colour = models.CharField(max_length=7, default="#2563eb")
    footer = models.CharField(max_length=200, blank=True)
    logo = models.BinaryField(null=True, blank=True, help_text="PNG or JPEG, at most 256 KB.")
    logo_type = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"Branding of {self.organization_id}"


class ImportKind(models.TextChoices):
    REGISTRATIONS = "registrations", "New registrations"
    ATTENDEES = "attendees", "Attendee details of registrations"


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", "Checked, no errors"
    INVALID = "invalid", "Checked, with errors"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ImportJob(BaseModel):
    """A file of registrations or attendee details (registrations.imports): its dry run, then its run by a worker.

    Uploading checks every row and writes nothing but this job and the stored file (the
    dry run, ``report``). Running it (a worker, leased like exports) goes row by row
    through the API's services; each row's outcome is an ``ImportRow``, committed with
    what the row wrote, so a run that restarts never writes a row twice.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="import_jobs")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=16, choices=ImportKind.choices)
    status = models.CharField(max_length=12, choices=ImportStatus.choices)
    file = models.FileField(upload_to="imports/", max_length=300)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    rows_total = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True, help_text="The dry run's errors: row, column, code, message.")
    skip_invalid = models.BooleanField(default=False)
    rows_done = models.PositiveIntegerField(default=0)
    attempt = models.PositiveIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    result_file = models.FileField(upload_to="imports/", max_length=300, blank=True)
    outcomes = models.JSONField(default=dict, blank=True, help_text="Rows per outcome, recorded when the run ends.")
    error = models.CharField(max_length=500, blank=True)
    created_by = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["claimed_until"], condition=Q(status__in=["queued", "running"]), name="import_job_open"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} import {self.file_name} ({self.status})"


class ImportRow(models.Model):
    """One row's outcome in an import run, written in the transaction of what the row changed."""

    id = models.BigAutoField(primary_key=True)
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField(help_text="The row's line in the file (the header is line 1).")
    outcome = models.CharField(max_length=16)  # confirmed, pending_payment, waitlisted, updated, failed, skipped
    registration_id = models.UUIDField(null=True, blank=True)
    code = models.CharField(max_length=64, blank=True)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "row"], name="import_row_once")]

    def __str__(self) -> str:
        return f"row {self.row}: {self.outcome}"
