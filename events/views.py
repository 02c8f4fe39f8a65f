"""Events API: venues, events and series, sessions, speakers, materials."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Perm
from api import statements
from api.casing import CamelCaseJSONParser, CamelCaseMultiPartParser
from api.renderers import ICalendarRenderer
from api.sorting import parse_sort, sort_parameter
from api.viewsets import ApiViewSet
from core import calendars
from core.locks import Precondition
from events import selectors, services
from events.calendar import event_document, event_entry, session_entry
from events.materials import check_upload
from events.models import Event, Session
from events.serializers import (
    EVENT_SORTS,
    SESSION_SORTS,
    CancelSerializer,
    EventFilterSerializer,
    EventInputSerializer,
    EventSerializer,
    MaterialInputSerializer,
    MaterialSerializer,
    SessionFilterSerializer,
    SessionInputSerializer,
    SessionSerializer,
    SpeakerFilterSerializer,
    SpeakerInputSerializer,
    SpeakerSerializer,
    SubEventsInputSerializer,
    VenueFilterSerializer,
    VenueInputSerializer,
    VenueSerializer,
)
from events.stats import EventStatsSerializer, event_stats

READ = {"list": Perm.EVENTS_VIEW, "retrieve": Perm.EVENTS_VIEW}
WRITE = {"create": Perm.EVENTS_EDIT, "update": Perm.EVENTS_EDIT, "partial_update": Perm.EVENTS_EDIT, "destroy": Perm.EVENTS_EDIT}


class VenueViewSet(ApiViewSet):
    cached_actions = frozenset({"list", "retrieve"})
    serializer_class = VenueSerializer
    required_permissions = {**READ, **WRITE}

    @extend_schema(parameters=[VenueFilterSerializer])
    def list(self, request: Request) -> Response:
        filters = self.parse_filter(VenueFilterSerializer)
        return self.page(selectors.venue_list(organization=self.auth.organization, filters=filters), VenueSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._venue(pk), VenueSerializer)

    @extend_schema(request=VenueInputSerializer, responses={201: VenueSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(VenueInputSerializer)
        venue = services.venue_create(actor=self.auth.actor, organization=self.auth.organization, data=data)
        return self.created(venue, VenueSerializer, location=f"/api/v1/venues/{venue.id}")

    @extend_schema(request=VenueInputSerializer, responses=VenueSerializer)
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        data = self.parse(VenueInputSerializer, partial=partial)
        venue = services.venue_update(
            actor=self.auth.actor, venue=self._venue(pk), data=data, precondition=self.precondition(VenueSerializer)
        )
        return self.read(venue, VenueSerializer)

    @extend_schema(request=VenueInputSerializer, responses=VenueSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        services.venue_delete(actor=self.auth.actor, venue=self._venue(pk), precondition=self.precondition(VenueSerializer))
        return Response(status=204)

    def _venue(self, pk: str) -> Any:
        return self.found(selectors.venue_get(organization=self.auth.organization, venue_id=pk))


class EventViewSet(ApiViewSet):
    cached_actions = frozenset({"list", "retrieve", "sub_events", "stats"})
    formats = {"list": (ICalendarRenderer,), "retrieve": (ICalendarRenderer,)}
    conditional_actions = frozenset({"publish", "cancel", "complete"})
    serializer_class = EventSerializer
    required_permissions = {
        **READ,
        **WRITE,
        "stats": Perm.EVENTS_VIEW,
        "sub_events": Perm.EVENTS_VIEW,
        "publish": Perm.EVENTS_PUBLISH,
        "cancel": Perm.EVENTS_PUBLISH,
        "complete": Perm.EVENTS_PUBLISH,
    }

    @extend_schema(parameters=[EventFilterSerializer, sort_parameter(EVENT_SORTS)])
    def list(self, request: Request) -> Response:
        filters = self.parse_filter(EventFilterSerializer)
        order = parse_sort(request, EVENT_SORTS, ["starts_at"])
        organization = self.auth.organization

        def events() -> QuerySet[Event]:
            return selectors.event_list(organization=organization, order=order, filters=filters)

        if isinstance(request.accepted_renderer, ICalendarRenderer):
            return self.page_document(
                events(), lambda rows: calendars.calendar(map(event_entry, rows), name="Events"), "events.ics"
            )
        key = (organization.pk, repr(filters), tuple(order))
        return self.page(statements.Deferred(events, Event), EventSerializer, statement_key=key)

    def retrieve(self, request: Request, pk: str) -> Response:
        event = self._event(pk)
        if isinstance(request.accepted_renderer, ICalendarRenderer):
            return self.document(event, event_document(event), f"event-{event.pk}.ics")
        return self.read(event, EventSerializer)

    @extend_schema(request=EventInputSerializer, responses={201: EventSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(EventInputSerializer)
        event = services.event_create(actor=self.auth.actor, organization=self.auth.organization, data=data)
        return self.created(self._event(event.id), EventSerializer, location=f"/api/v1/events/{event.id}")

    @extend_schema(request=EventInputSerializer, responses=EventSerializer)
    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        data = self.parse(EventInputSerializer, partial=partial)
        services.event_update(actor=self.auth.actor, event=self._event(pk), data=data, precondition=self._precondition(pk))
        return self.read(self._event(pk), EventSerializer)

    @extend_schema(request=EventInputSerializer, responses=EventSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def destroy(self, request: Request, pk: str) -> Response:
        services.event_delete(actor=self.auth.actor, event=self._event(pk), precondition=self._precondition(pk))
        return Response(status=204)

    @extend_schema(request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._change_status(
            pk, lambda event, check: services.event_publish(actor=self.auth.actor, event=event, precondition=check)
        )

    @extend_schema(request=CancelSerializer, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        data = self.parse(CancelSerializer)
        return self._change_status(
            pk,
            lambda event, check: services.event_cancel(
                actor=self.auth.actor, event=event, reason=data["reason"], precondition=check
            ),
        )

    @extend_schema(request=None, responses=EventSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._change_status(
            pk, lambda event, check: services.event_complete(actor=self.auth.actor, event=event, precondition=check)
        )

    def _change_status(self, pk: str, change: Callable[[Event, Precondition | None], Event]) -> Response:
        """Run a status service, which checks If-Match under the event's row lock like any write."""
        change(self._event(pk), self._precondition(pk))
        return self.read(self._event(pk), EventSerializer)

    @extend_schema(responses=EventStatsSerializer)
    @action(detail=True, methods=["get"])
    def stats(self, request: Request, pk: str) -> Response:
        return Response(event_stats(self._event(pk)))

    @extend_schema(
        methods=["GET"], parameters=[EventFilterSerializer, sort_parameter(EVENT_SORTS)], responses=EventSerializer(many=True)
    )
    @extend_schema(methods=["POST"], request=SubEventsInputSerializer, responses={201: EventSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], url_path="sub-events")
    def sub_events(self, request: Request, pk: str) -> Response:
        parent = self._event(pk)
        if request.method == "GET":
            filters = dataclasses.replace(self.parse_filter(EventFilterSerializer), parent=parent.id)
            order = parse_sort(request, EVENT_SORTS, ["starts_at"])
            return self.page(
                selectors.event_list(organization=self.auth.organization, order=order, filters=filters), EventSerializer
            )
        if not self.auth.can(Perm.EVENTS_EDIT):
            self.permission_denied(request)
        data = self.parse(SubEventsInputSerializer)
        if "dates" in data:
            created = services.event_create_sub_events(actor=self.auth.actor, parent=parent, starts=data["dates"])
        else:
            created = services.event_create_sub_events_from_rule(actor=self.auth.actor, parent=parent, rule=data["rrule"])
        rows = selectors.events_by_ids(organization=self.auth.organization, ids=[e.id for e in created])
        return Response({"data": EventSerializer(rows, many=True).data}, status=201)

    def _event(self, pk: Any) -> Event:
        return self.found(selectors.event_get(organization=self.auth.organization, event_id=pk))

    def _precondition(self, pk: Any) -> Precondition | None:
        return self.precondition(EventSerializer, reload=lambda: self._event(pk))


