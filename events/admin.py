"""The model admin (platform superusers) for venues, events, sessions and speakers.

Every write goes through ``events.services`` so the console keeps the same
rules (room and speaker clashes, status transitions) and audit entries as the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.model_admin import ReadOnlyInline, ServiceBackedAdmin, organization_of_form, run_each
from events import services
from events.models import Event, Session, Speaker, Venue

ADMIN_CANCEL_REASON = "Cancelled by the platform administration"


def _on_change(obj: Any, *fields: str) -> tuple[str, ...]:
    # Rows never move between organizations or parents; the services do not allow it.
    return fields if obj is not None else ()


@admin.register(Venue)
class VenueAdmin(ServiceBackedAdmin):
    list_display = ("name", "city", "country", "capacity", "organization")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter), "country")
    search_fields = ("name", "address", "city")
    list_select_related = ("organization",)
    fields = ("organization", *services.VENUE_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Venue | None = None) -> Any:
        return _on_change(obj, "organization")

    def create_via_service(self, request: HttpRequest, form: Any) -> Venue:
        data = {f: form.cleaned_data[f] for f in services.VENUE_FIELDS}
        return services.venue_create(actor=request.user, organization=organization_of_form(form), data=data)

    def update_via_service(self, request: HttpRequest, obj: Venue, form: Any) -> Venue:
        return services.venue_update(actor=request.user, venue=obj, data=self.changed_data(form, services.VENUE_FIELDS))

    def delete_via_service(self, request: HttpRequest, obj: Venue) -> None:
        services.venue_delete(actor=request.user, venue=obj)


class SessionInline(ReadOnlyInline):
    """The event's programme, read-only here; sessions are edited on their own page (clash checks)."""

    model = Session
    fields = ("title", "starts_at", "ends_at", "room", "status")
    readonly_fields = fields
    show_change_link = True


@admin.register(Event)
class EventAdmin(ServiceBackedAdmin):
    list_display = ("title", "status", "starts_at", "time_zone", "venue", "parent", "organization")
    list_filter = ("status", "category", "visibility", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "slug")
    list_select_related = ("organization", "venue", "parent")
    date_hierarchy = "starts_at"
    fields = ("organization", "parent", *services.EVENT_FIELDS[:4], "tags", *services.EVENT_FIELDS[4:])
    filter_horizontal = ("tags",)
    status_fields = ("status", "published_at", "cancelled_at", "cancellation_reason", "completed_at")
    readonly_fields = status_fields
    inlines = (SessionInline,)
    actions = ("publish_events", "cancel_events")

    def get_fields(self, request: HttpRequest, obj: Event | None = None) -> Any:
        return (*self.fields, *self.status_fields) if obj is not None else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Event | None = None) -> Any:
        return (*self.status_fields, *_on_change(obj, "organization", "parent"))

    def get_form(self, request: HttpRequest, obj: Event | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "slug" in form.base_fields:
            form.base_fields["slug"].required = False
            form.base_fields["slug"].help_text = "Left empty, it is made from the title."
        if "parent" in form.base_fields:
            form.base_fields["parent"].queryset = form.base_fields["parent"].queryset.filter(parent__isnull=True)
        return form

    @staticmethod
    def _event_data(form: Any, fields: Any) -> dict[str, Any]:
        data = {f: form.cleaned_data[f] for f in fields if f in services.EVENT_FIELDS}
        if "tags" in fields:
            data["tags"] = [tag.name for tag in form.cleaned_data["tags"]]
        if "slug" in data and not data["slug"]:
            # An empty slug means "make one from the title" (the service keeps it unique).
            data["slug"] = data.get("title") or form.cleaned_data["title"]
        return data

    def create_via_service(self, request: HttpRequest, form: Any) -> Event:
        organization = organization_of_form(form)
        parent = form.cleaned_data.get("parent")
        if parent is not None and parent.organization_id != organization.id:
            raise services.invalid("parent", "The series belongs to another organization.", "DOES_NOT_EXIST")
        data = self._event_data(form, [*services.EVENT_FIELDS, "tags"])
        return services.event_create(actor=request.user, organization=organization, data=data, parent=parent)

    def update_via_service(self, request: HttpRequest, obj: Event, form: Any) -> Event:
        return services.event_update(actor=request.user, event=obj, data=self._event_data(form, form.changed_data))

    def delete_via_service(self, request: HttpRequest, obj: Event) -> None:
        services.event_delete(actor=request.user, event=obj)

    # -- status actions ---------------------------------------------------------------
    @admin.action(description="Publish selected events")
    def publish_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        run_each(self, request, queryset, lambda e: services.event_publish(actor=request.user, event=e), "Published")

    @admin.action(description="Cancel selected events")
    def cancel_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        cancel = services.event_cancel
        run_each(self, request, queryset, lambda e: cancel(actor=request.user, event=e, reason=ADMIN_CANCEL_REASON), "Cancelled")


@admin.register(Speaker)
class SpeakerAdmin(ServiceBackedAdmin):
    list_display = ("name", "company", "event", "organization")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "company", "event__title")
    list_select_related = ("event", "organization")
    fields = ("event", *services.SPEAKER_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Speaker | None = None) -> Any:
        return _on_change(obj, "event")

    def create_via_service(self, request: HttpRequest, form: Any) -> Speaker:
        data = {f: form.cleaned_data[f] for f in services.SPEAKER_FIELDS}
        return services.speaker_create(actor=request.user, event=form.cleaned_data["event"], data=data)

    def update_via_service(self, request: HttpRequest, obj: Speaker, form: Any) -> Speaker:
        return services.speaker_update(actor=request.user, speaker=obj, data=self.changed_data(form, services.SPEAKER_FIELDS))

    def delete_via_service(self, request: HttpRequest, obj: Speaker) -> None:
        services.speaker_delete(actor=request.user, speaker=obj)


