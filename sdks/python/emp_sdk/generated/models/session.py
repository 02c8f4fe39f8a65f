from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.session_status_enum import SessionStatusEnum
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.speaker_summary import SpeakerSummary





T = TypeVar("T", bound="Session")



@_attrs_define
class Session:
    """ 
        Attributes:
            abstract (str):
            cancellation_reason (str):
            cancelled_at (datetime.datetime | None):
            capacity (int | None):
            created_at (datetime.datetime):
            ends_at (datetime.datetime):
            event_id (UUID):
            id (UUID):
            room (str):
            speakers (list[SpeakerSummary]):
            starts_at (datetime.datetime):
            status (SessionStatusEnum): * `scheduled` - Scheduled
                * `cancelled` - Cancelled
            title (str):
            track (str):
            updated_at (datetime.datetime):
     """

    abstract: str
    cancellation_reason: str
    cancelled_at: datetime.datetime | None
    capacity: int | None
    created_at: datetime.datetime
    ends_at: datetime.datetime
    event_id: UUID
    id: UUID
    room: str
    speakers: list[SpeakerSummary]
    starts_at: datetime.datetime
    status: SessionStatusEnum
    title: str
    track: str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.speaker_summary import SpeakerSummary # noqa: PLC0415
        abstract = self.abstract

        cancellation_reason = self.cancellation_reason

        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        capacity: int | None
        capacity = self.capacity

        created_at = self.created_at.isoformat()

        ends_at = self.ends_at.isoformat()

        event_id = str(self.event_id)

        id = str(self.id)

        room = self.room

        speakers = []
        for speakers_item_data in self.speakers:
            speakers_item = speakers_item_data.to_dict()
            speakers.append(speakers_item)



        starts_at = self.starts_at.isoformat()

        status = self.status.value

        title = self.title

        track = self.track

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "abstract": abstract,
            "cancellationReason": cancellation_reason,
            "cancelledAt": cancelled_at,
            "capacity": capacity,
            "createdAt": created_at,
            "endsAt": ends_at,
            "eventId": event_id,
            "id": id,
            "room": room,
            "speakers": speakers,
            "startsAt": starts_at,
            "status": status,
            "title": title,
            "track": track,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.speaker_summary import SpeakerSummary # noqa: PLC0415
        d = dict(src_dict)
        abstract = d.pop("abstract")

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


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        ends_at = datetime.datetime.fromisoformat(d.pop("endsAt"))




        event_id = UUID(d.pop("eventId"))




        id = UUID(d.pop("id"))




        room = d.pop("room")

        speakers = []
        _speakers = d.pop("speakers")
        for speakers_item_data in (_speakers):
            speakers_item = SpeakerSummary.from_dict(speakers_item_data)



            speakers.append(speakers_item)


        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        status = SessionStatusEnum(d.pop("status"))




        title = d.pop("title")

        track = d.pop("track")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        session = cls(
            abstract=abstract,
            cancellation_reason=cancellation_reason,
            cancelled_at=cancelled_at,
            capacity=capacity,
            created_at=created_at,
            ends_at=ends_at,
            event_id=event_id,
            id=id,
            room=room,
            speakers=speakers,
            starts_at=starts_at,
            status=status,
            title=title,
            track=track,
            updated_at=updated_at,
        )


        session.additional_properties = d
        return session

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