class EventChildViewSet(ApiViewSet):
    """Base of the views nested under /events/{eventId}/."""

    def event(self) -> Event:
        cached = getattr(self, "_event_obj", None)
        if cached is None:
            cached = self.found(selectors.event_get(organization=self.auth.organization, event_id=self.kwargs["event_pk"]))
            self._event_obj = cached
        return cached


class SpeakerViewSet(EventChildViewSet):
    cached_actions = frozenset({"list", "retrieve"})
    serializer_class = SpeakerSerializer
    required_permissions = {**READ, **WRITE}

    @extend_schema(parameters=[SpeakerFilterSerializer])
    def list(self, request: Request, event_pk: str) -> Response:
        filters = self.parse_filter(SpeakerFilterSerializer)
        return self.page(selectors.speaker_list(event=self.event(), filters=filters), SpeakerSerializer)

    def retrieve(self, request: Request, event_pk: str, pk: str) -> Response:
        return self.read(self._speaker(pk), SpeakerSerializer)

    @extend_schema(request=SpeakerInputSerializer, responses={201: SpeakerSerializer})
    def create(self, request: Request, event_pk: str) -> Response:
        data = self.parse(SpeakerInputSerializer)
        speaker = services.speaker_create(actor=self.auth.actor, event=self.event(), data=data)
        return self.created(speaker, SpeakerSerializer, location=f"/api/v1/events/{event_pk}/speakers/{speaker.id}")

    @extend_schema(request=SpeakerInputSerializer, responses=SpeakerSerializer)
    def update(self, request: Request, event_pk: str, pk: str, partial: bool = False) -> Response:
        data = self.parse(SpeakerInputSerializer, partial=partial)
        speaker = services.speaker_update(
            actor=self.auth.actor, speaker=self._speaker(pk), data=data, precondition=self.precondition(SpeakerSerializer)
        )
        return self.read(speaker, SpeakerSerializer)

    @extend_schema(request=SpeakerInputSerializer, responses=SpeakerSerializer)
    def partial_update(self, request: Request, event_pk: str, pk: str) -> Response:
        return self.update(request, event_pk, pk, partial=True)

    def destroy(self, request: Request, event_pk: str, pk: str) -> Response:
        services.speaker_delete(
            actor=self.auth.actor, speaker=self._speaker(pk), precondition=self.precondition(SpeakerSerializer)
        )
        return Response(status=204)

    def _speaker(self, pk: str) -> Any:
        return self.found(selectors.speaker_get(event=self.event(), speaker_id=pk))


