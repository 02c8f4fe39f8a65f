"""The model admin (platform superusers) for ticket types, registrations and per-event registration settings.

Writes go through ``registrations.services`` so the console keeps the API's rules
(seat counts under lock, waitlist, audit entries, outbox rows).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.model_admin import ReadOnlyAdmin, ServiceBackedAdmin, run_each
from registrations import services
from registrations.models import (
    CheckIn,
    EventRegistrationSettings,
    Registration,
    RegistrationSource,
    SessionFeedback,
    TicketType,
)

ADMIN_CANCEL_REASON = "Cancelled by the platform administration"


@admin.register(TicketType)
class TicketTypeAdmin(ServiceBackedAdmin):
    list_display = ("name", "event", "price", "currency", "capacity", "visibility", "sales_starts_at", "sales_ends_at")
    list_filter = ("visibility", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "event__title")
    list_select_related = ("event", "organization")
    fields = ("event", *services.TICKET_TYPE_FIELDS, "currency")
    readonly_fields = ("currency",)

    def get_readonly_fields(self, request: HttpRequest, obj: TicketType | None = None) -> Any:
        return ("currency", "event") if obj is not None else ("currency",)

    def create_via_service(self, request: HttpRequest, form: Any) -> TicketType:
        data = {f: form.cleaned_data[f] for f in services.TICKET_TYPE_FIELDS if f in form.cleaned_data}
        return services.ticket_type_create(actor=request.user, event=form.cleaned_data["event"], data=data)

    def update_via_service(self, request: HttpRequest, obj: TicketType, form: Any) -> TicketType:
        return services.ticket_type_update(
            actor=request.user, ticket_type=obj, data=self.changed_data(form, services.TICKET_TYPE_FIELDS)
        )

    def delete_via_service(self, request: HttpRequest, obj: TicketType) -> None:
        services.ticket_type_delete(actor=request.user, ticket_type=obj)


@admin.register(EventRegistrationSettings)
class EventRegistrationSettingsAdmin(ServiceBackedAdmin):
    list_display = ("event", "waitlist_enabled", "pending_payment_ttl_minutes")
    list_select_related = ("event",)
    fields = ("event", *services.SETTINGS_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: EventRegistrationSettings | None = None) -> Any:
        return ("event",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch the waitlist off instead; the row keeps the payment window

    def create_via_service(self, request: HttpRequest, form: Any) -> EventRegistrationSettings:
        data = {f: form.cleaned_data[f] for f in services.SETTINGS_FIELDS}
        return services.event_registration_settings_update(actor=request.user, event=form.cleaned_data["event"], data=data)

    def update_via_service(self, request: HttpRequest, obj: EventRegistrationSettings, form: Any) -> EventRegistrationSettings:
        return services.event_registration_settings_update(
            actor=request.user, event=obj.event, data=self.changed_data(form, services.SETTINGS_FIELDS)
        )


@admin.register(Registration)
class RegistrationAdmin(ServiceBackedAdmin):
    list_display = ("attendee_name", "attendee_email", "event", "ticket_type", "status", "source", "created_at")
    list_filter = ("status", "source", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("attendee_name", "attendee_email", "ticket_code", "event__title")
    list_select_related = ("event", "ticket_type", "organization")
    date_hierarchy = "created_at"
    fields = ("event", "ticket_type", "attendee_name", "attendee_email", "answers")
    status_fields = (
        "status",
        "order_id",
        "source",
        "created_by",
        "expires_at",
        "confirmed_at",
        "cancelled_at",
        "cancellation_reason",
    )
    actions = ("cancel_registrations",)

    def get_fields(self, request: HttpRequest, obj: Registration | None = None) -> Any:
        return (*self.fields, *self.status_fields) if obj is not None else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Registration | None = None) -> Any:
        return (*self.status_fields, "event", "ticket_type") if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # registrations are cancelled, never deleted (seats, audit, webhooks)

    def create_via_service(self, request: HttpRequest, form: Any) -> Registration:
        cleaned = form.cleaned_data
        attendee: services.Attendee = {
            "name": cleaned["attendee_name"],
            "email": cleaned["attendee_email"],
            "answers": cleaned.get("answers") or {},
        }
        [registration] = services.registration_create(
            actor=request.user,
            organization_id=cleaned["event"].organization_id,
            event_id=cleaned["event"].pk,
            ticket_type_id=cleaned["ticket_type"].pk,
            attendees=[attendee],
            source=RegistrationSource.USER,
        )
        return registration

    def update_via_service(self, request: HttpRequest, obj: Registration, form: Any) -> Registration:
        return services.registration_update(
            actor=request.user, registration=obj, data=self.changed_data(form, services.ATTENDEE_FIELDS)
        )

    @admin.action(description="Cancel selected registrations")
    def cancel_registrations(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        cancel = services.registration_cancel
        run_each(
            self, request, queryset, lambda r: cancel(actor=request.user, registration=r, reason=ADMIN_CANCEL_REASON), "Cancelled"
        )


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "event", "session", "registration", "result", "accepted", "device", "scanned_by", "undone_at")
    list_filter = ("accepted", "result", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "registration__attendee_name", "registration__attendee_email", "device", "scanned_by")
    list_select_related = ("event", "session", "registration", "organization")
    date_hierarchy = "created_at"


@admin.register(SessionFeedback)
class SessionFeedbackAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "session", "registration", "rating", "comment")
    list_filter = ("rating", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("session__title", "comment", "registration__attendee_email")
    list_select_related = ("session", "registration", "organization")
