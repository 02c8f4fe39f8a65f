"""The public status page: incidents with their updates, scheduled maintenance, developers who want emails."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import BaseModel


class Component(models.TextChoices):
    API = "api", "REST API"
    WEBHOOKS = "webhooks", "Webhooks"
    CONNECTORS = "connectors", "Connectors"
    PORTAL = "portal", "Developer portal"


class Impact(models.TextChoices):
    MINOR = "minor", "Degraded performance"
    MAJOR = "major", "Outage"


class IncidentStatus(models.TextChoices):
    INVESTIGATING = "investigating", "Investigating"
    IDENTIFIED = "identified", "Identified"
    MONITORING = "monitoring", "Monitoring"
    RESOLVED = "resolved", "Resolved"


class Incident(BaseModel):
    title = models.CharField(max_length=200)
    impact = models.CharField(max_length=16, choices=Impact.choices)
    components = models.JSONField(default=list)  # Component values
    started_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def component_labels(self) -> str:
        return ", ".join(str(Component(value).label) for value in self.components)


class IncidentUpdate(BaseModel):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=16, choices=IncidentStatus.choices)
    body = models.TextField()
    posted_at = models.DateTimeField()
    # Set when the subscribers' emails went out (status.tasks.notify): a retried task sends nothing twice.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-posted_at"]

    def __str__(self) -> str:
        return f"{self.incident.title}: {self.get_status_display()}"


class Maintenance(BaseModel):
    title = models.CharField(max_length=200)
    body = models.TextField()
    components = models.JSONField(default=list)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    announced_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "maintenance"
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="maintenance_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def component_labels(self) -> str:
        return ", ".join(str(Component(value).label) for value in self.components)


class Subscription(models.Model):
    """A developer who wants an email for each incident update and maintenance announcement."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="status_subscription")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user)