class SessionViewSet(EventChildViewSet):
    cached_actions = frozenset({"list", "retrieve"})
    formats = {"list": (ICalendarRenderer,), "retrieve": (ICalendarRenderer,)}
    conditional_actions = frozenset({"cancel"})
    serializer_class = SessionSerializer
    required_permissions = {**READ, **WRITE, "cancel": Perm.EVENTS_PUBLISH}

    @extend_schema(parameters=[SessionFilterSerializer, sort_parameter(SESSION_SORTS)])
    def list(self, request: Request, event_pk: str) -> Response:
        filters = self.parse_filter(SessionFilterSerializer)
        order = parse_sort(request, SESSION_SORTS, ["starts_at"])
        event = self.event()
        sessions = selectors.session_list(event=event, order=order, filters=filters)
        if isinstance(request.accepted_renderer, ICalendarRenderer):

            def build(rows: list[Any]) -> bytes:
                for row in rows:
                    row.event = event  # the one event of the list: no query per session
                return calendars.calendar(map(session_entry, rows), name=event.title)

            return self.page_document(sessions, build, f"sessions-{event.pk}.ics")
        return self.page(sessions, SessionSerializer)

    def retrieve(self, request: Request, event_pk: str, pk: str) -> Response:
        session = self._session(pk)
        if isinstance(request.accepted_renderer, ICalendarRenderer):
            return self.document(
                session, calendars.calendar([session_entry(session)], name=session.title), f"session-{session.pk}.ics"
            )
        return self.read(session, SessionSerializer)

    @extend_schema(request=SessionInputSerializer, responses={201: SessionSerializer})
    def create(self, request: Request, event_pk: str) -> Response:
        data = self.parse(SessionInputSerializer)
        session = services.session_create(actor=self.auth.actor, event=self.event(), data=data)
        return self.created(
            self._session(session.id), SessionSerializer, location=f"/api/v1/events/{event_pk}/sessions/{session.id}"
        )

    @extend_schema(request=SessionInputSerializer, responses=SessionSerializer)
    def update(self, request: Request, event_pk: str, pk: str, partial: bool = False) -> Response:
        data = self.parse(SessionInputSerializer, partial=partial)
        services.session_update(actor=self.auth.actor, session=self._session(pk), data=data, precondition=self._precondition(pk))
        return self.read(self._session(pk), SessionSerializer)

    @extend_schema(request=SessionInputSerializer, responses=SessionSerializer)
    def partial_update(self, request: Request, event_pk: str, pk: str) -> Response:
        return self.update(request, event_pk, pk, partial=True)

    def destroy(self, request: Request, event_pk: str, pk: str) -> Response:
        services.session_delete(actor=self.auth.actor, session=self._session(pk), precondition=self._precondition(pk))
        return Response(status=204)

    @extend_schema(request=CancelSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, event_pk: str, pk: str) -> Response:
        data = self.parse(CancelSerializer)
        services.session_cancel(
            actor=self.auth.actor, session=self._session(pk), reason=data["reason"], precondition=self._precondition(pk)
        )
        return self.read(self._session(pk), SessionSerializer)

    def _session(self, pk: Any) -> Session:
        return self.found(selectors.session_get(event=self.event(), session_id=pk))

    def _precondition(self, pk: Any) -> Precondition | None:
        return self.precondition(SessionSerializer, reload=lambda: self._session(pk))


