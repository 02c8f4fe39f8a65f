from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="WebhookEventType")



@_attrs_define
class WebhookEventType:
    """ 
        Attributes:
            description (str):
            example (Any): An example of `data`.
            family (str): Subscribe to `<family>.*` for every type of the family.
            schema (Any): JSON Schema (2020-12) of the envelope's `data`.
            type_ (str):
     """

    description: str
    example: Any
    family: str
    schema: Any
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        example = self.example

        family = self.family

        schema = self.schema

        type_ = self.type_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "description": description,
            "example": example,
            "family": family,
            "schema": schema,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        example = d.pop("example")

        family = d.pop("family")

        schema = d.pop("schema")

        type_ = d.pop("type")

        webhook_event_type = cls(
            description=description,
            example=example,
            family=family,
            schema=schema,
            type_=type_,
        )


        webhook_event_type.additional_properties = d
        return webhook_event_type

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
