from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.attendance_mode_enum import AttendanceModeEnum
from ..models.category_enum import CategoryEnum
from ..models.event_status_enum import EventStatusEnum
from ..models.event_visibility_enum import EventVisibilityEnum
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.venue_summary import VenueSummary





T = TypeVar("T", bound="Event")



@_attrs_define
class Event:
    """ 
        Attributes:
            attendance_mode (AttendanceModeEnum): * `in_person` - In person
                * `online` - Online
                * `hybrid` - Hybrid
            cancellation_reason (str):
            cancelled_at (datetime.datetime | None):
            capacity (int | None): Empty means unlimited.
            category (CategoryEnum): * `conference` - Conference
                * `workshop` - Workshop
                * `meetup` - Meetup
                * `webinar` - Webinar
                * `seminar` - Seminar
                * `training` - Training
                * `exhibition` - Exhibition
                * `concert` - Concert
                * `sports` - Sports
                * `networking` - Networking
                * `other` - Other
            check_in_closes_at (datetime.datetime): When check-in closes: the end plus `checkInClosesMinutesAfterEnd`.
            check_in_closes_minutes_after_end (int): Check-in closes this many minutes after the end: 0 closes it at the
                end.
            check_in_opens_at (datetime.datetime): When check-in opens: the start less `checkInOpensMinutesBeforeStart`.
            check_in_opens_minutes_before_start (int): Check-in (event entry and sessions) opens this many minutes before
                the start: 1440 is 24 hours, 0 the start itself.
            completed_at (datetime.datetime | None):
            created_at (datetime.datetime):
            currency (str):
            description (str):
            ends_at (datetime.datetime):
            id (UUID):
            online_url (None | str):
            parent_id (None | UUID):
            published_at (datetime.datetime | None):
            slug (str):
            starts_at (datetime.datetime):
            status (EventStatusEnum): * `draft` - Draft
                * `published` - Published
                * `cancelled` - Cancelled
                * `completed` - Completed
            tags (list[str]):
            time_zone (str):
            title (str):
            updated_at (datetime.datetime):
            venue (None | VenueSummary):
            visibility (EventVisibilityEnum): * `public` - Public
                * `unlisted` - Unlisted
                * `private` - Private
     """

    attendance_mode: AttendanceModeEnum
    cancellation_reason: str
    cancelled_at: datetime.datetime | None
    capacity: int | None
    category: CategoryEnum
    check_in_closes_at: datetime.datetime
    check_in_closes_minutes_after_end: int
    check_in_opens_at: datetime.datetime
    check_in_opens_minutes_before_start: int
    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    currency: str
    description: str
    ends_at: datetime.datetime
    id: UUID
    online_url: None | str
    parent_id: None | UUID
    published_at: datetime.datetime | None
    slug: str
    starts_at: datetime.datetime
    status: EventStatusEnum
    tags: list[str]
    time_zone: str
    title: str
    updated_at: datetime.datetime
    venue: None | VenueSummary
    visibility: EventVisibilityEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.venue_summary import VenueSummary # noqa: PLC0415
        attendance_mode = self.attendance_mode.value

        cancellation_reason = self.cancellation_reason

        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        capacity: int | None
        capacity = self.capacity

        category = self.category.value

        check_in_closes_at = self.check_in_closes_at.isoformat()

        check_in_closes_minutes_after_end = self.check_in_closes_minutes_after_end

        check_in_opens_at = self.check_in_opens_at.isoformat()

        check_in_opens_minutes_before_start = self.check_in_opens_minutes_before_start

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        created_at = self.created_at.isoformat()

        currency = self.currency

        description = self.description

        ends_at = self.ends_at.isoformat()

        id = str(self.id)

        online_url: None | str
        online_url = self.online_url

        parent_id: None | str
        if isinstance(self.parent_id, UUID):
            parent_id = str(self.parent_id)
        else:
            parent_id = self.parent_id

        published_at: None | str
        if isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        slug = self.slug

        starts_at = self.starts_at.isoformat()

        status = self.status.value

        tags = self.tags



        time_zone = self.time_zone

        title = self.title

        updated_at = self.updated_at.isoformat()

        venue: dict[str, Any] | None
        if isinstance(self.venue, VenueSummary):
            venue = self.venue.to_dict()
        else:
            venue = self.venue

        visibility = self.visibility.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attendanceMode": attendance_mode,
            "cancellationReason": cancellation_reason,
            "cancelledAt": cancelled_at,
            "capacity": capacity,
            "category": category,
            "checkInClosesAt": check_in_closes_at,
            "checkInClosesMinutesAfterEnd": check_in_closes_minutes_after_end,
            "checkInOpensAt": check_in_opens_at,
            "checkInOpensMinutesBeforeStart": check_in_opens_minutes_before_start,
            "completedAt": completed_at,
            "createdAt": created_at,
            "currency": currency,
            "description": description,
            "endsAt": ends_at,
            "id": id,
            "onlineUrl": online_url,
            "parentId": parent_id,
            "publishedAt": published_at,
            "slug": slug,
            "startsAt": starts_at,
            "status": status,
            "tags": tags,
            "timeZone": time_zone,
            "title": title,
            "updatedAt": updated_at,
            "venue": venue,
            "visibility": visibility,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.venue_summary import VenueSummary # noqa: PLC0415
        d = dict(src_dict)
        attendance_mode = AttendanceModeEnum(d.pop("attendanceMode"))




        cancellation_reason = d.pop("cancellationReason")

        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)



                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelledAt"))


        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))


        category = CategoryEnum(d.pop("category"))




        check_in_closes_at = datetime.datetime.fromisoformat(d.pop("checkInClosesAt"))




        check_in_closes_minutes_after_end = d.pop("checkInClosesMinutesAfterEnd")

        check_in_opens_at = datetime.datetime.fromisoformat(d.pop("checkInOpensAt"))




        check_in_opens_minutes_before_start = d.pop("checkInOpensMinutesBeforeStart")

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)



                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completedAt"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        currency = d.pop("currency")

        description = d.pop("description")

        ends_at = datetime.datetime.fromisoformat(d.pop("endsAt"))




        id = UUID(d.pop("id"))




        def _parse_online_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        online_url = _parse_online_url(d.pop("onlineUrl"))


        def _parse_parent_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parent_id_type_0 = UUID(data)



                return parent_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        parent_id = _parse_parent_id(d.pop("parentId"))


        def _parse_published_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)



                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        published_at = _parse_published_at(d.pop("publishedAt"))


        slug = d.pop("slug")

        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        status = EventStatusEnum(d.pop("status"))




        tags = cast(list[str], d.pop("tags"))


        time_zone = d.pop("timeZone")

        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_venue(data: object) -> None | VenueSummary:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                venue_type_0 = VenueSummary.from_dict(data)



                return venue_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VenueSummary, data)

        venue = _parse_venue(d.pop("venue"))


        visibility = EventVisibilityEnum(d.pop("visibility"))




        event = cls(
            attendance_mode=attendance_mode,
            cancellation_reason=cancellation_reason,
            cancelled_at=cancelled_at,
            capacity=capacity,
            category=category,
            check_in_closes_at=check_in_closes_at,
            check_in_closes_minutes_after_end=check_in_closes_minutes_after_end,
            check_in_opens_at=check_in_opens_at,
            check_in_opens_minutes_before_start=check_in_opens_minutes_before_start,
            completed_at=completed_at,
            created_at=created_at,
            currency=currency,
            description=description,
            ends_at=ends_at,
            id=id,
            online_url=online_url,
            parent_id=parent_id,
            published_at=published_at,
            slug=slug,
            starts_at=starts_at,
            status=status,
            tags=tags,
            time_zone=time_zone,
            title=title,
            updated_at=updated_at,
            venue=venue,
            visibility=visibility,
        )


        event.additional_properties = d
        return event

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
