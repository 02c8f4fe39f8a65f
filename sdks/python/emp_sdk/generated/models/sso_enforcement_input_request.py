from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="SsoEnforcementInputRequest")



@_attrs_define
class SsoEnforcementInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            enforced (bool):
            break_glass_owners (list[UUID] | Unset):
     """

    enforced: bool
    break_glass_owners: list[UUID] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        enforced = self.enforced

        break_glass_owners: list[str] | Unset = UNSET
        if not isinstance(self.break_glass_owners, Unset):
            break_glass_owners = []
            for break_glass_owners_item_data in self.break_glass_owners:
                break_glass_owners_item = str(break_glass_owners_item_data)
                break_glass_owners.append(break_glass_owners_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "enforced": enforced,
        })
        if break_glass_owners is not UNSET:
            field_dict["breakGlassOwners"] = break_glass_owners

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enforced = d.pop("enforced")

        _break_glass_owners = d.pop("breakGlassOwners", UNSET)
        break_glass_owners: list[UUID] | Unset = UNSET
        if _break_glass_owners is not UNSET:
            break_glass_owners = []
            for break_glass_owners_item_data in _break_glass_owners:
                break_glass_owners_item = UUID(break_glass_owners_item_data)



                break_glass_owners.append(break_glass_owners_item)


        sso_enforcement_input_request = cls(
            enforced=enforced,
            break_glass_owners=break_glass_owners,
        )


        sso_enforcement_input_request.additional_properties = d
        return sso_enforcement_input_request

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
