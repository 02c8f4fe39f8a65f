from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.attendance_mode_enum import AttendanceModeEnum
from ..models.category_enum import CategoryEnum
from ..models.event_visibility_enum import EventVisibilityEnum
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="PatchedEventInputRequest")



@_attrs_define
class PatchedEventInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            attendance_mode (AttendanceModeEnum | Unset): * `in_person` - In person
                * `online` - Online
                * `hybrid` - Hybrid
            capacity (int | None | Unset):
            category (CategoryEnum | Unset): * `conference` - Conference
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
            check_in_closes_minutes_after_end (int | Unset): Check-in closes this many minutes after the end (default 0: at
                the end).
            check_in_opens_minutes_before_start (int | Unset): Check-in opens this many minutes before the start (default
                1440, 24 hours).
            currency (str | Unset):
            description (str | Unset):
            ends_at (datetime.datetime | Unset):
            online_url (None | str | Unset):
            slug (str | Unset):
            starts_at (datetime.datetime | Unset):
            tags (list[str] | Unset):
            time_zone (str | Unset):
            title (str | Unset):
            venue_id (None | Unset | UUID):
            visibility (EventVisibilityEnum | Unset): * `public` - Public
                * `unlisted` - Unlisted
                * `private` - Private
     """

    attendance_mode: AttendanceModeEnum | Unset = UNSET
    capacity: int | None | Unset = UNSET
    category: CategoryEnum | Unset = UNSET
    check_in_closes_minutes_after_end: int | Unset = UNSET
    check_in_opens_minutes_before_start: int | Unset = UNSET
    currency: str | Unset = UNSET
    description: str | Unset = UNSET
    ends_at: datetime.datetime | Unset = UNSET
    online_url: None | str | Unset = UNSET
    slug: str | Unset = UNSET
    starts_at: datetime.datetime | Unset = UNSET
    tags: list[str] | Unset = UNSET
    time_zone: str | Unset = UNSET
    title: str | Unset = UNSET
    venue_id: None | Unset | UUID = UNSET
    visibility: EventVisibilityEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attendance_mode: str | Unset = UNSET
        if not isinstance(self.attendance_mode, Unset):
            attendance_mode = self.attendance_mode.value


        capacity: int | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        category: str | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category.value


        check_in_closes_minutes_after_end = self.check_in_closes_minutes_after_end

        check_in_opens_minutes_before_start = self.check_in_opens_minutes_before_start

        currency = self.currency

        description = self.description

        ends_at: str | Unset = UNSET
        if not isinstance(self.ends_at, Unset):
            ends_at = self.ends_at.isoformat()

        online_url: None | str | Unset
        if isinstance(self.online_url, Unset):
            online_url = UNSET
        else:
            online_url = self.online_url

        slug = self.slug

        starts_at: str | Unset = UNSET
        if not isinstance(self.starts_at, Unset):
            starts_at = self.starts_at.isoformat()

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags



        time_zone = self.time_zone

        title = self.title

        venue_id: None | str | Unset
        if isinstance(self.venue_id, Unset):
            venue_id = UNSET
        elif isinstance(self.venue_id, UUID):
            venue_id = str(self.venue_id)
        else:
            venue_id = self.venue_id

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if attendance_mode is not UNSET:
            field_dict["attendanceMode"] = attendance_mode
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if category is not UNSET:
            field_dict["category"] = category
        if check_in_closes_minutes_after_end is not UNSET:
            field_dict["checkInClosesMinutesAfterEnd"] = check_in_closes_minutes_after_end
        if check_in_opens_minutes_before_start is not UNSET:
            field_dict["checkInOpensMinutesBeforeStart"] = check_in_opens_minutes_before_start
        if currency is not UNSET:
            field_dict["currency"] = currency
        if description is not UNSET:
            field_dict["description"] = description
        if ends_at is not UNSET:
            field_dict["endsAt"] = ends_at
        if online_url is not UNSET:
            field_dict["onlineUrl"] = online_url
        if slug is not UNSET:
            field_dict["slug"] = slug
        if starts_at is not UNSET:
            field_dict["startsAt"] = starts_at
        if tags is not UNSET:
            field_dict["tags"] = tags
        if time_zone is not UNSET:
            field_dict["timeZone"] = time_zone
        if title is not UNSET:
            field_dict["title"] = title
        if venue_id is not UNSET:
            field_dict["venueId"] = venue_id
        if visibility is not UNSET:
            field_dict["visibility"] = visibility

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _attendance_mode = d.pop("attendanceMode", UNSET)
        attendance_mode: AttendanceModeEnum | Unset
        if isinstance(_attendance_mode,  Unset):
            attendance_mode = UNSET
        else:
            attendance_mode = AttendanceModeEnum(_attendance_mode)




        def _parse_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))


        _category = d.pop("category", UNSET)
        category: CategoryEnum | Unset
        if isinstance(_category,  Unset):
            category = UNSET
        else:
            category = CategoryEnum(_category)




        check_in_closes_minutes_after_end = d.pop("checkInClosesMinutesAfterEnd", UNSET)

        check_in_opens_minutes_before_start = d.pop("checkInOpensMinutesBeforeStart", UNSET)

        currency = d.pop("currency", UNSET)

        description = d.pop("description", UNSET)

        _ends_at = d.pop("endsAt", UNSET)
        ends_at: datetime.datetime | Unset
        if isinstance(_ends_at,  Unset):
            ends_at = UNSET
        else:
            ends_at = datetime.datetime.fromisoformat(_ends_at)




        def _parse_online_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        online_url = _parse_online_url(d.pop("onlineUrl", UNSET))


        slug = d.pop("slug", UNSET)

        _starts_at = d.pop("startsAt", UNSET)
        starts_at: datetime.datetime | Unset
        if isinstance(_starts_at,  Unset):
            starts_at = UNSET
        else:
            starts_at = datetime.datetime.fromisoformat(_starts_at)




        tags = cast(list[str], d.pop("tags", UNSET))


        time_zone = d.pop("timeZone", UNSET)

        title = d.pop("title", UNSET)

        def _parse_venue_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                venue_id_type_0 = UUID(data)



                return venue_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        venue_id = _parse_venue_id(d.pop("venueId", UNSET))


        _visibility = d.pop("visibility", UNSET)
        visibility: EventVisibilityEnum | Unset
        if isinstance(_visibility,  Unset):
            visibility = UNSET
        else:
            visibility = EventVisibilityEnum(_visibility)




        patched_event_input_request = cls(
            attendance_mode=attendance_mode,
            capacity=capacity,
            category=category,
            check_in_closes_minutes_after_end=check_in_closes_minutes_after_end,
            check_in_opens_minutes_before_start=check_in_opens_minutes_before_start,
            currency=currency,
            description=description,
            ends_at=ends_at,
            online_url=online_url,
            slug=slug,
            starts_at=starts_at,
            tags=tags,
            time_zone=time_zone,
            title=title,
            venue_id=venue_id,
            visibility=visibility,
        )


        patched_event_input_request.additional_properties = d
        return patched_event_input_request

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
