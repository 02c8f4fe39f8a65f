from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.interval_enum import IntervalEnum
from ..models.provider_enum import ProviderEnum
from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="SubscriptionCreateRequest")



@_attrs_define
class SubscriptionCreateRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            buyer_email (str):
            buyer_name (str):
            provider (ProviderEnum): * `stripe` - stripe
                * `paypal` - paypal
            ticket_type_id (UUID): The pass: a ticket type of a series (an event with sub-events).
            interval (IntervalEnum | Unset): * `month` - month
                * `year` - year Default: IntervalEnum.MONTH.
     """

    buyer_email: str
    buyer_name: str
    provider: ProviderEnum
    ticket_type_id: UUID
    interval: IntervalEnum | Unset = IntervalEnum.MONTH
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        buyer_email = self.buyer_email

        buyer_name = self.buyer_name

        provider = self.provider.value

        ticket_type_id = str(self.ticket_type_id)

        interval: str | Unset = UNSET
        if not isinstance(self.interval, Unset):
            interval = self.interval.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "buyerEmail": buyer_email,
            "buyerName": buyer_name,
            "provider": provider,
            "ticketTypeId": ticket_type_id,
        })
        if interval is not UNSET:
            field_dict["interval"] = interval

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        buyer_email = d.pop("buyerEmail")

        buyer_name = d.pop("buyerName")

        provider = ProviderEnum(d.pop("provider"))




        ticket_type_id = UUID(d.pop("ticketTypeId"))




        _interval = d.pop("interval", UNSET)
        interval: IntervalEnum | Unset
        if isinstance(_interval,  Unset):
            interval = UNSET
        else:
            interval = IntervalEnum(_interval)




        subscription_create_request = cls(
            buyer_email=buyer_email,
            buyer_name=buyer_name,
            provider=provider,
            ticket_type_id=ticket_type_id,
            interval=interval,
        )


        subscription_create_request.additional_properties = d
        return subscription_create_request

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
