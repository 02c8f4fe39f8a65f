from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role_enum import RoleEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Member")



@_attrs_define
class Member:
    """ A user as seen by the other members of an organization.

        Attributes:
            email (str):
            id (UUID):
            joined_at (datetime.datetime):
            name (str):
            role (RoleEnum): * `owner` - Owner
                * `admin` - Admin
                * `editor` - Editor
                * `finance` - Finance
                * `checkin` - Check-in staff
                * `viewer` - Viewer
            updated_at (datetime.datetime):
     """

    email: str
    id: UUID
    joined_at: datetime.datetime
    name: str
    role: RoleEnum
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        id = str(self.id)

        joined_at = self.joined_at.isoformat()

        name = self.name

        role = self.role.value

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "email": email,
            "id": id,
            "joinedAt": joined_at,
            "name": name,
            "role": role,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        id = UUID(d.pop("id"))




        joined_at = datetime.datetime.fromisoformat(d.pop("joinedAt"))




        name = d.pop("name")

        role = RoleEnum(d.pop("role"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        member = cls(
            email=email,
            id=id,
            joined_at=joined_at,
            name=name,
            role=role,
            updated_at=updated_at,
        )


        member.additional_properties = d
        return member

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