@admin.register(Session)
class SessionAdmin(ServiceBackedAdmin):
    list_display = ("title", "event", "starts_at", "ends_at", "room", "status", "organization")
    list_filter = ("status", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "room", "track", "event__title")
    list_select_related = ("event", "organization")
    fields = ("event", *services.SESSION_FIELDS, "speakers", "status", "cancelled_at", "cancellation_reason")
    filter_horizontal = ("speakers",)
    actions = ("cancel_sessions",)

    def get_readonly_fields(self, request: HttpRequest, obj: Session | None = None) -> Any:
        return ("status", "cancelled_at", "cancellation_reason", *_on_change(obj, "event"))

    def get_form(self, request: HttpRequest, obj: Session | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "speakers" in form.base_fields:
            form.base_fields["speakers"].queryset = form.base_fields["speakers"].queryset.filter(event_id=obj.event_id)
        return form

    def _session_data(self, form: Any, fields: Any) -> dict[str, Any]:
        data = {f: form.cleaned_data[f] for f in fields if f in services.SESSION_FIELDS}
        if "speakers" in fields:
            data["speaker_ids"] = [s.pk for s in form.cleaned_data["speakers"]]
        return data

    def create_via_service(self, request: HttpRequest, form: Any) -> Session:
        data = self._session_data(form, [*services.SESSION_FIELDS, "speakers"])
        return services.session_create(actor=request.user, event=form.cleaned_data["event"], data=data)

    def update_via_service(self, request: HttpRequest, obj: Session, form: Any) -> Session:
        return services.session_update(actor=request.user, session=obj, data=self._session_data(form, form.changed_data))

    def delete_via_service(self, request: HttpRequest, obj: Session) -> None:
        services.session_delete(actor=request.user, session=obj)

    @admin.action(description="Cancel selected sessions")
    def cancel_sessions(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        cancel = services.session_cancel
        run_each(
            self, request, queryset, lambda s: cancel(actor=request.user, session=s, reason=ADMIN_CANCEL_REASON), "Cancelled"
        )
