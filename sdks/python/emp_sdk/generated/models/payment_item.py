from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="PaymentItem")



@_attrs_define
class PaymentItem:
    """ 
        Attributes:
            amount (str):
            registration_id (UUID):
            tax_rate (str):
            ticket_type_id (UUID):
     """

    amount: str
    registration_id: UUID
    tax_rate: str
    ticket_type_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        registration_id = str(self.registration_id)

        tax_rate = self.tax_rate

        ticket_type_id = str(self.ticket_type_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "registrationId": registration_id,
            "taxRate": tax_rate,
            "ticketTypeId": ticket_type_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        registration_id = UUID(d.pop("registrationId"))




        tax_rate = d.pop("taxRate")

        ticket_type_id = UUID(d.pop("ticketTypeId"))




        payment_item = cls(
            amount=amount,
            registration_id=registration_id,
            tax_rate=tax_rate,
            ticket_type_id=ticket_type_id,
        )


        payment_item.additional_properties = d
        return payment_item

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
