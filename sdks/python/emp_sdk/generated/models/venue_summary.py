from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID






T = TypeVar("T", bound="VenueSummary")



@_attrs_define
class VenueSummary:
    """ 
        Attributes:
            address (str):
            capacity (int | None):
            city (str):
            country (str): ISO 3166-1 alpha-2 code
            id (UUID):
            name (str):
     """

    address: str
    capacity: int | None
    city: str
    country: str
    id: UUID
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        address = self.address

        capacity: int | None
        capacity = self.capacity

        city = self.city

        country = self.country

        id = str(self.id)

        name = self.name


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "address": address,
            "capacity": capacity,
            "city": city,
            "country": country,
            "id": id,
            "name": name,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        address = d.pop("address")

        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))


        city = d.pop("city")

        country = d.pop("country")

        id = UUID(d.pop("id"))




        name = d.pop("name")

        venue_summary = cls(
            address=address,
            capacity=capacity,
            city=city,
            country=country,
            id=id,
            name=name,
        )


        venue_summary.additional_properties = d
        return venue_summary

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
