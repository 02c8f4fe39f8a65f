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






T = TypeVar("T", bound="PatchedSessionInputRequest")



@_attrs_define
class PatchedSessionInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            abstract (str | Unset):
            capacity (int | None | Unset):
            ends_at (datetime.datetime | Unset):
            room (str | Unset):
            speaker_ids (list[UUID] | Unset):
            starts_at (datetime.datetime | Unset):
            title (str | Unset):
            track (str | Unset):
     """

    abstract: str | Unset = UNSET
    capacity: int | None | Unset = UNSET
    ends_at: datetime.datetime | Unset = UNSET
    room: str | Unset = UNSET
    speaker_ids: list[UUID] | Unset = UNSET
    starts_at: datetime.datetime | Unset = UNSET
    title: str | Unset = UNSET
    track: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        abstract = self.abstract

        capacity: int | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        ends_at: str | Unset = UNSET
        if not isinstance(self.ends_at, Unset):
            ends_at = self.ends_at.isoformat()

        room = self.room

        speaker_ids: list[str] | Unset = UNSET
        if not isinstance(self.speaker_ids, Unset):
            speaker_ids = []
            for speaker_ids_item_data in self.speaker_ids:
                speaker_ids_item = str(speaker_ids_item_data)
                speaker_ids.append(speaker_ids_item)



        starts_at: str | Unset = UNSET
        if not isinstance(self.starts_at, Unset):
            starts_at = self.starts_at.isoformat()

        title = self.title

        track = self.track


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if abstract is not UNSET:
            field_dict["abstract"] = abstract
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if ends_at is not UNSET:
            field_dict["endsAt"] = ends_at
        if room is not UNSET:
            field_dict["room"] = room
        if speaker_ids is not UNSET:
            field_dict["speakerIds"] = speaker_ids
        if starts_at is not UNSET:
            field_dict["startsAt"] = starts_at
        if title is not UNSET:
            field_dict["title"] = title
        if track is not UNSET:
            field_dict["track"] = track

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        abstract = d.pop("abstract", UNSET)

        def _parse_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))


        _ends_at = d.pop("endsAt", UNSET)
        ends_at: datetime.datetime | Unset
        if isinstance(_ends_at,  Unset):
            ends_at = UNSET
        else:
            ends_at = datetime.datetime.fromisoformat(_ends_at)




        room = d.pop("room", UNSET)

        _speaker_ids = d.pop("speakerIds", UNSET)
        speaker_ids: list[UUID] | Unset = UNSET
        if _speaker_ids is not UNSET:
            speaker_ids = []
            for speaker_ids_item_data in _speaker_ids:
                speaker_ids_item = UUID(speaker_ids_item_data)



                speaker_ids.append(speaker_ids_item)


        _starts_at = d.pop("startsAt", UNSET)
        starts_at: datetime.datetime | Unset
        if isinstance(_starts_at,  Unset):
            starts_at = UNSET
        else:
            starts_at = datetime.datetime.fromisoformat(_starts_at)




        title = d.pop("title", UNSET)

        track = d.pop("track", UNSET)

        patched_session_input_request = cls(
            abstract=abstract,
            capacity=capacity,
            ends_at=ends_at,
            room=room,
            speaker_ids=speaker_ids,
            starts_at=starts_at,
            title=title,
            track=track,
        )


        patched_session_input_request.additional_properties = d
        return patched_session_input_request

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
