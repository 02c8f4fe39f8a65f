"""The model admin (platform superusers) for webhooks: subscriptions and deliveries with their attempts, read-only.

Subscriptions are written through the API (``integrations.services``), which owns
their secrets; the admin never shows a secret.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.model_admin import ReadOnlyAdmin, ReadOnlyInline
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


class ReadOnlyIntegrationsAdmin(ReadOnlyAdmin):
    hidden: tuple[str, ...] = ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields if f.name not in self.hidden]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_fields(request, obj)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyIntegrationsAdmin):
    hidden = ("secret", "previous_secret", "rate_next_at")
    list_display = ("url", "description", "enabled", "disabled_reason", "failing_since", "created_at")
    list_filter = ("enabled", "disabled_reason", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("url", "description")


class WebhookAttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = ("number", "attempted_at", "response_status", "duration_ms", "error", "response_body")
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyIntegrationsAdmin):
    list_display = ("id", "event_type", "subscription", "status", "attempt_count", "next_attempt_at", "created_at")
    list_filter = ("status", "event_type", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("id", "event_type", "subscription__url")
    list_select_related = ("subscription",)
    date_hierarchy = "created_at"
    inlines = [WebhookAttemptInline]
