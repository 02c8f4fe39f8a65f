from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="SubEventsInputRequest")



@_attrs_define
class SubEventsInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            dates (list[datetime.datetime] | Unset):
            rrule (str | Unset):
     """

    dates: list[datetime.datetime] | Unset = UNSET
    rrule: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        dates: list[str] | Unset = UNSET
        if not isinstance(self.dates, Unset):
            dates = []
            for dates_item_data in self.dates:
                dates_item = dates_item_data.isoformat()
                dates.append(dates_item)



        rrule = self.rrule


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if dates is not UNSET:
            field_dict["dates"] = dates
        if rrule is not UNSET:
            field_dict["rrule"] = rrule

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _dates = d.pop("dates", UNSET)
        dates: list[datetime.datetime] | Unset = UNSET
        if _dates is not UNSET:
            dates = []
            for dates_item_data in _dates:
                dates_item = datetime.datetime.fromisoformat(dates_item_data)



                dates.append(dates_item)


        rrule = d.pop("rrule", UNSET)

        sub_events_input_request = cls(
            dates=dates,
            rrule=rrule,
        )


        sub_events_input_request.additional_properties = d
        return sub_events_input_request

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
