"""Messages sent to attendees, what the email vendor reported about each, and the suppression list."""

from __future__ import annotations

import uuid

from django.db import models

from accounts.models import Organization
from core.models import BaseModel


class MessageType(models.TextChoices):
    REGISTRATION_CONFIRMATION = "registration_confirmation", "Registration confirmation"
    PAYMENT_RECEIPT = "payment_receipt", "Payment receipt"
    REMINDER = "reminder", "Event reminder"
    EVENT_UPDATE = "event_update", "Event update"
    CHECKIN_INSTRUCTIONS = "checkin_instructions", "Check-in instructions"
    SURVEY = "survey", "Post-event survey"
    CERTIFICATE = "certificate", "Certificate of attendance"
    OTHER = "other", "Other"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Accepted by the vendor"
    DELIVERED = "delivered", "Delivered"
    DEFERRED = "deferred", "Deferred by the receiving server"
    BOUNCED = "bounced", "Bounced"
    DROPPED = "dropped", "Dropped by the vendor"
    SPAM = "spamreport", "Reported as spam"
    SUPPRESSED = "suppressed", "Not sent: the address is suppressed"
    FAILED = "failed", "Failed (gave up)"


class Message(BaseModel):
    """One email to one recipient: what was sent, through which connection, and what happened to it.

    ``content`` is the message as sent (subject, text, HTML, headers, attachments in base64); ``dedupe_key`` makes
    a trigger that fires twice (a reminder run repeated) queue it once.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="messages")
    event_id = models.UUIDField(null=True, blank=True, db_index=True, help_text="The platform event it is about.")
    type = models.CharField(max_length=30, choices=MessageType.choices, default=MessageType.OTHER)
    recipient = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    connection = models.ForeignKey("connectors.Connection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    vendor = models.CharField(max_length=40, blank=True, help_text="sendgrid, or local (SMTP / console).")
    vendor_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    dedupe_key = models.CharField(max_length=255, unique=True)
    content = models.JSONField(default=dict)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True, help_text="The language of the template it was written from.")
    # Sent in a batch (one SendGrid request for many recipients): the batch's shared content and this recipient's
    # substitutions (placeholder -> value); ``content`` is still the message as this recipient gets it.
    batch = models.ForeignKey("MessageBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    merge = models.JSONField(default=dict, blank=True)
    # Set just before a request to the vendor and cleared when the request surely did not reach it: a retry that
    # finds it set asks SendGrid's Email Activity whether the lost answer was an acceptance (never twice).
    attempted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "event_id", "type"]),
            models.Index(fields=["organization", "created_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.type} to {self.recipient} ({self.status})"


class MessageBatch(BaseModel):
    """Messages of one type and template sent in one SendGrid request (one personalization per recipient).

    ``content`` is the shared message with placeholders that each recipient's ``Message.merge`` fills in
    (SendGrid's substitutions); ``attempted_at`` works as on a message."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey("connectors.Connection", on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=30, choices=MessageType.choices, default=MessageType.OTHER)
    content = models.JSONField(default=dict)
    attempted_at = models.DateTimeField(null=True, blank=True)
    vendor_message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"batch of {self.type}"


class MessageEvent(models.Model):
    """One event the vendor reported about a message (processed, delivered, open, click, bounce, ...), once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    vendor_event_id = models.CharField(max_length=255, unique=True)
    occurred_at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} of {self.message_id}"


class SuppressionReason(models.TextChoices):
    BOUNCE = "bounce", "Bounced"
    SPAM = "spamreport", "Reported as spam"
    DROPPED = "dropped", "Dropped by the vendor (invalid or blocked)"
    MANUAL = "manual", "Added by the organization"


class Suppression(models.Model):
    """An address the organization sends nothing more to (until it is removed)."""

    id = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=254, help_text="Lower-cased.")
    reason = models.CharField(max_length=20, choices=SuppressionReason.choices)
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["organization", "email"], name="suppression_once_per_org")]

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"


class MessageTemplate(BaseModel):
    """An organization's own template of a message type in one language (else the shipped default is used)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=30, choices=MessageType.choices)
    language = models.CharField(max_length=10, default="en")
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()

    class Meta:
        ordering = ["type", "language"]
        constraints = [models.UniqueConstraint(fields=["organization", "type", "language"], name="message_template_once")]

    def __str__(self) -> str:
        return f"{self.type} ({self.language})"


class Preference(models.Model):
    """What an address of an organization's attendees opted out of (reminders, surveys); receipts and changes to
    their own registration are always sent."""

    id = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=254, help_text="Lower-cased.")
    reminders = models.BooleanField(default=True)
    surveys = models.BooleanField(default=True)
    language = models.CharField(
        max_length=10, blank=True, help_text="The language the attendee reads (e.g. de, pt-BR); empty: not chosen."
    )
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "email"], name="email_preference_once")]

    def __str__(self) -> str:
        return self.email


class EmailSettings(models.Model):
    """An organization's email settings: the language of its messages when the attendee's is not known or has no
    template of its own."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, primary_key=True, related_name="+")
    default_language = models.CharField(max_length=10, default="en")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"email settings of {self.organization_id}"


class EventMessaging(models.Model):
    """Per event: the reminder schedule (days before the start), and what attendees were last told of its time
    and place (an update is sent when one of these changes)."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, primary_key=True, related_name="+")
    reminder_days = models.JSONField(default=list, blank=True, help_text="Empty: the default, 7 and 1.")
    told_starts_at = models.DateTimeField(null=True, blank=True)
    told_ends_at = models.DateTimeField(null=True, blank=True)
    told_location = models.CharField(max_length=500, blank=True)
    told_online_url = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return str(self.event_id)
