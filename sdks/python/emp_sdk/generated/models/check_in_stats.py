from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CheckInStats")



@_attrs_define
class CheckInStats:
    """ 
        Attributes:
            check_in_rate (float): Their share of all confirmed (0 to 1).
            checked_in (int): Confirmed registrations checked in at the entrance.
     """

    check_in_rate: float
    checked_in: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        check_in_rate = self.check_in_rate

        checked_in = self.checked_in


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "checkInRate": check_in_rate,
            "checkedIn": checked_in,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        check_in_rate = d.pop("checkInRate")

        checked_in = d.pop("checkedIn")

        check_in_stats = cls(
            check_in_rate=check_in_rate,
            checked_in=checked_in,
        )


        check_in_stats.additional_properties = d
        return check_in_stats

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
