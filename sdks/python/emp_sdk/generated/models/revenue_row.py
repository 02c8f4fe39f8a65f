from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RevenueRow")



@_attrs_define
class RevenueRow:
    """ 
        Attributes:
            count (int): Payments collected (for ticketType: payments with that ticket type).
            currency (str):
            gross (str):
            key (str): The day (YYYY-MM-DD), event id or ticket type id.
            name (str): The day, the event's title or the ticket type's name.
            net (str):
            refunds (str):
            tickets (int):
     """

    count: int
    currency: str
    gross: str
    key: str
    name: str
    net: str
    refunds: str
    tickets: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        count = self.count

        currency = self.currency

        gross = self.gross

        key = self.key

        name = self.name

        net = self.net

        refunds = self.refunds

        tickets = self.tickets


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "count": count,
            "currency": currency,
            "gross": gross,
            "key": key,
            "name": name,
            "net": net,
            "refunds": refunds,
            "tickets": tickets,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        currency = d.pop("currency")

        gross = d.pop("gross")

        key = d.pop("key")

        name = d.pop("name")

        net = d.pop("net")

        refunds = d.pop("refunds")

        tickets = d.pop("tickets")

        revenue_row = cls(
            count=count,
            currency=currency,
            gross=gross,
            key=key,
            name=name,
            net=net,
            refunds=refunds,
            tickets=tickets,
        )


        revenue_row.additional_properties = d
        return revenue_row

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
