"""Registrations API: ticket types, registrations (orders, batch, cancel), tickets, attendee lists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Perm
from api.casing import CamelCaseJSONParser, CamelCaseMultiPartParser, Camelized
from api.errors import error_body
from api.exceptions import flatten_validation
from api.renderers import PDFRenderer, XMLParser, XMLRenderer
from api.representation import iso
from api.sorting import parse_sort, sort_parameter
from api.viewsets import ApiViewSet
from core.errors import UNKNOWN_FIELD, VALIDATION_ERROR, DomainError
from core.locks import Precondition
from events import selectors as event_selectors
from events.models import Event, EventStatus
from registrations import imports, selectors, services, tickets
from registrations.errors import CERTIFICATE_NOT_AVAILABLE, IMPORT_FILE_TOO_LARGE, TICKET_NOT_ISSUED
from registrations.models import ImportJob, Registration, RegistrationSource, RegistrationStatus, TicketType
from registrations.serializers import (
    ATTENDEE_SORTS,
    REGISTRATION_SORTS,
    AttendeeFilterSerializer,
    AttendeeSerializer,
    BatchInputSerializer,
    BatchItemSerializer,
    BatchResponseSerializer,
    CertificateSerializer,
    CheckInBulkResponseSerializer,
    CheckInBulkSerializer,
    CheckInCreateSerializer,
    CheckInFilterSerializer,
    CheckInSerializer,
    DocumentBrandingInputSerializer,
    DocumentBrandingSerializer,
    ImportJobDetailSerializer,
    ImportJobSerializer,
    ImportRunSerializer,
    ImportUploadSerializer,
    RegistrationCancelSerializer,
    RegistrationCreateSerializer,
    RegistrationFilterSerializer,
    RegistrationOrderSerializer,
    RegistrationSerializer,
    RegistrationSettingsInputSerializer,
    RegistrationSettingsSerializer,
    RegistrationUpdateSerializer,
    SessionFeedbackInputSerializer,
    SessionFeedbackSerializer,
    SessionFeedbackSummarySerializer,
    TicketKeySetSerializer,
    TicketSerializer,
    TicketTypeFilterSerializer,
    TicketTypeInputSerializer,
    TicketTypeSerializer,
    TicketValidateSerializer,
    TicketValidationSerializer,
)

VIEW, MANAGE = Perm.REGISTRATIONS_VIEW, Perm.REGISTRATIONS_MANAGE
NOT_ACCEPTABLE_RESPONSE = OpenApiResponse(description="NOT_ACCEPTABLE: `details.available` lists the media types offered")
CHECKIN = Perm.CHECKIN_PERFORM


class EventNestedViewSet(ApiViewSet):
    """Base of the views nested under /events/{eventId}/ (the event is looked up in the caller's organization)."""

    def event(self) -> Event:
        cached = getattr(self, "_event_obj", None)
        if cached is None:
            cached = self.found(event_selectors.event_get(organization=self.auth.organization, event_id=self.kwargs["event_pk"]))
            self._event_obj = cached
        return cached


class TicketTypeViewSet(EventNestedViewSet):
    cached_actions = frozenset({"list", "retrieve"})
    serializer_class = TicketTypeSerializer
    required_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": MANAGE,
        "update": MANAGE,
        "partial_update": MANAGE,
        "destroy": MANAGE,
    }

    @extend_schema(parameters=[TicketTypeFilterSerializer])
    def list(self, request: Request, event_pk: str) -> Response:
        filters = self.parse_filter(TicketTypeFilterSerializer)
        return self.page(selectors.ticket_type_list(event=self.event(), filters=filters), TicketTypeSerializer)

    def retrieve(self, request: Request, event_pk: str, pk: str) -> Response:
        return self.read(self._ticket_type(pk), TicketTypeSerializer)

    @extend_schema(request=TicketTypeInputSerializer, responses={201: TicketTypeSerializer})
    def create(self, request: Request, event_pk: str) -> Response:
        data = self.parse(TicketTypeInputSerializer)
        ticket_type = services.ticket_type_create(actor=self.auth.actor, event=self.event(), data=data)
        return self.created(
            self._ticket_type(ticket_type.id),
            TicketTypeSerializer,
            location=f"/api/v1/events/{event_pk}/ticket-types/{ticket_type.id}",
        )

    @extend_schema(request=TicketTypeInputSerializer, responses=TicketTypeSerializer)
    def update(self, request: Request, event_pk: str, pk: str, partial: bool = False) -> Response:
        data = self.parse(TicketTypeInputSerializer, partial=partial)
        services.ticket_type_update(
            actor=self.auth.actor, ticket_type=self._ticket_type(pk), data=data, precondition=self._precondition(pk)
        )
        return self.read(self._ticket_type(pk), TicketTypeSerializer)

    @extend_schema(request=TicketTypeInputSerializer, responses=TicketTypeSerializer)
    def partial_update(self, request: Request, event_pk: str, pk: str) -> Response:
        return self.update(request, event_pk, pk, partial=True)

    def destroy(self, request: Request, event_pk: str, pk: str) -> Response:
        services.ticket_type_delete(actor=self.auth.actor, ticket_type=self._ticket_type(pk), precondition=self._precondition(pk))
        return Response(status=204)

    def _ticket_type(self, pk: Any) -> TicketType:
        return self.found(selectors.ticket_type_get(event=self.event(), ticket_type_id=pk))

    def _precondition(self, pk: Any) -> Precondition | None:
        return self.precondition(TicketTypeSerializer, reload=lambda: self._ticket_type(pk))


