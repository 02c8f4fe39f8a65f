from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.ticket_visibility_enum import TicketVisibilityEnum
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PatchedTicketTypeInputRequest")



@_attrs_define
class PatchedTicketTypeInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            capacity (int | None | Unset):
            description (str | Unset):
            max_per_order (int | Unset):
            name (str | Unset):
            price (str | Unset):
            sales_ends_at (datetime.datetime | None | Unset):
            sales_starts_at (datetime.datetime | None | Unset):
            sort_order (int | Unset):
            tax_rate (str | Unset):
            visibility (TicketVisibilityEnum | Unset): * `public` - Public
                * `hidden` - Hidden
     """

    capacity: int | None | Unset = UNSET
    description: str | Unset = UNSET
    max_per_order: int | Unset = UNSET
    name: str | Unset = UNSET
    price: str | Unset = UNSET
    sales_ends_at: datetime.datetime | None | Unset = UNSET
    sales_starts_at: datetime.datetime | None | Unset = UNSET
    sort_order: int | Unset = UNSET
    tax_rate: str | Unset = UNSET
    visibility: TicketVisibilityEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        capacity: int | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        description = self.description

        max_per_order = self.max_per_order

        name = self.name

        price = self.price

        sales_ends_at: None | str | Unset
        if isinstance(self.sales_ends_at, Unset):
            sales_ends_at = UNSET
        elif isinstance(self.sales_ends_at, datetime.datetime):
            sales_ends_at = self.sales_ends_at.isoformat()
        else:
            sales_ends_at = self.sales_ends_at

        sales_starts_at: None | str | Unset
        if isinstance(self.sales_starts_at, Unset):
            sales_starts_at = UNSET
        elif isinstance(self.sales_starts_at, datetime.datetime):
            sales_starts_at = self.sales_starts_at.isoformat()
        else:
            sales_starts_at = self.sales_starts_at

        sort_order = self.sort_order

        tax_rate = self.tax_rate

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if description is not UNSET:
            field_dict["description"] = description
        if max_per_order is not UNSET:
            field_dict["maxPerOrder"] = max_per_order
        if name is not UNSET:
            field_dict["name"] = name
        if price is not UNSET:
            field_dict["price"] = price
        if sales_ends_at is not UNSET:
            field_dict["salesEndsAt"] = sales_ends_at
        if sales_starts_at is not UNSET:
            field_dict["salesStartsAt"] = sales_starts_at
        if sort_order is not UNSET:
            field_dict["sortOrder"] = sort_order
        if tax_rate is not UNSET:
            field_dict["taxRate"] = tax_rate
        if visibility is not UNSET:
            field_dict["visibility"] = visibility

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))


        description = d.pop("description", UNSET)

        max_per_order = d.pop("maxPerOrder", UNSET)

        name = d.pop("name", UNSET)

        price = d.pop("price", UNSET)

        def _parse_sales_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sales_ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return sales_ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sales_ends_at = _parse_sales_ends_at(d.pop("salesEndsAt", UNSET))


        def _parse_sales_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sales_starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return sales_starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sales_starts_at = _parse_sales_starts_at(d.pop("salesStartsAt", UNSET))


        sort_order = d.pop("sortOrder", UNSET)

        tax_rate = d.pop("taxRate", UNSET)

        _visibility = d.pop("visibility", UNSET)
        visibility: TicketVisibilityEnum | Unset
        if isinstance(_visibility,  Unset):
            visibility = UNSET
        else:
            visibility = TicketVisibilityEnum(_visibility)




        patched_ticket_type_input_request = cls(
            capacity=capacity,
            description=description,
            max_per_order=max_per_order,
            name=name,
            price=price,
            sales_ends_at=sales_ends_at,
            sales_starts_at=sales_starts_at,
            sort_order=sort_order,
            tax_rate=tax_rate,
            visibility=visibility,
        )


        patched_ticket_type_input_request.additional_properties = d
        return patched_ticket_type_input_request

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
