"""Input and output shapes of the events API (snake_case here, camelCase on the wire)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organization, User
from api.casing import Camelized, to_camel
from api.representation import iso
from api.serializers import (
    AwareDateTimeField,
    CsvField,
    InputSerializer,
    QuerySerializer,
    TenantPrimaryKeyField,
    ZoneField,
)
from events.dates import DATE_RANGE_MESSAGE, in_date_range
from events.models import (
    CHECK_IN_OPENS_DEFAULT_MINUTES,
    CHECK_IN_WINDOW_MAX_MINUTES,
    AttendanceMode,
    Category,
    Event,
    EventStatus,
    Session,
    SessionMaterial,
    SessionStatus,
    Speaker,
    Venue,
    Visibility,
    tag_names_by_event,
)
from events.selectors import EventFilter, SessionFilter, SpeakerFilter, VenueFilter

_CURRENCY = re.compile(r"^[A-Z]{3}$")


# -- venues ---------------------------------------------------------------------------
class VenueSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Venue
        fields = ["id", "name", "address", "city", "country", "capacity", "created_at", "updated_at"]
        read_only_fields = fields


class VenueInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        allow_blank=True,
        error_messages={"invalid": "Use an ISO 3166-1 alpha-2 code such as DE."},
    )
    capacity = serializers.IntegerField(min_value=1, max_value=10_000_000, required=False, allow_null=True)

    def validate_country(self, value: str) -> str:
        return value.upper()


class VenueFilterSerializer(QuerySerializer):
    filter_class = VenueFilter

    q = serializers.CharField(required=False)
    city = serializers.CharField(required=False)


# -- events ---------------------------------------------------------------------------
class VenueSummarySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Venue
        fields = ["id", "name", "address", "city", "country", "capacity"]
        read_only_fields = fields


EVENT_ROW_FIELDS = (
    "id",
    "parent_id",
    "title",
    "slug",
    "description",
    "category",
    "starts_at",
    "ends_at",
    "time_zone",
    "attendance_mode",
    "venue_id",
    "venue__name",
    "venue__address",
    "venue__city",
    "venue__country",
    "venue__capacity",
    "online_url",
    "capacity",
    "currency",
    "visibility",
    "status",
    "published_at",
    "cancelled_at",
    "cancellation_reason",
    "completed_at",
    "check_in_opens_minutes_before_start",
    "check_in_closes_minutes_after_end",
    "created_at",
    "updated_at",
)


def _row_of(event: Event) -> Any:
    """One event as the row the list reads (``EVENT_ROW_FIELDS``)."""
    venue = event.venue if event.venue_id is not None else None
    return (
        *(getattr(event, f) for f in EVENT_ROW_FIELDS[:10]),
        event.venue_id,
        *((None,) * 5 if venue is None else (venue.name, venue.address, venue.city, venue.country, venue.capacity)),
        *(getattr(event, f) for f in EVENT_ROW_FIELDS[16:]),
    )


# The keys of an event's representation, in order, and their camelCase wire form (worked out once, not per row).
EVENT_KEYS = (
    "id",
    "parent_id",
    "title",
    "slug",
    "description",
    "category",
    "tags",
    "starts_at",
    "ends_at",
    "time_zone",
    "attendance_mode",
    "venue",
    "online_url",
    "capacity",
    "currency",
    "visibility",
    "status",
    "published_at",
    "cancelled_at",
    "cancellation_reason",
    "completed_at",
    "check_in_opens_minutes_before_start",
    "check_in_closes_minutes_after_end",
    "check_in_opens_at",
    "check_in_closes_at",
    "created_at",
    "updated_at",
)
EVENT_WIRE_KEYS = tuple(to_camel(key) for key in EVENT_KEYS)


def event_representation(
    row: Any, tags: list[str], zone: Any, keys: tuple[str, ...] = EVENT_KEYS, into: type[dict[str, Any]] = dict
) -> dict[str, Any]:
    """The event of ``row`` (``EVENT_ROW_FIELDS``, by position) as the API renders it: snake_case ``EVENT_KEYS``,
    or the list's wire form (``EVENT_WIRE_KEYS`` into ``Camelized``, which the renderer passes as it is)."""
    (
        id_,
        parent_id,
        title,
        slug,
        description,
        category,
        starts_at,
        ends_at,
        time_zone,
        attendance_mode,
        venue_id,
        venue_name,
        venue_address,
        venue_city,
        venue_country,
        venue_capacity,
        online_url,
        capacity,
        currency,
        visibility,
        status,
        published_at,
        cancelled_at,
        cancellation_reason,
        completed_at,
        opens_before,
        closes_after,
        created_at,
        updated_at,
    ) = row
    return into(
        zip(
            keys,
            (
                str(id_),
                None if parent_id is None else str(parent_id),
                title,
                slug,
                description,
                category,
                list(tags),
                iso(starts_at, zone),
                iso(ends_at, zone),
                time_zone,
                attendance_mode,
                None
                if venue_id is None
                else {  # one-word keys: the same in both forms
                    "id": str(venue_id),
                    "name": venue_name,
                    "address": venue_address,
                    "city": venue_city,
                    "country": venue_country,
                    "capacity": venue_capacity,
                },
                online_url or None,
                capacity,
                currency,
                visibility,
                status,
                iso(published_at, zone),
                iso(cancelled_at, zone),
                cancellation_reason,
                iso(completed_at, zone),
                opens_before,
                closes_after,
                # Event.check_in_opens_at / check_in_closes_at, from the row.
                iso(starts_at - dt.timedelta(minutes=opens_before), zone),
                iso(ends_at + dt.timedelta(minutes=closes_after), zone),
                iso(created_at, zone),
                iso(updated_at, zone),
            ),
            strict=True,
        )
    )


class EventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    parent_id = serializers.UUIDField(read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    venue = VenueSummarySerializer(read_only=True, allow_null=True)
    # No join URL is null, never "": a client validating the field as a URI accepts either.
    online_url = serializers.SerializerMethodField()
    check_in_opens_at = serializers.DateTimeField(
        read_only=True, help_text="When check-in opens: the start less `checkInOpensMinutesBeforeStart`."
    )
    check_in_closes_at = serializers.DateTimeField(
        read_only=True, help_text="When check-in closes: the end plus `checkInClosesMinutesAfterEnd`."
    )

    class Meta:
        model = Event
        fields = list(EVENT_KEYS)  # the representation's keys, in its order (event_representation)
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_online_url(self, event: Event) -> str | None:
        return event.online_url or None

    def get_tags(self, event: Event) -> list[str]:
        names = getattr(event, "tag_names", None)
        return list(names) if names is not None else sorted(t.name for t in event.tags.all())

    # The list reads these columns as tuples (``ApiViewSet.page``: no model instances for a page), and one
    # event is rendered through the same builder, so both give the same representation.
    row_fields = EVENT_ROW_FIELDS

    def to_representation(self, event: Event) -> dict[str, Any]:
        # The event list is the hottest read: build the dict directly (same output
        # as the declared fields, which still describe it in the OpenAPI schema).
        return event_representation(_row_of(event), self.get_tags(event), timezone.get_current_timezone())

    @classmethod
    def represent_rows(cls, rows: Sequence[Any]) -> list[dict[str, Any]]:
        """A page read as ``row_fields`` tuples: the events' representations, their tag names in one query."""
        tags = tag_names_by_event([row.id for row in rows])
        zone = timezone.get_current_timezone()
        return [event_representation(row, tags.get(row.id, []), zone, EVENT_WIRE_KEYS, Camelized) for row in rows]


def _venues(org: Organization | None) -> Any:
    return Venue.objects.filter(organization=org) if org is not None else Venue.objects.none()


class EventInputSerializer(InputSerializer):
    tolerated_read_only = (
        "id",
        "parent_id",
        "status",
        "venue",
        "published_at",
        "cancelled_at",
        "cancellation_reason",
        "completed_at",
        "check_in_opens_at",
        "check_in_closes_at",
        "created_at",
        "updated_at",
    )
    title = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=100, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=30)
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    time_zone = ZoneField(required=False)
    attendance_mode = serializers.ChoiceField(choices=AttendanceMode.choices, required=False)
    venue_id = TenantPrimaryKeyField(scope=_venues, source="venue", required=False, allow_null=True)
    online_url = serializers.URLField(max_length=500, required=False, allow_blank=True, allow_null=True)
    capacity = serializers.IntegerField(min_value=1, max_value=10_000_000, required=False, allow_null=True)
    currency = serializers.CharField(required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    check_in_opens_minutes_before_start = serializers.IntegerField(
        min_value=0,
        max_value=CHECK_IN_WINDOW_MAX_MINUTES,
        required=False,
        help_text=f"Check-in opens this many minutes before the start (default {CHECK_IN_OPENS_DEFAULT_MINUTES}, 24 hours).",
    )
    check_in_closes_minutes_after_end = serializers.IntegerField(
        min_value=0,
        max_value=CHECK_IN_WINDOW_MAX_MINUTES,
        required=False,
        help_text="Check-in closes this many minutes after the end (default 0: at the end).",
    )

    def validate_currency(self, value: str) -> str:
        value = value.upper()
        if not _CURRENCY.match(value):
            raise serializers.ValidationError("Use an ISO 4217 code such as EUR.")
        return value

    def validate_online_url(self, value: str | None) -> str:
        if not value:
            return ""  # null and "" both remove the join URL
        if not value.lower().startswith(("https://", "http://")):
            raise serializers.ValidationError("Use an http(s) URL.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("starts_at"), attrs.get("ends_at")
        if start and end and end <= start:
            raise serializers.ValidationError({"ends_at": ["The end must be after the start."]})
        if start and end and (end - start).days > 366:
            raise serializers.ValidationError({"ends_at": ["An event lasts at most a year; use a series."]})
        for key in ("starts_at", "ends_at"):
            value = attrs.get(key)
            if value and not in_date_range(value):
                raise serializers.ValidationError({key: [DATE_RANGE_MESSAGE]})
        return attrs


class CancelSerializer(InputSerializer):
    reason = serializers.CharField(max_length=2000)


class SubEventsInputSerializer(InputSerializer):
    dates = serializers.ListField(child=AwareDateTimeField(), required=False, max_length=500, allow_empty=False)
    rrule = serializers.CharField(required=False, max_length=500)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("dates" in attrs) == ("rrule" in attrs):
            raise serializers.ValidationError("Give either dates or rrule.", code="required")
        bad = {str(i): [DATE_RANGE_MESSAGE] for i, d in enumerate(attrs.get("dates", [])) if not in_date_range(d)}
        if bad:
            raise serializers.ValidationError({"dates": bad})
        return attrs


class EventFilterSerializer(QuerySerializer):
    filter_class = EventFilter

    status = CsvField(choices=EventStatus.choices)
    category = CsvField(choices=Category.choices)
    tag = CsvField()
    visibility = CsvField(choices=Visibility.choices)
    attendance_mode = CsvField(choices=AttendanceMode.choices)
    online = serializers.BooleanField(required=False, allow_null=True, default=None)
    starts_after = AwareDateTimeField(required=False)
    starts_before = AwareDateTimeField(required=False)
    ends_after = AwareDateTimeField(required=False)
    ends_before = AwareDateTimeField(required=False)
    city = serializers.CharField(required=False)
    parent = serializers.UUIDField(required=False)  # type: ignore[assignment]  # a filter, not Field.parent
    is_series = serializers.BooleanField(required=False, allow_null=True, default=None)
    top_level = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(required=False, max_length=200)


EVENT_SORTS = {
    "startsAt": "starts_at",
    "endsAt": "ends_at",
    "title": "title",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}


# -- speakers -------------------------------------------------------------------------
class SpeakerFilterSerializer(QuerySerializer):
    filter_class = SpeakerFilter

    q = serializers.CharField(required=False, max_length=200, help_text="Text in the name or company.")


class SpeakerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    event_id = serializers.UUIDField(read_only=True)
    user_id = serializers.UUIDField(read_only=True, allow_null=True)

    class Meta:
        model = Speaker
        fields = ["id", "event_id", "name", "bio", "company", "user_id", "created_at", "updated_at"]
        read_only_fields = fields


def _members(org: Organization | None) -> Any:
    return User.objects.filter(memberships__organization=org) if org is not None else User.objects.none()


class SpeakerInputSerializer(InputSerializer):
    tolerated_read_only = ("id", "event_id", "created_at", "updated_at")
    name = serializers.CharField(max_length=200)
    bio = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    company = serializers.CharField(required=False, allow_blank=True, max_length=200)
    user_id = TenantPrimaryKeyField(scope=_members, source="user", required=False, allow_null=True)


# -- sessions -------------------------------------------------------------------------
class SpeakerSummarySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Speaker
        fields = ["id", "name", "company"]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    event_id = serializers.UUIDField(read_only=True)
    speakers = SpeakerSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "event_id",
            "title",
            "abstract",
            "starts_at",
            "ends_at",
            "room",
            "track",
            "capacity",
            "speakers",
            "status",
            "cancelled_at",
            "cancellation_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SessionInputSerializer(InputSerializer):
    tolerated_read_only = (
        "id",
        "event_id",
        "speakers",
        "status",
        "cancelled_at",
        "cancellation_reason",
        "created_at",
        "updated_at",
    )
    title = serializers.CharField(max_length=200)
    abstract = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    room = serializers.CharField(required=False, allow_blank=True, max_length=100)
    track = serializers.CharField(required=False, allow_blank=True, max_length=100)
    capacity = serializers.IntegerField(min_value=1, max_value=10_000_000, required=False, allow_null=True)
    speaker_ids = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=50)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("starts_at"), attrs.get("ends_at")
        if start and end and end <= start:
            raise serializers.ValidationError({"ends_at": ["The end must be after the start."]})
        return attrs


class SessionFilterSerializer(QuerySerializer):
    filter_class = SessionFilter

    status = CsvField(choices=SessionStatus.choices)
    room = serializers.CharField(required=False)
    track = serializers.CharField(required=False)
    speaker = serializers.UUIDField(required=False)
    starts_after = AwareDateTimeField(required=False)
    starts_before = AwareDateTimeField(required=False)
    q = serializers.CharField(required=False, max_length=200)


SESSION_SORTS = {"startsAt": "starts_at", "endsAt": "ends_at", "title": "title", "createdAt": "created_at"}


# -- materials ------------------------------------------------------------------------
class MaterialSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    session_id = serializers.UUIDField(read_only=True)
    # A file has no link: null, never "" (a client validating the field as a URI accepts either).
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SessionMaterial
        fields = [
            "id",
            "session_id",
            "title",
            "kind",
            "url",
            "file_name",
            "content_type",
            "size",
            "download_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, material: SessionMaterial) -> str | None:
        return material.url or None

    def get_download_url(self, material: SessionMaterial) -> str | None:
        if material.kind != SessionMaterial.Kind.FILE:
            return None
        request = self.context.get("request")
        path = f"/api/v1/events/{material.session.event_id}/sessions/{material.session_id}/materials/{material.id}/download"
        return request.build_absolute_uri(path) if request is not None else path


class MaterialInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    url = serializers.URLField(max_length=500, required=False)
    file = serializers.FileField(required=False, allow_empty_file=False, max_length=200)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("url" in attrs) == ("file" in attrs):
            raise serializers.ValidationError("Give either a file (multipart upload) or a url.", code="required")
        if "url" in attrs and not attrs.get("title"):
            raise serializers.ValidationError({"title": ["A link needs a title."]})
        return attrs
