from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.ticket_visibility_enum import TicketVisibilityEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="TicketType")



@_attrs_define
class TicketType:
    """ 
        Attributes:
            capacity (int | None): Empty means limited only by the event.
            created_at (datetime.datetime):
            currency (str): The event's currency, copied when the ticket type is created.
            description (str):
            event_id (UUID):
            id (UUID):
            max_per_order (int):
            name (str):
            on_sale (bool):
            price (str):
            sales_ends_at (datetime.datetime | None):
            sales_starts_at (datetime.datetime | None):
            seats_remaining (int | None):
            seats_taken (int):
            sort_order (int):
            tax_rate (str): Percent, 0 to 100.
            updated_at (datetime.datetime):
            visibility (TicketVisibilityEnum): * `public` - Public
                * `hidden` - Hidden
     """

    capacity: int | None
    created_at: datetime.datetime
    currency: str
    description: str
    event_id: UUID
    id: UUID
    max_per_order: int
    name: str
    on_sale: bool
    price: str
    sales_ends_at: datetime.datetime | None
    sales_starts_at: datetime.datetime | None
    seats_remaining: int | None
    seats_taken: int
    sort_order: int
    tax_rate: str
    updated_at: datetime.datetime
    visibility: TicketVisibilityEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        capacity: int | None
        capacity = self.capacity

        created_at = self.created_at.isoformat()

        currency = self.currency

        description = self.description

        event_id = str(self.event_id)

        id = str(self.id)

        max_per_order = self.max_per_order

        name = self.name

        on_sale = self.on_sale

        price = self.price

        sales_ends_at: None | str
        if isinstance(self.sales_ends_at, datetime.datetime):
            sales_ends_at = self.sales_ends_at.isoformat()
        else:
            sales_ends_at = self.sales_ends_at

        sales_starts_at: None | str
        if isinstance(self.sales_starts_at, datetime.datetime):
            sales_starts_at = self.sales_starts_at.isoformat()
        else:
            sales_starts_at = self.sales_starts_at

        seats_remaining: int | None
        seats_remaining = self.seats_remaining

        seats_taken = self.seats_taken

        sort_order = self.sort_order

        tax_rate = self.tax_rate

        updated_at = self.updated_at.isoformat()

        visibility = self.visibility.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "capacity": capacity,
            "createdAt": created_at,
            "currency": currency,
            "description": description,
            "eventId": event_id,
            "id": id,
            "maxPerOrder": max_per_order,
            "name": name,
            "onSale": on_sale,
            "price": price,
            "salesEndsAt": sales_ends_at,
            "salesStartsAt": sales_starts_at,
            "seatsRemaining": seats_remaining,
            "seatsTaken": seats_taken,
            "sortOrder": sort_order,
            "taxRate": tax_rate,
            "updatedAt": updated_at,
            "visibility": visibility,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        currency = d.pop("currency")

        description = d.pop("description")

        event_id = UUID(d.pop("eventId"))




        id = UUID(d.pop("id"))




        max_per_order = d.pop("maxPerOrder")

        name = d.pop("name")

        on_sale = d.pop("onSale")

        price = d.pop("price")

        def _parse_sales_ends_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sales_ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return sales_ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sales_ends_at = _parse_sales_ends_at(d.pop("salesEndsAt"))


        def _parse_sales_starts_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sales_starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return sales_starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sales_starts_at = _parse_sales_starts_at(d.pop("salesStartsAt"))


        def _parse_seats_remaining(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        seats_remaining = _parse_seats_remaining(d.pop("seatsRemaining"))


        seats_taken = d.pop("seatsTaken")

        sort_order = d.pop("sortOrder")

        tax_rate = d.pop("taxRate")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        visibility = TicketVisibilityEnum(d.pop("visibility"))




        ticket_type = cls(
            capacity=capacity,
            created_at=created_at,
            currency=currency,
            description=description,
            event_id=event_id,
            id=id,
            max_per_order=max_per_order,
            name=name,
            on_sale=on_sale,
            price=price,
            sales_ends_at=sales_ends_at,
            sales_starts_at=sales_starts_at,
            seats_remaining=seats_remaining,
            seats_taken=seats_taken,
            sort_order=sort_order,
            tax_rate=tax_rate,
            updated_at=updated_at,
            visibility=visibility,
        )


        ticket_type.additional_properties = d
        return ticket_type

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
