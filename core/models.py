"""Base models and the audit log."""

from __future__ import annotations

import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID primary key and timestamps for every domain row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One write: who did what to which object, which fields changed, under which request.

    Rows are append-only and keep plain ids and labels rather than foreign keys,
    so they outlive the users and objects they speak of.
    """

    id = models.BigAutoField(primary_key=True)
    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, db_index=True)
    object_label = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    correlation_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["organization_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type} {self.object_label}"


class OutboxEvent(models.Model):
    """Something a partner may subscribe to, committed with the change it describes.

    ``dispatched_at`` is set once delivery has taken the row (integrations, later);
    rows without it are what a dispatcher or the periodic sweep picks up.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization_id = models.UUIDField(db_index=True)
    event_type = models.CharField(max_length=64)
    data = models.JSONField()
    correlation_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["organization_id", "event_type", "created_at"]),
            models.Index(fields=["created_at"], condition=models.Q(dispatched_at__isnull=True), name="outbox_undispatched"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.created_at:%Y-%m-%d %H:%M:%S}"


class Heartbeat(models.Model):
    """The last sign of life of a kind of background process (``worker``, ``beat``), read by ``/health/ready``.

    One row per kind, overwritten in place (core.health.record_heartbeat): a worker writes
    ``worker`` when it starts and each time it runs the periodic heartbeat task; beat writes
    ``beat`` when it starts and each time it sends a task.
    """

    name = models.CharField(max_length=32, primary_key=True)
    beat_at = models.DateTimeField()
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class Change(models.Model):
    """One create, update or delete of a row a partner may keep a copy of (``core.changes``).

    Written in the writer's transaction, so it commits with the change or not at all.
    ``sequence`` is given after the commit, in the order rows become visible (see
    ``core.changes.stamp``), so a reader's cursor never passes a change that was
    still uncommitted when it read: the gap of ids or timestamps taken before the commit.
    """

    id = models.BigAutoField(primary_key=True)
    organization_id = models.UUIDField()
    resource = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=8)  # "upsert" or "delete"
    changed_at = models.DateTimeField()
    sequence = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint(fields=["organization_id", "sequence"], name="change_sequence_unique")]
        indexes = [
            models.Index(fields=["organization_id", "id"], condition=models.Q(sequence__isnull=True), name="change_unsequenced"),
            models.Index(fields=["changed_at"], name="change_changed_at"),
            # Compaction (core.changes.compact) asks whether a later change of the same object exists.
            models.Index(fields=["organization_id", "resource", "object_id", "sequence"], name="change_object"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.resource} {self.object_id}"


class ChangeSequence(models.Model):
    """The last ``Change.sequence`` given in an organization; its row lock serializes the stamping.

    ``horizon`` is the highest sequence the retention ever deleted (``core.changes.purge``): a
    cursor below it may have missed a change and is answered 410 ``CHANGE_CURSOR_EXPIRED``.
    """

    organization_id = models.UUIDField(primary_key=True)
    last = models.BigIntegerField(default=0)
    horizon = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.last}"
