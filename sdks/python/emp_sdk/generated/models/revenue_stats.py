from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RevenueStats")



@_attrs_define
class RevenueStats:
    """ Money collected for the event in one currency (decimal strings).

        Attributes:
            currency (str):
            gross (str):
            net (str):
            refunded (str):
     """

    currency: str
    gross: str
    net: str
    refunded: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        gross = self.gross

        net = self.net

        refunded = self.refunded


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currency": currency,
            "gross": gross,
            "net": net,
            "refunded": refunded,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        currency = d.pop("currency")

        gross = d.pop("gross")

        net = d.pop("net")

        refunded = d.pop("refunded")

        revenue_stats = cls(
            currency=currency,
            gross=gross,
            net=net,
            refunded=refunded,
        )


        revenue_stats.additional_properties = d
        return revenue_stats

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
