from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="PreferencesRequest")



@_attrs_define
class PreferencesRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            event_updates (bool | Unset):
            marketing (bool | Unset):
            product_news (bool | Unset):
            reminders (bool | Unset):
     """

    event_updates: bool | Unset = UNSET
    marketing: bool | Unset = UNSET
    product_news: bool | Unset = UNSET
    reminders: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_updates = self.event_updates

        marketing = self.marketing

        product_news = self.product_news

        reminders = self.reminders


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if event_updates is not UNSET:
            field_dict["eventUpdates"] = event_updates
        if marketing is not UNSET:
            field_dict["marketing"] = marketing
        if product_news is not UNSET:
            field_dict["productNews"] = product_news
        if reminders is not UNSET:
            field_dict["reminders"] = reminders

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_updates = d.pop("eventUpdates", UNSET)

        marketing = d.pop("marketing", UNSET)

        product_news = d.pop("productNews", UNSET)

        reminders = d.pop("reminders", UNSET)

        preferences_request = cls(
            event_updates=event_updates,
            marketing=marketing,
            product_news=product_news,
            reminders=reminders,
        )


        preferences_request.additional_properties = d
        return preferences_request

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
