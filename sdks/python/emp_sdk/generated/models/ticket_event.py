from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.ticket_venue import TicketVenue





T = TypeVar("T", bound="TicketEvent")



@_attrs_define
class TicketEvent:
    """ 
        Attributes:
            ends_at (datetime.datetime):
            id (UUID):
            online_url (None | str):
            starts_at (datetime.datetime):
            time_zone (str):
            title (str):
            venue (None | TicketVenue):
     """

    ends_at: datetime.datetime
    id: UUID
    online_url: None | str
    starts_at: datetime.datetime
    time_zone: str
    title: str
    venue: None | TicketVenue
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.ticket_venue import TicketVenue # noqa: PLC0415
        ends_at = self.ends_at.isoformat()

        id = str(self.id)

        online_url: None | str
        online_url = self.online_url

        starts_at = self.starts_at.isoformat()

        time_zone = self.time_zone

        title = self.title

        venue: dict[str, Any] | None
        if isinstance(self.venue, TicketVenue):
            venue = self.venue.to_dict()
        else:
            venue = self.venue


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "endsAt": ends_at,
            "id": id,
            "onlineUrl": online_url,
            "startsAt": starts_at,
            "timeZone": time_zone,
            "title": title,
            "venue": venue,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_venue import TicketVenue # noqa: PLC0415
        d = dict(src_dict)
        ends_at = datetime.datetime.fromisoformat(d.pop("endsAt"))




        id = UUID(d.pop("id"))




        def _parse_online_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        online_url = _parse_online_url(d.pop("onlineUrl"))


        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        time_zone = d.pop("timeZone")

        title = d.pop("title")

        def _parse_venue(data: object) -> None | TicketVenue:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                venue_type_0 = TicketVenue.from_dict(data)



                return venue_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TicketVenue, data)

        venue = _parse_venue(d.pop("venue"))


        ticket_event = cls(
            ends_at=ends_at,
            id=id,
            online_url=online_url,
            starts_at=starts_at,
            time_zone=time_zone,
            title=title,
            venue=venue,
        )


        ticket_event.additional_properties = d
        return ticket_event

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
