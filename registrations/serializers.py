"""Input and output shapes of the registrations API (snake_case here, camelCase on the wire)."""

from __future__ import annotations

import base64
import binascii
import functools
import io
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from PIL import Image, UnidentifiedImageError
from rest_framework import serializers

from accounts.models import User
from api.payload import check_free_form
from api.representation import iso, money, text
from api.serializers import AwareDateTimeField, CsvField, InputSerializer, QuerySerializer, TenantPrimaryKeyField
from events import selectors as event_selectors
from events.models import Event, EventStatus, SessionStatus
from events.selectors import session_get
from registrations import imports, tickets
from registrations.models import (
    MAX_ANSWERS_BYTES,
    CheckIn,
    CheckInResult,
    ImportJob,
    ImportKind,
    ImportStatus,
    Registration,
    RegistrationStatus,
    TicketType,
    TicketVisibility,
)
from registrations.selectors import (
    AttendeeFilter,
    CheckInFilter,
    RegistrationFilter,
    TicketTypeFilter,
    registration_get,
    seats_taken,
)


# -- ticket types ---------------------------------------------------------------------------
class TicketTypeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    event_id = serializers.UUIDField(read_only=True)
    seats_taken = serializers.SerializerMethodField()
    seats_remaining = serializers.SerializerMethodField()
    on_sale = serializers.SerializerMethodField()

    class Meta:
        model = TicketType
        fields = [
            "id",
            "event_id",
            "name",
            "description",
            "price",
            "currency",
            "tax_rate",
            "capacity",
            "seats_taken",
            "seats_remaining",
            "sales_starts_at",
            "sales_ends_at",
            "on_sale",
            "max_per_order",
            "visibility",
            "sort_order",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _taken(self, ticket_type: TicketType) -> int:
        taken = getattr(ticket_type, "seats_taken", None)
        if taken is None:
            taken = seats_taken(event=ticket_type.event, ticket_type=ticket_type)
            ticket_type.seats_taken = taken  # type: ignore[attr-defined]
        return int(taken)

    def get_seats_taken(self, ticket_type: TicketType) -> int:
        return self._taken(ticket_type)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_seats_remaining(self, ticket_type: TicketType) -> int | None:
        """Seats left in this ticket type's own allocation (the event's capacity may be reached first)."""
        if ticket_type.capacity is None:
            return None
        return max(ticket_type.capacity - self._taken(ticket_type), 0)

    def get_on_sale(self, ticket_type: TicketType) -> bool:
        now = timezone.now()
        started = ticket_type.sales_starts_at is None or ticket_type.sales_starts_at <= now
        ended = ticket_type.sales_ends_at is not None and ticket_type.sales_ends_at <= now
        return started and not ended


class TicketTypeInputSerializer(InputSerializer):
    tolerated_read_only = (
        "id",
        "event_id",
        "currency",
        "seats_taken",
        "seats_remaining",
        "on_sale",
        "created_at",
        "updated_at",
    )
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=10_000_000, required=False, allow_null=True)
    sales_starts_at = AwareDateTimeField(required=False, allow_null=True)
    sales_ends_at = AwareDateTimeField(required=False, allow_null=True)
    max_per_order = serializers.IntegerField(min_value=1, max_value=100, required=False)
    visibility = serializers.ChoiceField(choices=TicketVisibility.choices, required=False)
    sort_order = serializers.IntegerField(min_value=-1_000_000, max_value=1_000_000, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("sales_starts_at"), attrs.get("sales_ends_at")
        if start and end and end <= start:
            raise serializers.ValidationError({"sales_ends_at": ["The sales window must end after it starts."]})
        return attrs


# -- registrations --------------------------------------------------------------------------
class TicketTypeSummarySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = TicketType
        fields = ["id", "name", "price", "currency"]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    order_id = serializers.UUIDField(read_only=True)
    event_id = serializers.UUIDField(read_only=True)
    user_id = serializers.UUIDField(read_only=True, allow_null=True)
    ticket_type = TicketTypeSummarySerializer(read_only=True)
    answers = serializers.JSONField(read_only=True)
    waitlist_position = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "order_id",
            "event_id",
            "ticket_type",
            "attendee_name",
            "attendee_email",
            "user_id",
            "answers",
            "status",
            "waitlist_position",
            "source",
            "created_by",
            "expires_at",
            "confirmed_at",
            "cancelled_at",
            "cancellation_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, registration: Registration) -> dict[str, Any]:
        # Built by hand: every create answers with it and publishes it (same output as
        # the declared fields, which still describe it in the OpenAPI schema; a test
        # keeps the two equal).
        ticket_type = registration.ticket_type
        return {
            "id": str(registration.id),
            "order_id": str(registration.order_id),
            "event_id": str(registration.event_id),
            "ticket_type": {
                "id": str(ticket_type.id),
                "name": ticket_type.name,
                "price": money(ticket_type.price),
                "currency": ticket_type.currency,
            },
            "attendee_name": registration.attendee_name,
            "attendee_email": registration.attendee_email,
            "user_id": text(registration.user_id),
            "answers": registration.answers,
            "status": registration.status,
            "waitlist_position": self.get_waitlist_position(registration),
            "source": registration.source,
            "created_by": registration.created_by,
            "expires_at": iso(registration.expires_at),
            "confirmed_at": iso(registration.confirmed_at),
            "cancelled_at": iso(registration.cancelled_at),
            "cancellation_reason": registration.cancellation_reason,
            "created_at": iso(registration.created_at),
            "updated_at": iso(registration.updated_at),
        }

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_waitlist_position(self, registration: Registration) -> int | None:
        """1 for the first in line; null unless waitlisted."""
        position = getattr(registration, "waitlist_position", None)
        if position is not None or registration.status != RegistrationStatus.WAITLISTED:
            return position
        annotated = registration_get(organization=registration.organization, registration_id=registration.pk)
        return getattr(annotated, "waitlist_position", None)


def _members(org: Any) -> Any:
    return User.objects.filter(memberships__organization=org) if org is not None else User.objects.none()


def _events(org: Any) -> Any:
    return Event.objects.filter(organization=org) if org is not None else Event.objects.none()


def check_answers(value: Any) -> dict[str, Any]:
    """The attendee's answers: free-form, within ``api.payload.check_free_form``'s limits (docs/api-conventions.md)."""
    return dict(check_free_form(value, max_bytes=MAX_ANSWERS_BYTES))


class AttendeeInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    answers = serializers.DictField(required=False)
    user_id = TenantPrimaryKeyField(scope=_members, source="user", required=False, allow_null=True)

    def validate_answers(self, value: Any) -> dict[str, Any]:
        return check_answers(value)


class RegistrationCreateSerializer(InputSerializer):
    # Looked up by the service, under the event's lock, in the caller's organization.
    event_id = serializers.UUIDField()
    ticket_type_id = serializers.UUIDField()
    attendees = serializers.ListField(child=AttendeeInputSerializer(), min_length=1, max_length=100)


class RegistrationOrderSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The answer to a create: the order's id and its registrations."""

    order_id = serializers.UUIDField()
    data = RegistrationSerializer(many=True)  # type: ignore[assignment]  # the field, not Serializer.data


class RegistrationUpdateSerializer(InputSerializer):
    tolerated_read_only = tuple(RegistrationSerializer.Meta.fields)
    attendee_name = serializers.CharField(max_length=200, required=False)
    attendee_email = serializers.EmailField(max_length=254, required=False)
    answers = serializers.DictField(required=False)

    def validate_answers(self, value: Any) -> dict[str, Any]:
        return check_answers(value)


class TicketTypeFilterSerializer(QuerySerializer):
    filter_class = TicketTypeFilter

    q = serializers.CharField(required=False, max_length=200, help_text="Text in the name or description.")
    visibility = CsvField(choices=TicketVisibility.choices)


class RegistrationFilterSerializer(QuerySerializer):
    filter_class = RegistrationFilter

    event = serializers.UUIDField(required=False)
    status = CsvField(choices=RegistrationStatus.choices)
    ticket_type = serializers.UUIDField(required=False)
    email = serializers.CharField(required=False, max_length=254)
    order_id = serializers.UUIDField(required=False)
    q = serializers.CharField(required=False, max_length=200)
    checked_in = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: with an active event check-in; false: without."
    )


