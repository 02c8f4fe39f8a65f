from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from uuid import UUID






T = TypeVar("T", bound="RegistrationSettings")



@_attrs_define
class RegistrationSettings:
    """ 
        Attributes:
            event_id (UUID):
            pending_payment_ttl_minutes (int):
            waitlist_enabled (bool):
     """

    event_id: UUID
    pending_payment_ttl_minutes: int
    waitlist_enabled: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        pending_payment_ttl_minutes = self.pending_payment_ttl_minutes

        waitlist_enabled = self.waitlist_enabled


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "eventId": event_id,
            "pendingPaymentTtlMinutes": pending_payment_ttl_minutes,
            "waitlistEnabled": waitlist_enabled,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = UUID(d.pop("eventId"))




        pending_payment_ttl_minutes = d.pop("pendingPaymentTtlMinutes")

        waitlist_enabled = d.pop("waitlistEnabled")

        registration_settings = cls(
            event_id=event_id,
            pending_payment_ttl_minutes=pending_payment_ttl_minutes,
            waitlist_enabled=waitlist_enabled,
        )


        registration_settings.additional_properties = d
        return registration_settings

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
