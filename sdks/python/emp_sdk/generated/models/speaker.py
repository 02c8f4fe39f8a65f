from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Speaker")



@_attrs_define
class Speaker:
    """ 
        Attributes:
            bio (str):
            company (str):
            created_at (datetime.datetime):
            event_id (UUID):
            id (UUID):
            name (str):
            updated_at (datetime.datetime):
            user_id (None | UUID):
     """

    bio: str
    company: str
    created_at: datetime.datetime
    event_id: UUID
    id: UUID
    name: str
    updated_at: datetime.datetime
    user_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        bio = self.bio

        company = self.company

        created_at = self.created_at.isoformat()

        event_id = str(self.event_id)

        id = str(self.id)

        name = self.name

        updated_at = self.updated_at.isoformat()

        user_id: None | str
        if isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "bio": bio,
            "company": company,
            "createdAt": created_at,
            "eventId": event_id,
            "id": id,
            "name": name,
            "updatedAt": updated_at,
            "userId": user_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bio = d.pop("bio")

        company = d.pop("company")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        event_id = UUID(d.pop("eventId"))




        id = UUID(d.pop("id"))




        name = d.pop("name")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_user_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)



                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        user_id = _parse_user_id(d.pop("userId"))


        speaker = cls(
            bio=bio,
            company=company,
            created_at=created_at,
            event_id=event_id,
            id=id,
            name=name,
            updated_at=updated_at,
            user_id=user_id,
        )


        speaker.additional_properties = d
        return speaker

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
