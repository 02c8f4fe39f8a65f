from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Profile")



@_attrs_define
class Profile:
    """ 
        Attributes:
            communication_preferences (Any):
            date_joined (datetime.datetime):
            email (str):
            id (UUID):
            locale (str):
            memberships (Any):
            name (str):
            time_zone (str):
            updated_at (datetime.datetime):
     """

    communication_preferences: Any
    date_joined: datetime.datetime
    email: str
    id: UUID
    locale: str
    memberships: Any
    name: str
    time_zone: str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        communication_preferences = self.communication_preferences

        date_joined = self.date_joined.isoformat()

        email = self.email

        id = str(self.id)

        locale = self.locale

        memberships = self.memberships

        name = self.name

        time_zone = self.time_zone

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "communicationPreferences": communication_preferences,
            "dateJoined": date_joined,
            "email": email,
            "id": id,
            "locale": locale,
            "memberships": memberships,
            "name": name,
            "timeZone": time_zone,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        communication_preferences = d.pop("communicationPreferences")

        date_joined = datetime.datetime.fromisoformat(d.pop("dateJoined"))




        email = d.pop("email")

        id = UUID(d.pop("id"))




        locale = d.pop("locale")

        memberships = d.pop("memberships")

        name = d.pop("name")

        time_zone = d.pop("timeZone")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        profile = cls(
            communication_preferences=communication_preferences,
            date_joined=date_joined,
            email=email,
            id=id,
            locale=locale,
            memberships=memberships,
            name=name,
            time_zone=time_zone,
            updated_at=updated_at,
        )


        profile.additional_properties = d
        return profile

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