REGISTRATION_SORTS = {
    "createdAt": "created_at",
    "updatedAt": "updated_at",
    "attendeeName": "attendee_name",
    "attendeeEmail": "attendee_email",
    "status": "status",
}


class RegistrationCancelSerializer(InputSerializer):
    reason = serializers.CharField(max_length=2000)


class BatchItemSerializer(InputSerializer):
    event_id = serializers.UUIDField()
    ticket_type_id = serializers.UUIDField()
    attendee = AttendeeInputSerializer()


class BatchInputSerializer(InputSerializer):
    atomic = serializers.BooleanField(help_text="true: all items or none; false: each item on its own.")
    # Items are checked one by one (BatchItemSerializer), so one bad item need not fail the others.
    items = serializers.ListField(child=serializers.JSONField(), min_length=1, max_length=500)


@extend_schema_field({"type": "object", "additionalProperties": True})
class _ErrorBody(serializers.JSONField):
    pass


class BatchResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    index = serializers.IntegerField()
    status = serializers.IntegerField()
    registration = RegistrationSerializer(required=False)
    error = _ErrorBody(required=False, help_text="The standard error body's `error` object.")


class BatchResponseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    atomic = serializers.BooleanField()
    created = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = BatchResultSerializer(many=True)


# -- tickets and attendees ------------------------------------------------------------------
class AttendeeSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    email = serializers.EmailField()


class TicketTypeRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    name = serializers.CharField()


class TicketVenueSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    address = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()


class TicketEventSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    time_zone = serializers.CharField()
    online_url = serializers.URLField(allow_null=True)
    venue = TicketVenueSerializer(allow_null=True)


class TicketSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a ticket shows (and what a wallet pass or PDF is made of)."""

    code = serializers.CharField()
    registration_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=RegistrationStatus.choices)
    attendee = AttendeeSummarySerializer()
    ticket_type = TicketTypeRefSerializer()
    event = TicketEventSerializer()
    qr_payload = serializers.CharField(
        help_text="What the ticket's QR code carries: the code and event signed with the organization's Ed25519 key "
        "(`EPT1.<keyId>.<payload>.<signature>`), verifiable offline with `GET /api/v1/ticket-keys`; check-in accepts it."
    )

    def to_representation(self, registration: Registration) -> dict[str, Any]:
        event = registration.event
        venue = event.venue if event.venue_id is not None else None
        return {
            "qr_payload": tickets.sign(registration),
            "code": registration.ticket_code,
            "registration_id": str(registration.id),
            "status": registration.status,
            "attendee": {"name": registration.attendee_name, "email": registration.attendee_email},
            "ticket_type": {"id": str(registration.ticket_type_id), "name": registration.ticket_type.name},
            "event": {
                "id": str(event.id),
                "title": event.title,
                "starts_at": iso(event.starts_at),
                "ends_at": iso(event.ends_at),
                "time_zone": event.time_zone,
                "online_url": event.online_url or None,
                "venue": None
                if venue is None
                else {"name": venue.name, "address": venue.address, "city": venue.city, "country": venue.country},
            },
        }


class TicketValidateSerializer(InputSerializer):
    event_id = TenantPrimaryKeyField(scope=_events, source="event")
    code = serializers.CharField(max_length=512, help_text="The ticket code, or the signed payload of its QR code.")


class CertificateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A certificate of attendance (as JSON; `Accept: application/pdf` gives the document)."""

    registration_id = serializers.UUIDField()
    attendee = AttendeeSummarySerializer()
    event = TicketEventSerializer()
    attended_at = serializers.DateTimeField(help_text="When the attendee was checked in at the entrance.")


class TicketKeySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A public key that verifies ticket QR codes, as a JSON Web Key (RFC 8037)."""

    kid = serializers.CharField()
    kty = serializers.ChoiceField(choices=["OKP"])
    crv = serializers.ChoiceField(choices=["Ed25519"])
    alg = serializers.ChoiceField(choices=["EdDSA"])
    use = serializers.ChoiceField(choices=["sig"])
    x = serializers.CharField(help_text="The raw public key, base64url without padding.")
    status = serializers.ChoiceField(choices=["current", "retired"])
    retired_at = serializers.DateTimeField(allow_null=True)
    valid_until = serializers.DateTimeField(
        allow_null=True, help_text="A retired key verifies the tickets it signed until then (their events' check-in closes)."
    )


class TicketKeySetSerializer(serializers.Serializer):  # type: ignore[type-arg]
    keys = TicketKeySerializer(many=True)


class TicketValidationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    valid = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True, help_text="Why the ticket is not valid; null when it is.")
    registration = serializers.DictField(allow_null=True)


class AttendeeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    ticket_type = serializers.SerializerMethodField()
    answers = serializers.JSONField(read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "attendee_name", "attendee_email", "ticket_type", "answers", "confirmed_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}})
    def get_ticket_type(self, registration: Registration) -> dict[str, str]:
        return {"id": str(registration.ticket_type_id), "name": registration.ticket_type.name}


class AttendeeFilterSerializer(QuerySerializer):
    filter_class = AttendeeFilter

    ticket_type = serializers.UUIDField(required=False)
    q = serializers.CharField(required=False, max_length=200)


ATTENDEE_SORTS = {"attendeeName": "attendee_name", "attendeeEmail": "attendee_email", "createdAt": "created_at"}


class RegistrationSettingsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    event_id = serializers.UUIDField()
    waitlist_enabled = serializers.BooleanField()
    pending_payment_ttl_minutes = serializers.IntegerField()


class RegistrationSettingsInputSerializer(InputSerializer):
    tolerated_read_only = ("event_id",)
    waitlist_enabled = serializers.BooleanField(required=False)
    pending_payment_ttl_minutes = serializers.IntegerField(min_value=1, max_value=60 * 24 * 14, required=False)


# -- document branding ---------------------------------------------------------------------
LOGO_MAX_BYTES = 256 * 1024
_COLOUR = r"^#[0-9a-fA-F]{6}$"


class DocumentBrandingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """How the organization's PDF documents look (tickets, certificates, invoices)."""

    primary_colour = serializers.CharField(help_text="`#RRGGBB`: the header band and headings.")
    accent_colour = serializers.CharField(help_text="`#RRGGBB`: rules and table headers.")
    footer = serializers.CharField(help_text="The line at the foot of every page; the organization's name when empty.")
    logo_type = serializers.CharField(allow_null=True, help_text="`image/png` or `image/jpeg`; null without a logo.")
    logo_bytes = serializers.IntegerField(help_text="The logo's size in bytes (0 without one).")


class DocumentBrandingInputSerializer(InputSerializer):
    primary_colour = serializers.RegexField(_COLOUR, required=False)
    accent_colour = serializers.RegexField(_COLOUR, required=False)
    footer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    logo = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="The logo, PNG or JPEG, base64-encoded, at most 256 KB; null removes it.",
    )

    def validate_logo(self, value: str | None) -> bytes | None:
        if value is None:
            return None
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Not base64.", code="INVALID") from None
        if len(raw) > LOGO_MAX_BYTES:
            raise serializers.ValidationError(f"At most {LOGO_MAX_BYTES} bytes.", code="MAX_LENGTH")
        try:
            with Image.open(io.BytesIO(raw)) as image:
                kind = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise serializers.ValidationError("Not a PNG or JPEG image.", code="INVALID") from None
        if kind not in ("PNG", "JPEG"):
            raise serializers.ValidationError("Not a PNG or JPEG image.", code="INVALID")
        self._logo_type = f"image/{kind.lower()}"
        return raw

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if attrs.get("logo"):
            attrs["logo_type"] = self._logo_type
        return attrs


# -- check-ins ------------------------------------------------------------------------------
MAX_BULK_CODES = 1000
# A bulk check-in stamps its 1,000 rows with one time: format it once.
_iso = functools.lru_cache(maxsize=1024)(iso)
MAX_SCANNED_CODE = 512


class CheckInDetailsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Why a scan was refused: the keys of its ``result`` (empty for ``ok`` and ``TICKET_NOT_FOUND``)."""

    check_in_id = serializers.UUIDField(required=False, help_text="ALREADY_CHECKED_IN: the first check-in.")
    checked_in_at = serializers.DateTimeField(required=False, help_text="ALREADY_CHECKED_IN: when it was.")
    device = serializers.CharField(required=False, help_text="ALREADY_CHECKED_IN: its device.")
    scanned_by = serializers.CharField(required=False, help_text="ALREADY_CHECKED_IN: who scanned it.")
    session_id = serializers.UUIDField(required=False, allow_null=True, help_text="ALREADY_CHECKED_IN: its session.")
    event_id = serializers.UUIDField(required=False, help_text="WRONG_EVENT: the ticket's event.")
    event_status = serializers.ChoiceField(choices=EventStatus.choices, required=False, help_text="CHECKIN_CLOSED")
    session_status = serializers.ChoiceField(choices=SessionStatus.choices, required=False, help_text="CHECKIN_CLOSED")
    status = serializers.ChoiceField(
        choices=RegistrationStatus.choices, required=False, help_text="TICKET_CANCELLED, TICKET_NOT_PAID, TICKET_WAITLISTED"
    )


class CheckInSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A scan as the API (and the ``checkin.completed`` webhook) renders it.

    Built directly (see ADR 0002): bulk check-in renders up to 1,000 of these. The
    ticket code is not part of it, as with registrations.
    """

    id = serializers.UUIDField()
    event_id = serializers.UUIDField()
    session_id = serializers.UUIDField(allow_null=True)
    registration_id = serializers.UUIDField(allow_null=True)
    attendee = AttendeeSummarySerializer(allow_null=True, help_text="The registration's attendee; null for unknown codes.")
    ticket_type = TicketTypeRefSerializer(allow_null=True, help_text="null for unknown codes.")
    accepted = serializers.BooleanField()
    result = serializers.ChoiceField(choices=CheckInResult.choices)
    details = CheckInDetailsSerializer(help_text="Why a scan was refused (for ALREADY_CHECKED_IN: the first check-in).")
    device = serializers.CharField()
    scanned_by = serializers.CharField()
    nonce = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    undone_at = serializers.DateTimeField(allow_null=True)
    undone_by = serializers.CharField()

    def to_representation(self, checkin: CheckIn) -> dict[str, Any]:
        registration = checkin.registration
        type_name = None
        if registration is not None:
            # Bulk check-in annotates the name instead of loading a TicketType per row.
            type_name = registration.__dict__.get("ticket_type_name")
            if type_name is None:
                type_name = registration.ticket_type.name
        return {
            "id": str(checkin.id),
            "event_id": str(checkin.event_id),
            "session_id": None if checkin.session_id is None else str(checkin.session_id),
            "registration_id": None if registration is None else str(registration.id),
            "attendee": None
            if registration is None
            else {"name": registration.attendee_name, "email": registration.attendee_email},
            "ticket_type": None if registration is None else {"id": str(registration.ticket_type_id), "name": type_name},
            "accepted": checkin.accepted,
            "result": checkin.result,
            "details": checkin.details,
            "device": checkin.device,
            "scanned_by": checkin.scanned_by,
            "nonce": checkin.nonce,
            "created_at": _iso(checkin.created_at),
            "undone_at": _iso(checkin.undone_at),
            "undone_by": checkin.undone_by,
        }


def _check_session(attrs: dict[str, Any]) -> dict[str, Any]:
    """``sessionId`` must be a session of ``eventId`` (400 DOES_NOT_EXIST otherwise, like any foreign id in a body)."""
    session_id = attrs.pop("session_id", None)
    attrs["session"] = None
    if session_id is not None:
        session = session_get(event=attrs["event"], session_id=session_id)
        if session is None:
            raise serializers.ValidationError(
                {"session_id": [serializers.ErrorDetail("No such session in this event.", code="does_not_exist")]}
            )
        attrs["session"] = session
    return attrs


class _ScannedEventField(TenantPrimaryKeyField):
    """A scan's ``eventId``: an event of the caller's organization, read by ``events.selectors.event_of`` (one
    written statement; a scan is the hottest write) rather than through the queryset. Refused as before: a
    malformed id is ``invalid``, another organization's or a missing one ``does_not_exist``."""

    def to_internal_value(self, data: Any) -> Any:
        organization = self.context.get("organization")
        if organization is None:
            return super().to_internal_value(data)
        assert self.pk_field is not None
        event = event_selectors.event_of(organization_id=organization.pk, event_id=self.pk_field.to_internal_value(data))
        if event is None:
            self.fail("does_not_exist", pk_value=data)
        return event


