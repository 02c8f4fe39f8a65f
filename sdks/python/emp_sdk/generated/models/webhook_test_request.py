from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_type_enum import EventTypeEnum






T = TypeVar("T", bound="WebhookTestRequest")



@_attrs_define
class WebhookTestRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            event_type (EventTypeEnum): * `event.created` - event.created
                * `event.updated` - event.updated
                * `event.published` - event.published
                * `event.cancelled` - event.cancelled
                * `registration.created` - registration.created
                * `registration.confirmed` - registration.confirmed
                * `registration.cancelled` - registration.cancelled
                * `payment.completed` - payment.completed
                * `payment.failed` - payment.failed
                * `payment.refunded` - payment.refunded
                * `checkin.completed` - checkin.completed
                * `session.created` - session.created
                * `session.updated` - session.updated
                * `session.cancelled` - session.cancelled
     """

    event_type: EventTypeEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_type = self.event_type.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "eventType": event_type,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_type = EventTypeEnum(d.pop("eventType"))




        webhook_test_request = cls(
            event_type=event_type,
        )


        webhook_test_request.additional_properties = d
        return webhook_test_request

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
