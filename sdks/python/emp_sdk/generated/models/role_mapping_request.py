from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role_enum import RoleEnum






T = TypeVar("T", bound="RoleMappingRequest")



@_attrs_define
class RoleMappingRequest:
    """ 
        Attributes:
            group (str): A group name as the IdP sends it (SAML attribute or claim).
            role (RoleEnum): * `owner` - Owner
                * `admin` - Admin
                * `editor` - Editor
                * `finance` - Finance
                * `checkin` - Check-in staff
                * `viewer` - Viewer
     """

    group: str
    role: RoleEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        group = self.group

        role = self.role.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "group": group,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        group = d.pop("group")

        role = RoleEnum(d.pop("role"))




        role_mapping_request = cls(
            group=group,
            role=role,
        )


        role_mapping_request.additional_properties = d
        return role_mapping_request

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
