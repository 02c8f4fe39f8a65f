from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="SsoEnforcement")



@_attrs_define
class SsoEnforcement:
    """ 
        Attributes:
            break_glass_owners (list[UUID]): Users (owners) who may still sign in with a password.
            enforced (bool):
     """

    break_glass_owners: list[UUID]
    enforced: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        break_glass_owners = []
        for break_glass_owners_item_data in self.break_glass_owners:
            break_glass_owners_item = str(break_glass_owners_item_data)
            break_glass_owners.append(break_glass_owners_item)



        enforced = self.enforced


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "breakGlassOwners": break_glass_owners,
            "enforced": enforced,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        break_glass_owners = []
        _break_glass_owners = d.pop("breakGlassOwners")
        for break_glass_owners_item_data in (_break_glass_owners):
            break_glass_owners_item = UUID(break_glass_owners_item_data)



            break_glass_owners.append(break_glass_owners_item)


        enforced = d.pop("enforced")

        sso_enforcement = cls(
            break_glass_owners=break_glass_owners,
            enforced=enforced,
        )


        sso_enforcement.additional_properties = d
        return sso_enforcement

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