class MaterialViewSet(EventChildViewSet):
    # The only upload of the API: a file as multipart/form-data, or a link as JSON.
    parser_classes = [CamelCaseJSONParser, CamelCaseMultiPartParser]
    cached_actions = frozenset({"list", "retrieve"})
    serializer_class = MaterialSerializer
    required_permissions = {**READ, "create": Perm.EVENTS_EDIT, "destroy": Perm.EVENTS_EDIT, "download": Perm.EVENTS_VIEW}

    def session(self) -> Session:
        return self.found(selectors.session_get(event=self.event(), session_id=self.kwargs["session_pk"]))

    def list(self, request: Request, event_pk: str, session_pk: str) -> Response:
        return self.page(selectors.material_list(session=self.session()), MaterialSerializer)

    def retrieve(self, request: Request, event_pk: str, session_pk: str, pk: str) -> Response:
        return self.read(self._material(pk), MaterialSerializer)

    @extend_schema(
        request={"multipart/form-data": MaterialInputSerializer, "application/json": MaterialInputSerializer},
        responses={201: MaterialSerializer},
    )
    def create(self, request: Request, event_pk: str, session_pk: str) -> Response:
        data = self.parse(MaterialInputSerializer)
        session = self.session()
        if "file" in data:
            content_type = check_upload(data["file"])
            material = services.material_add_file(
                actor=self.auth.actor,
                session=session,
                title=data.get("title", ""),
                upload=data["file"],
                content_type=content_type,
            )
        else:
            material = services.material_add_link(actor=self.auth.actor, session=session, title=data["title"], url=data["url"])
        return self.created(
            self._material(material.id),
            MaterialSerializer,
            location=f"/api/v1/events/{event_pk}/sessions/{session_pk}/materials/{material.id}",
        )

    def destroy(self, request: Request, event_pk: str, session_pk: str, pk: str) -> Response:
        services.material_delete(actor=self.auth.actor, material=self._material(pk))
        return Response(status=204)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="The file")})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, event_pk: str, session_pk: str, pk: str) -> Any:
        material = self._material(pk)
        if not material.file:
            return self.found(None)
        return FileResponse(
            material.file.open("rb"),
            as_attachment=True,
            filename=material.file_name,
            content_type=material.content_type or "application/octet-stream",
        )

    def _material(self, pk: Any) -> Any:
        return self.found(selectors.material_get(session=self.session(), material_id=pk))
