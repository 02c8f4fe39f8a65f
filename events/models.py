"""Venues, events (and series of sub-events), sessions, speakers and session materials."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.core.validators import MaxValueValidator
from django.db import connection, models
from django.db.models import F, Q
from django.utils.text import slugify

from accounts.models import Organization, User
from core.models import BaseModel


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    UNLISTED = "unlisted", "Unlisted"
    PRIVATE = "private", "Private"


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid"


class Category(models.TextChoices):
    CONFERENCE = "conference", "Conference"
    WORKSHOP = "workshop", "Workshop"
    MEETUP = "meetup", "Meetup"
    WEBINAR = "webinar", "Webinar"
    SEMINAR = "seminar", "Seminar"
    TRAINING = "training", "Training"
    EXHIBITION = "exhibition", "Exhibition"
    CONCERT = "concert", "Concert"
    SPORTS = "sports", "Sports"
    NETWORKING = "networking", "Networking"
    OTHER = "other", "Other"


# Check-in opens this long before an event starts unless the organizer says otherwise (and closes at its end).
CHECK_IN_OPENS_DEFAULT_MINUTES = 24 * 60
# Neither side of the window reaches further than a year from the event.
CHECK_IN_WINDOW_MAX_MINUTES = 366 * 24 * 60


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Venue(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code")
    capacity = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organization", "city"])]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="tag_unique_per_org")]

    def __str__(self) -> str:
        return self.name


class EventQuerySet(models.QuerySet["Event"]):
    """Events that can carry their tag names, loaded for a whole page in one flat query.

    ``with_tag_names()`` sets ``event.tag_names`` (sorted) on every fetched row; it
    is much cheaper than ``prefetch_related("tags")``, which builds a Tag and a
    related manager per event.
    """

    _attach_tags = False

    def with_tag_names(self) -> EventQuerySet:
        clone = self._chain()  # type: ignore[attr-defined]
        clone._attach_tags = True
        return clone

    def _clone(self) -> EventQuerySet:
        clone = super()._clone()  # type: ignore[misc]
        clone._attach_tags = self._attach_tags
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()  # type: ignore[misc]
        if fresh and self._attach_tags and self._result_cache and isinstance(self._result_cache[0], Event):
            attach_tag_names(list(self._result_cache))  # type: ignore[arg-type]


def attach_tag_names(events: list[Event]) -> None:
    names = tag_names_by_event([event.pk for event in events])
    for event in events:
        event.tag_names = names.get(event.pk, [])


def tag_names_by_event(event_ids: list[Any]) -> dict[Any, list[str]]:
    """The tag names of each event of ``event_ids`` (sorted; events without tags are left out), in one statement.

    Written once rather than built by the ORM per page: a list's tags cost less to
    read than to describe (ADR 0024).
    """
    if not event_ids:
        return {}
    through = Event.tags.through._meta
    quote = connection.ops.quote_name
    uuid_field = Event._meta.pk
    assert uuid_field is not None
    if connection.vendor == "postgresql":  # one array parameter, whatever the page's size
        where, params = "= ANY(%s)", [list(event_ids)]
    else:
        where = f"IN ({', '.join(['%s'] * len(event_ids))})"
        params = [uuid_field.get_db_prep_value(pk, connection) for pk in event_ids]
    sql = (
        f"SELECT et.{quote('event_id')}, t.{quote('name')} FROM {quote(through.db_table)} et "
        f"INNER JOIN {quote(Tag._meta.db_table)} t ON t.{quote('id')} = et.{quote('tag_id')} "
        f"WHERE et.{quote('event_id')} {where} ORDER BY t.{quote('name')} ASC"
    )
    names: dict[Any, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    to_python = uuid_field.to_python if connection.vendor != "postgresql" else None
    for event_id, name in rows:
        names.setdefault(to_python(event_id) if to_python else event_id, []).append(name)
    return names


class Event(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_events",
        help_text="The series this event is a sub-event of.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    tags = models.ManyToManyField(Tag, blank=True, related_name="events")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC")
    attendance_mode = models.CharField(max_length=12, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    online_url = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty means unlimited.")
    currency = models.CharField(max_length=3, default="EUR")
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A series created from an RFC 5545 rule keeps it (the calendars write the series as one recurring entry), and
    # each sub-event the start the rule gave it, so a moved or cancelled occurrence becomes an exception (ADR 0027).
    recurrence_rule = models.CharField(max_length=500, blank=True)
    recurrence_start = models.DateTimeField(null=True, blank=True)
    # Offsets rather than datetimes: the window moves with the event when it is rescheduled, and a
    # series' sub-events inherit it.
    check_in_opens_minutes_before_start = models.PositiveIntegerField(
        default=CHECK_IN_OPENS_DEFAULT_MINUTES,
        validators=[MaxValueValidator(CHECK_IN_WINDOW_MAX_MINUTES)],
        help_text="Check-in (event entry and sessions) opens this many minutes before the start: 1440 is 24 hours, 0 the start itself.",
    )
    check_in_closes_minutes_after_end = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(CHECK_IN_WINDOW_MAX_MINUTES)],
        help_text="Check-in closes this many minutes after the end: 0 closes it at the end.",
    )

    objects = EventQuerySet.as_manager()
    tag_names: list[str]

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="event_slug_unique_per_org"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["organization", "starts_at", "id"]),
            models.Index(fields=["organization", "status", "starts_at"]),
            models.Index(fields=["organization", "parent"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def check_in_opens_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(minutes=self.check_in_opens_minutes_before_start)

    @property
    def check_in_closes_at(self) -> dt.datetime:
        return self.ends_at + dt.timedelta(minutes=self.check_in_closes_minutes_after_end)


class Speaker(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="speakers")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(max_length=200)
    bio = models.TextField(blank=True)
    company = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="speaker_profiles")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Session(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sessions")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    abstract = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.CharField(max_length=100, blank=True)
    track = models.CharField(max_length=100, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions")
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
        ]
        indexes = [models.Index(fields=["event", "starts_at", "id"])]

    def __str__(self) -> str:
        return self.title


def material_upload_to(instance: SessionMaterial, filename: str) -> str:
    """A short ASCII name on disk (file systems cap a name at 255 bytes); ``file_name`` keeps the original."""
    base, ext = os.path.splitext(os.path.basename(filename))
    safe = (slugify(base) or "file")[:80]
    ext = "".join(c for c in ext.lower() if c.isascii() and c.isalnum())[:10]
    return f"materials/{instance.organization_id}/{instance.session_id}/{instance.id}/{safe}{'.' + ext if ext else ''}"


class SessionMaterial(BaseModel):
    class Kind(models.TextChoices):
        FILE = "file", "File"
        LINK = "link", "Link"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="session_materials")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=material_upload_to, max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title
