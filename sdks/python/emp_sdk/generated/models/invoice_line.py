from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="InvoiceLine")



@_attrs_define
class InvoiceLine:
    """ 
        Attributes:
            description (str):
            gross (str):
            net (str):
            quantity (int):
            tax (str):
            tax_rate (str): Percent.
            ticket_type_id (UUID):
            unit_price (str): Gross, tax included.
     """

    description: str
    gross: str
    net: str
    quantity: int
    tax: str
    tax_rate: str
    ticket_type_id: UUID
    unit_price: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        gross = self.gross

        net = self.net

        quantity = self.quantity

        tax = self.tax

        tax_rate = self.tax_rate

        ticket_type_id = str(self.ticket_type_id)

        unit_price = self.unit_price


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "description": description,
            "gross": gross,
            "net": net,
            "quantity": quantity,
            "tax": tax,
            "taxRate": tax_rate,
            "ticketTypeId": ticket_type_id,
            "unitPrice": unit_price,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        gross = d.pop("gross")

        net = d.pop("net")

        quantity = d.pop("quantity")

        tax = d.pop("tax")

        tax_rate = d.pop("taxRate")

        ticket_type_id = UUID(d.pop("ticketTypeId"))




        unit_price = d.pop("unitPrice")

        invoice_line = cls(
            description=description,
            gross=gross,
            net=net,
            quantity=quantity,
            tax=tax,
            tax_rate=tax_rate,
            ticket_type_id=ticket_type_id,
            unit_price=unit_price,
        )


        invoice_line.additional_properties = d
        return invoice_line

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