class CheckInCreateSerializer(InputSerializer):
    code = serializers.CharField(max_length=MAX_SCANNED_CODE, trim_whitespace=True)
    event_id = _ScannedEventField(scope=_events, source="event")
    session_id = serializers.UUIDField(required=False, allow_null=True)
    device = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    nonce = serializers.CharField(required=False, allow_null=True, max_length=128, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _check_session(attrs)


class CheckInBulkSerializer(InputSerializer):
    event_id = _ScannedEventField(scope=_events, source="event")
    session_id = serializers.UUIDField(required=False, allow_null=True)
    device = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    codes = serializers.ListField(
        child=serializers.CharField(max_length=MAX_SCANNED_CODE), min_length=1, max_length=MAX_BULK_CODES
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _check_session(attrs)


class CheckInBulkResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    index = serializers.IntegerField()
    code = serializers.CharField(help_text="The code as sent.")
    status = serializers.IntegerField(help_text="201 when checked in, else the status of the error.")
    check_in = CheckInSerializer(help_text="The logged scan (every scan is logged, accepted or not).")
    error = _ErrorBody(allow_null=True, help_text="The standard error body's `error` object; null when checked in.")


class CheckInBulkResponseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    checked_in = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = CheckInBulkResultSerializer(many=True)


class CheckInFilterSerializer(QuerySerializer):
    filter_class = CheckInFilter

    event = serializers.UUIDField(required=False)
    session = serializers.UUIDField(required=False)
    accepted = serializers.BooleanField(required=False, allow_null=True, default=None)
    registration = serializers.UUIDField(required=False)


# -- session feedback -----------------------------------------------------------------------
class SessionFeedbackInputSerializer(InputSerializer):
    code = serializers.CharField(max_length=MAX_SCANNED_CODE, help_text="The attendee's ticket code.")
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class SessionFeedbackSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    session_id = serializers.UUIDField()
    registration_id = serializers.UUIDField()
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()

    def to_representation(self, feedback: Any) -> dict[str, Any]:
        return {
            "id": str(feedback.id),
            "session_id": str(feedback.session_id),
            "registration_id": str(feedback.registration_id),
            "rating": feedback.rating,
            "comment": feedback.comment,
            "created_at": iso(feedback.created_at),
        }


class FeedbackCommentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class SessionFeedbackSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    session_id = serializers.UUIDField()
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True, help_text="Mean rating, 2 decimals; null without feedback.")
    distribution = serializers.DictField(child=serializers.IntegerField(), help_text='Ratings "1" to "5": how many of each.')
    comments = FeedbackCommentSerializer(many=True, help_text="The latest 50 non-empty comments, newest first.")


# -- imports (registrations.imports) ---------------------------------------------------------------
class ImportUploadSerializer(InputSerializer):
    event_id = serializers.UUIDField(help_text="The event the rows are for.")
    kind = serializers.ChoiceField(
        choices=ImportKind.choices,
        help_text="registrations: new registrations (attendeeName, attendeeEmail, ticketType); "
        "attendees: new attendee details of registrations (registrationId, attendeeName and/or attendeeEmail).",
    )
    file = serializers.FileField(
        allow_empty_file=False, max_length=255, help_text="A CSV (UTF-8) or XLSX file, a header row first."
    )


class ImportRunSerializer(InputSerializer):
    skip_invalid_rows = serializers.BooleanField(
        default=False, help_text="Run even though the dry run found errors; those rows are reported as skipped."
    )


class ImportRowErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    row = serializers.IntegerField(help_text="The line in the file (the header is line 1).")
    column = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ImportProgressSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField()
    percent = serializers.IntegerField()


class ImportJobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An import: its dry run's figures, its progress, and once done its outcomes and a link to the result file."""

    event_id = serializers.UUIDField(read_only=True)
    progress = serializers.SerializerMethodField()
    outcomes = serializers.SerializerMethodField()
    result_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "event_id",
            "kind",
            "status",
            "file_name",
            "file_size",
            "rows_total",
            "rows_invalid",
            "progress",
            "outcomes",
            "result_url",
            "error",
            "created_at",
            "updated_at",
            "started_at",
            "completed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ImportProgressSerializer)
    def get_progress(self, job: ImportJob) -> dict[str, Any]:
        percent = 100 if job.rows_total == 0 else min(100, job.rows_done * 100 // job.rows_total)
        return {"rows_done": job.rows_done, "rows_total": job.rows_total, "percent": percent}

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "description": "Rows per outcome once the run started: confirmed, pending_payment, waitlisted, updated, "
            "failed, skipped.",
        }
    )
    def get_outcomes(self, job: ImportJob) -> dict[str, int]:
        if job.status == ImportStatus.RUNNING:  # counted as it goes; recorded on the job when the run ends
            return imports.outcome_counts(job)
        return dict(sorted(job.outcomes.items()))  # jsonb keeps an object's keys shortest first

    @extend_schema_field(
        serializers.URLField(allow_null=True, help_text="The result file (CSV, a line per row), a signed link; null until done.")
    )
    def get_result_url(self, job: ImportJob) -> str | None:
        return imports.result_url(job) if job.status == ImportStatus.SUCCEEDED and job.result_file else None


class ImportJobDetailSerializer(ImportJobSerializer):
    """An import with its dry run's report: every error of every row."""

    row_errors = ImportRowErrorSerializer(many=True, source="report", read_only=True)

    class Meta(ImportJobSerializer.Meta):
        fields = [*ImportJobSerializer.Meta.fields, "row_errors"]
        read_only_fields = fields
