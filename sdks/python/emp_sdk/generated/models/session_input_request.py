from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="SessionInputRequest")



@_attrs_define
class SessionInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            ends_at (datetime.datetime):
            starts_at (datetime.datetime):
            title (str):
            abstract (str | Unset):
            capacity (int | None | Unset):
            room (str | Unset):
            speaker_ids (list[UUID] | Unset):
            track (str | Unset):
     """

    ends_at: datetime.datetime
    starts_at: datetime.datetime
    title: str
    abstract: str | Unset = UNSET
    capacity: int | None | Unset = UNSET
    room: str | Unset = UNSET
    speaker_ids: list[UUID] | Unset = UNSET
    track: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        ends_at = self.ends_at.isoformat()

        starts_at = self.starts_at.isoformat()

        title = self.title

        abstract = self.abstract

        capacity: int | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        room = self.room

        speaker_ids: list[str] | Unset = UNSET
        if not isinstance(self.speaker_ids, Unset):
            speaker_ids = []
            for speaker_ids_item_data in self.speaker_ids:
                speaker_ids_item = str(speaker_ids_item_data)
                speaker_ids.append(speaker_ids_item)



        track = self.track


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "endsAt": ends_at,
            "startsAt": starts_at,
            "title": title,
        })
        if abstract is not UNSET:
            field_dict["abstract"] = abstract
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if room is not UNSET:
            field_dict["room"] = room
        if speaker_ids is not UNSET:
            field_dict["speakerIds"] = speaker_ids
        if track is not UNSET:
            field_dict["track"] = track

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ends_at = datetime.datetime.fromisoformat(d.pop("endsAt"))




        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        title = d.pop("title")

        abstract = d.pop("abstract", UNSET)

        def _parse_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))


        room = d.pop("room", UNSET)

        _speaker_ids = d.pop("speakerIds", UNSET)
        speaker_ids: list[UUID] | Unset = UNSET
        if _speaker_ids is not UNSET:
            speaker_ids = []
            for speaker_ids_item_data in _speaker_ids:
                speaker_ids_item = UUID(speaker_ids_item_data)



                speaker_ids.append(speaker_ids_item)


        track = d.pop("track", UNSET)

        session_input_request = cls(
            ends_at=ends_at,
            starts_at=starts_at,
            title=title,
            abstract=abstract,
            capacity=capacity,
            room=room,
            speaker_ids=speaker_ids,
            track=track,
        )


        session_input_request.additional_properties = d
        return session_input_request

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
