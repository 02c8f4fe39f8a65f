from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="PatchedRegistrationSettingsInputRequest")



@_attrs_define
class PatchedRegistrationSettingsInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            pending_payment_ttl_minutes (int | Unset):
            waitlist_enabled (bool | Unset):
     """

    pending_payment_ttl_minutes: int | Unset = UNSET
    waitlist_enabled: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        pending_payment_ttl_minutes = self.pending_payment_ttl_minutes

        waitlist_enabled = self.waitlist_enabled


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if pending_payment_ttl_minutes is not UNSET:
            field_dict["pendingPaymentTtlMinutes"] = pending_payment_ttl_minutes
        if waitlist_enabled is not UNSET:
            field_dict["waitlistEnabled"] = waitlist_enabled

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pending_payment_ttl_minutes = d.pop("pendingPaymentTtlMinutes", UNSET)

        waitlist_enabled = d.pop("waitlistEnabled", UNSET)

        patched_registration_settings_input_request = cls(
            pending_payment_ttl_minutes=pending_payment_ttl_minutes,
            waitlist_enabled=waitlist_enabled,
        )


        patched_registration_settings_input_request.additional_properties = d
        return patched_registration_settings_input_request

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