class RegistrationSettingsViewSet(EventNestedViewSet):
    """GET / PATCH /events/{eventId}/registration-settings: the waitlist switch and the payment window."""

    serializer_class = RegistrationSettingsSerializer
    required_permissions = {"retrieve": VIEW, "partial_update": MANAGE}

    def retrieve(self, request: Request, event_pk: str) -> Response:
        return Response(self._render(selectors.settings_for(event=self.event())))

    @extend_schema(request=RegistrationSettingsInputSerializer, responses=RegistrationSettingsSerializer)
    def partial_update(self, request: Request, event_pk: str) -> Response:
        data = self.parse(RegistrationSettingsInputSerializer, partial=True)
        stored = services.event_registration_settings_update(actor=self.auth.actor, event=self.event(), data=data)
        return Response(self._render(stored))

    @staticmethod
    def _render(settings: Any) -> dict[str, Any]:
        return {
            "event_id": str(settings.event_id),
            "waitlist_enabled": settings.waitlist_enabled,
            "pending_payment_ttl_minutes": settings.pending_payment_ttl_minutes,
        }


class RegistrationViewSet(ApiViewSet):
    cached_actions = frozenset({"list", "retrieve"})
    conditional_actions = frozenset({"cancel"})
    formats = {
        "ticket": (PDFRenderer,),
        "order_tickets": (PDFRenderer,),
        "certificate": (PDFRenderer,),
        "create": (XMLRenderer,),
    }
    # Legacy systems may post a registration as XML (defusedxml: no DTDs, no entities); answers follow Accept.
    input_formats = {"create": (XMLParser,)}
    serializer_class = RegistrationSerializer
    required_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "ticket": VIEW,
        "order_tickets": VIEW,
        "certificate": VIEW,
        "create": MANAGE,
        "partial_update": MANAGE,
        "cancel": MANAGE,
        "batch": MANAGE,
    }

    @extend_schema(parameters=[RegistrationFilterSerializer, sort_parameter(REGISTRATION_SORTS)])
    def list(self, request: Request) -> Response:
        filters = self.parse_filter(RegistrationFilterSerializer)
        order = parse_sort(request, REGISTRATION_SORTS, ["created_at"])
        qs = selectors.registration_list(organization=self.auth.organization, order=order, filters=filters)
        return self.page(qs, RegistrationSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._registration(pk), RegistrationSerializer)

    @extend_schema(request=RegistrationCreateSerializer, responses={201: RegistrationOrderSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(RegistrationCreateSerializer)
        created = services.registration_create(
            actor=self.auth.actor,
            organization_id=self.auth.organization.pk,
            event_id=data["event_id"],
            ticket_type_id=data["ticket_type_id"],
            attendees=data["attendees"],
            source=RegistrationSource.API_CLIENT,
        )
        # Each registration was rendered once in the service (for the outbox): answer with that.
        response = Response(Camelized(orderId=str(created[0].order_id), data=[r.rendered for r in created]), status=201)
        if len(created) == 1:
            response["Location"] = f"/api/v1/registrations/{created[0].id}"
        return response

    @extend_schema(request=RegistrationUpdateSerializer, responses=RegistrationSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        data = self.parse(RegistrationUpdateSerializer, partial=True)
        services.registration_update(
            actor=self.auth.actor, registration=self._registration(pk), data=data, precondition=self._precondition(pk)
        )
        return self.read(self._registration(pk), RegistrationSerializer)

    @extend_schema(request=RegistrationCancelSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        data = self.parse(RegistrationCancelSerializer)
        services.registration_cancel(
            actor=self.auth.actor,
            registration=self._registration(pk),
            reason=data["reason"],
            precondition=self._precondition(pk),
        )
        return self.read(self._registration(pk), RegistrationSerializer)

    @extend_schema(request=BatchInputSerializer, responses=BatchResponseSerializer)
    @action(detail=False, methods=["post"])
    def batch(self, request: Request) -> Response:
        body = self.parse(BatchInputSerializer)
        atomic: bool = body["atomic"]
        items, failures = self._batch_items(body["items"], atomic)
        outcomes = services.registrations_batch(actor=self.auth.actor, items=items, atomic=atomic)
        created = selectors.registrations_by_ids(
            organization=self.auth.organization, ids=[o.registration.id for o in outcomes if o.registration is not None]
        )
        rendered = {r.id: RegistrationSerializer(r).data for r in created}
        results = dict(failures)
        for outcome in outcomes:
            if outcome.registration is not None:
                results[outcome.index] = {
                    "index": outcome.index,
                    "status": 201,
                    "registration": rendered[outcome.registration.id],
                }
            else:
                assert outcome.error is not None
                results[outcome.index] = self._failure(outcome.index, outcome.error)
        ordered = [results[i] for i in sorted(results)]
        done = sum(1 for r in ordered if r["status"] == 201)
        return Response({"atomic": atomic, "created": done, "failed": len(ordered) - done, "results": ordered})

    def _batch_items(self, raw_items: list[Any], atomic: bool) -> tuple[list[services.BatchItem], dict[int, Any]]:
        """Check each item on its own and resolve its event and ticket type in the caller's organization."""
        parsed: dict[int, dict[str, Any]] = {}
        failures: dict[int, Any] = {}
        for index, raw in enumerate(raw_items):
            serializer = BatchItemSerializer(data=raw, context=self.get_serializer_context())
            if serializer.is_valid():
                parsed[index] = dict(serializer.validated_data)
            else:
                self._item_failed(index, drf_serializers.ValidationError(serializer.errors), atomic, failures)
        org = self.auth.organization
        events = {e.id: e for e in event_selectors.events_by_ids(organization=org, ids=[d["event_id"] for d in parsed.values()])}
        types = selectors.ticket_types_by_ids(organization=org, ids=[d["ticket_type_id"] for d in parsed.values()])
        items = []
        for index, data in parsed.items():
            event, ticket_type = events.get(data["event_id"]), types.get(data["ticket_type_id"])
            if event is None or ticket_type is None:
                field = "event_id" if event is None else "ticket_type_id"
                error = drf_serializers.ValidationError(
                    {field: [drf_serializers.ErrorDetail("Not found.", code="does_not_exist")]}
                )
                self._item_failed(index, error, atomic, failures)
                continue
            items.append(services.BatchItem(index=index, event=event, ticket_type=ticket_type, attendee=data["attendee"]))
        return items, failures

    def _item_failed(self, index: int, error: drf_serializers.ValidationError, atomic: bool, failures: dict[int, Any]) -> None:
        """A malformed item: the whole batch fails when atomic, else the item reports a 400 on its own."""
        problems = flatten_validation(error.detail)
        code = UNKNOWN_FIELD if problems and all(p["code"] == UNKNOWN_FIELD.code for p in problems) else VALIDATION_ERROR
        exc = DomainError(
            code,
            problems[0]["message"] if len(problems) == 1 else code.title,
            details=problems,
            target=problems[0]["target"] if problems else None,
        )
        if atomic:
            raise services.batch_item_error(index, exc)
        failures[index] = self._failure(index, exc)

    def _failure(self, index: int, exc: DomainError) -> dict[str, Any]:
        body = error_body(
            exc.error, message=exc.message, details=exc.details, target=exc.target, request=self.request, extra=exc.extra
        )
        return {"index": index, "status": exc.status, "error": body["error"]}

    @extend_schema(
        responses={
            (200, "application/json"): TicketSerializer,
            (200, PDFRenderer.media_type): OpenApiResponse(
                OpenApiTypes.BINARY, description="The ticket as a PDF, with its signed QR code"
            ),
            406: NOT_ACCEPTABLE_RESPONSE,
            409: OpenApiResponse(description="TICKET_NOT_ISSUED: the registration is not confirmed"),
        }
    )
    @action(detail=True, methods=["get"])
    def ticket(self, request: Request, pk: str) -> Response:
        """The ticket: JSON with the signed QR payload, or with `Accept: application/pdf` the printable ticket."""
        registration = self._issued(pk)
        if isinstance(request.accepted_renderer, PDFRenderer):
            pdf = tickets.tickets_pdf([registration], selectors.document_branding(organization=self.auth.organization))
            return self.document(registration, pdf, f"ticket-{registration.ticket_code}.pdf")
        return self.read(registration, TicketSerializer)

    @extend_schema(
        responses={
            (200, "application/json"): TicketSerializer(many=True),
            (200, PDFRenderer.media_type): OpenApiResponse(OpenApiTypes.BINARY, description="One PDF, a page per ticket"),
            406: NOT_ACCEPTABLE_RESPONSE,
            409: OpenApiResponse(description="TICKET_NOT_ISSUED: the registration is not confirmed"),
        }
    )
    @action(detail=True, methods=["get"], url_path="order-tickets")
    def order_tickets(self, request: Request, pk: str) -> Response:
        """Every confirmed ticket of the order this registration belongs to, in one file (or as a JSON list)."""
        registration = self._issued(pk)
        order = selectors.order_tickets(organization=self.auth.organization, order_id=registration.order_id)
        if isinstance(request.accepted_renderer, PDFRenderer):
            pdf = tickets.tickets_pdf(order, selectors.document_branding(organization=self.auth.organization))
            return self.document(registration, pdf, f"tickets-{registration.order_id}.pdf")
        return Response(TicketSerializer(order, many=True).data)

    @extend_schema(
        responses={
            (200, "application/json"): CertificateSerializer,
            (200, PDFRenderer.media_type): OpenApiResponse(
                OpenApiTypes.BINARY, description="The certificate of attendance as a PDF"
            ),
            406: NOT_ACCEPTABLE_RESPONSE,
            409: OpenApiResponse(description="CERTIFICATE_NOT_AVAILABLE: the attendee was not checked in"),
        }
    )
    @action(detail=True, methods=["get"])
    def certificate(self, request: Request, pk: str) -> Response:
        """The certificate of attendance, once the attendee was checked in at the entrance."""
        registration = self.found(selectors.registration_for_ticket(organization=self.auth.organization, registration_id=pk))
        attended = selectors.attended_at(registration=registration)
        if attended is None:
            raise DomainError(CERTIFICATE_NOT_AVAILABLE, details=f"The registration is {registration.status}, not checked in.")
        if isinstance(request.accepted_renderer, PDFRenderer):
            branding = selectors.document_branding(organization=self.auth.organization)
            pdf = tickets.certificate_pdf(registration, attended, branding)
            return self.document(registration, pdf, f"certificate-{registration.ticket_code}.pdf")
        ticket = TicketSerializer(registration).data
        data = {k: ticket[k] for k in ("registration_id", "attendee", "event")}
        return Response({**data, "attended_at": iso(attended)})

    def _issued(self, pk: Any) -> Registration:
        registration = self.found(selectors.registration_for_ticket(organization=self.auth.organization, registration_id=pk))
        if registration.status != RegistrationStatus.CONFIRMED:
            raise DomainError(TICKET_NOT_ISSUED, details=f"The registration is {registration.status}.")
        return registration

    def _registration(self, pk: Any) -> Registration:
        return self.found(selectors.registration_get(organization=self.auth.organization, registration_id=pk))

    def _precondition(self, pk: Any) -> Precondition | None:
        return self.precondition(RegistrationSerializer, reload=lambda: self._registration(pk))


class TicketViewSet(ApiViewSet):
    """POST /tickets/validate: is this code a valid ticket for this event? Reads only; nothing is recorded."""

    required_permissions = {"validate": VIEW}

    @extend_schema(request=TicketValidateSerializer, responses=TicketValidationSerializer)
    @action(detail=False, methods=["post"])
    def validate(self, request: Request) -> Response:
        data = self.parse(TicketValidateSerializer)
        code = data["code"].strip()
        if tickets.is_signed(code):
            try:
                code = tickets.verify(organization=self.auth.organization, token=code).code
            except tickets.InvalidTicket as exc:
                return Response({"valid": False, "reason": f"TICKET_SIGNATURE_INVALID: {exc.reason}", "registration": None})
        registration = selectors.registration_by_code(organization=self.auth.organization, code=code)
        event: Event = data["event"]
        reason = _invalid_reason(registration, event)
        summary = None
        if registration is not None and registration.event_id == event.id:
            summary = {
                "id": str(registration.id),
                "event_id": str(registration.event_id),
                "attendee_name": registration.attendee_name,
                "ticket_type": {"id": str(registration.ticket_type_id), "name": registration.ticket_type.name},
                "status": registration.status,
            }
        return Response({"valid": reason is None, "reason": reason, "registration": summary})


def _invalid_reason(registration: Registration | None, event: Event) -> str | None:
    if registration is None:
        return "TICKET_NOT_FOUND"
    if registration.event_id != event.id:
        return "TICKET_FOR_OTHER_EVENT"
    if event.status == EventStatus.CANCELLED:
        return "EVENT_CANCELLED"
    if registration.status != RegistrationStatus.CONFIRMED:
        return f"REGISTRATION_{registration.status.upper()}"
    return None


class DocumentBrandingViewSet(ApiViewSet):
    """GET / PATCH /document-branding: the colours, footer and logo of the organization's PDF documents."""

    serializer_class = DocumentBrandingSerializer
    required_permissions = {"retrieve": VIEW, "partial_update": MANAGE}

    def retrieve(self, request: Request) -> Response:
        return Response(self._render(self.auth.organization))

    @extend_schema(request=DocumentBrandingInputSerializer, responses=DocumentBrandingSerializer)
    def partial_update(self, request: Request) -> Response:
        data = self.parse(DocumentBrandingInputSerializer, partial=True)
        services.document_branding_update(actor=self.auth.actor, organization=self.auth.organization, data=data)
        return Response(self._render(self.auth.organization))

    @staticmethod
    def _render(organization: Any) -> dict[str, Any]:
        branding = selectors.document_branding_row(organization=organization)
        return {
            "primary_colour": branding.primary_colour,
            "accent_colour": branding.accent_colour,
            "footer": branding.footer,
            "logo_type": branding.logo_type or None,
            "logo_bytes": len(branding.logo or b""),
        }


class TicketKeyViewSet(ApiViewSet):
    """The public keys that verify ticket QR codes offline, and their rotation."""

    required_permissions = {"rotate": MANAGE}  # the keys: any member (they are public keys)

    @extend_schema(responses=TicketKeySetSerializer)
    def keys(self, request: Request) -> Response:
        """The organization's ticket keys as a JSON Web Key Set: the current key and retired keys still vouching for tickets."""
        keys = tickets.published_keys(self.auth.organization)
        return Response({"keys": [tickets.jwk(key) for key in keys]})

    @extend_schema(request=None, responses={201: TicketKeySetSerializer})
    def rotate(self, request: Request) -> Response:
        """Make a new signing key; tickets signed with the old one stay valid until their event's check-in closes."""
        services.ticket_key_rotate(actor=self.auth.actor, organization=self.auth.organization)
        keys = tickets.published_keys(self.auth.organization)
        return Response({"keys": [tickets.jwk(key) for key in keys]}, status=201)


class AttendeeViewSet(EventNestedViewSet):
    cached_actions = frozenset({"list"})
    serializer_class = AttendeeSerializer
    required_permissions = {"list": VIEW}

    @extend_schema(parameters=[AttendeeFilterSerializer, sort_parameter(ATTENDEE_SORTS)])
    def list(self, request: Request, event_pk: str) -> Response:
        filters = self.parse_filter(AttendeeFilterSerializer)
        order = parse_sort(request, ATTENDEE_SORTS, ["attendee_name"])
        return self.page(selectors.attendee_list(event=self.event(), order=order, filters=filters), AttendeeSerializer)


class CheckInViewSet(ApiViewSet):
    """The scan log, check-in (one code, or many), and undo."""

    serializer_class = CheckInSerializer
    required_permissions = {"list": VIEW, "retrieve": VIEW, "create": CHECKIN, "bulk": CHECKIN, "destroy": CHECKIN}

    @extend_schema(parameters=[CheckInFilterSerializer])
    def list(self, request: Request) -> Response:
        filters = self.parse_filter(CheckInFilterSerializer)
        return self.page(selectors.checkin_list(organization=self.auth.organization, filters=filters), CheckInSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._checkin(pk), CheckInSerializer)

    @extend_schema(request=CheckInCreateSerializer, responses={201: CheckInSerializer})
    def create(self, request: Request) -> Response:
        data = self.parse(CheckInCreateSerializer)
        scan = services.checkin_scan(
            actor=self.auth.actor,
            organization=self.auth.organization,
            event=data["event"],
            session=data["session"],
            code=data["code"],
            device=data["device"],
            nonce=data["nonce"],
        )
        if scan.error is not None:
            raise scan.error  # the scan's log row is committed already
        response = Response(CheckInSerializer(scan.checkin).data, status=201)
        response["Location"] = f"/api/v1/checkins/{scan.checkin.id}"
        if scan.replayed:
            response["Nonce-Replayed"] = "true"
        return response

    @extend_schema(request=CheckInBulkSerializer, responses=CheckInBulkResponseSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        data = self.parse(CheckInBulkSerializer)
        done = services.checkins_bulk(
            actor=self.auth.actor,
            organization=self.auth.organization,
            event=data["event"],
            session=data["session"],
            codes=data["codes"],
            device=data["device"],
        )
        results = []
        for index, (code, row, rendered) in enumerate(zip(data["codes"], done.rows, done.rendered, strict=True)):
            error = services.checkin_error(row)
            body = None
            if error is not None:
                body = error_body(error.error, message=error.message, details=error.details, target=error.target, request=request)
            # Built in wire form: the renderer need not walk 1,000 results again.
            results.append(
                Camelized(
                    index=index,
                    code=code,
                    status=201 if error is None else error.status,
                    checkIn=rendered,
                    error=None if body is None else body["error"],
                )
            )
        rows = done.rows
        accepted = sum(1 for row in rows if row.accepted)
        return Response({"checked_in": accepted, "rejected": len(rows) - accepted, "results": results})

    def destroy(self, request: Request, pk: str) -> Response:
        services.checkin_undo(actor=self.auth.actor, checkin=self._checkin(pk))
        return Response(status=204)

    def _checkin(self, pk: Any) -> Any:
        return self.found(selectors.checkin_get(organization=self.auth.organization, checkin_id=pk))


class SessionFeedbackViewSet(EventNestedViewSet):
    """GET / POST /events/{eventId}/sessions/{sessionId}/feedback: ratings of a session by its attendees."""

    serializer_class = SessionFeedbackSummarySerializer
    required_permissions = {"retrieve": VIEW}

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        # Feedback is collected by organizer staff for now: either permission will do.
        if self.action == "create" and not (self.auth.can(MANAGE) or self.auth.can(CHECKIN)):
            self.permission_denied(request)

    def retrieve(self, request: Request, event_pk: str, session_pk: str) -> Response:
        summary = selectors.session_feedback_summary(session=self._session())
        for comment in summary["comments"]:
            comment["created_at"] = iso(comment["created_at"])
        return Response(summary)

    @extend_schema(request=SessionFeedbackInputSerializer, responses={201: SessionFeedbackSerializer})
    def create(self, request: Request, event_pk: str, session_pk: str) -> Response:
        data = self.parse(SessionFeedbackInputSerializer)
        feedback = services.session_feedback_create(
            actor=self.auth.actor,
            organization=self.auth.organization,
            session=self._session(),
            code=data["code"],
            rating=data["rating"],
            comment=data["comment"],
        )
        return Response(SessionFeedbackSerializer(feedback).data, status=201)

    def _session(self) -> Any:
        return self.found(event_selectors.session_get(event=self.event(), session_id=self.kwargs["session_pk"]))


class ImportViewSet(ApiViewSet):
    """Imports from a CSV or XLSX file (registrations.imports): upload (the dry run), run, follow, fetch the result.

    The upload checks every row and writes nothing else: the answer lists each row's
    errors. Running it (202) hands it to a worker that sends each row through the same
    services as ``POST /registrations`` and ``PATCH /registrations/{id}``.
    """

    parser_classes = [CamelCaseJSONParser, CamelCaseMultiPartParser]
    READ_FORMATS: dict[str, Any] = {}
    serializer_class = ImportJobSerializer
    required_permissions = {"list": VIEW, "retrieve": VIEW, "create": MANAGE, "run": MANAGE}

    def list(self, request: Request) -> Response:
        return self.page(selectors.import_list(organization=self.auth.organization), ImportJobSerializer)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.read(self._job(pk), ImportJobDetailSerializer)

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer}, responses={201: ImportJobDetailSerializer})
    def create(self, request: Request) -> Response:
        """Upload a file: every row is checked against the event (a dry run, nothing is written); the job lists the errors."""
        data = self.parse(ImportUploadSerializer)
        event = event_selectors.event_get(organization=self.auth.organization, event_id=data["event_id"])
        if event is None:
            raise DomainError(VALIDATION_ERROR, "No such event.", target="eventId")
        upload = data["file"]
        if upload.size is not None and upload.size > settings.IMPORT_MAX_BYTES:  # refused before it is read
            raise DomainError(
                IMPORT_FILE_TOO_LARGE, details=f"At most {settings.IMPORT_MAX_BYTES:,} bytes are taken.", target="file"
            )
        job = imports.import_upload(
            actor=self.auth.actor,
            organization=self.auth.organization,
            event=event,
            kind=data["kind"],
            file_name=upload.name or "",
            content=upload.read(),
        )
        return self.created(self._job(job.pk), ImportJobDetailSerializer, location=f"/api/v1/imports/{job.pk}")

    @extend_schema(request=ImportRunSerializer, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"], parser_classes=[CamelCaseJSONParser])
    def run(self, request: Request, pk: str) -> Response:
        """Run a checked import in a worker; follow `progress`, then fetch `resultUrl`."""
        data = self.parse(ImportRunSerializer)
        imports.import_start(actor=self.auth.actor, job=self._job(pk), skip_invalid=data["skip_invalid_rows"])
        return self.read(self._job(pk), ImportJobSerializer, status=202)

    def _job(self, pk: Any) -> ImportJob:
        return self.found(selectors.import_get(organization=self.auth.organization, job_id=pk))


def import_result_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The result file of a finished import, for whoever holds a link that is signed and not too old (404 otherwise)."""
    job = imports.result_job(token)
    if job is None:
        raise Http404("This download link is not valid or has expired.")
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=f"import-{job.pk}-result.csv", content_type="text/csv"
    )
