from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.capture_method_enum import CaptureMethodEnum
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="PaymentCreateRequest")



@_attrs_define
class PaymentCreateRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            registration_ids (list[UUID]): Pending-payment registrations of one event (for example all of an order).
            capture_method (CaptureMethodEnum | Unset): * `automatic` - Captured when the buyer pays
                * `manual` - Authorized, then captured by the platform Default: CaptureMethodEnum.AUTOMATIC.
            provider (str | Unset): `sandbox` (default), or a connected gateway (`stripe`): the answer then carries
                `checkout`. Default: 'sandbox'.
     """

    registration_ids: list[UUID]
    capture_method: CaptureMethodEnum | Unset = CaptureMethodEnum.AUTOMATIC
    provider: str | Unset = 'sandbox'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        registration_ids = []
        for registration_ids_item_data in self.registration_ids:
            registration_ids_item = str(registration_ids_item_data)
            registration_ids.append(registration_ids_item)



        capture_method: str | Unset = UNSET
        if not isinstance(self.capture_method, Unset):
            capture_method = self.capture_method.value


        provider = self.provider


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "registrationIds": registration_ids,
        })
        if capture_method is not UNSET:
            field_dict["captureMethod"] = capture_method
        if provider is not UNSET:
            field_dict["provider"] = provider

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        registration_ids = []
        _registration_ids = d.pop("registrationIds")
        for registration_ids_item_data in (_registration_ids):
            registration_ids_item = UUID(registration_ids_item_data)



            registration_ids.append(registration_ids_item)


        _capture_method = d.pop("captureMethod", UNSET)
        capture_method: CaptureMethodEnum | Unset
        if isinstance(_capture_method,  Unset):
            capture_method = UNSET
        else:
            capture_method = CaptureMethodEnum(_capture_method)




        provider = d.pop("provider", UNSET)

        payment_create_request = cls(
            registration_ids=registration_ids,
            capture_method=capture_method,
            provider=provider,
        )


        payment_create_request.additional_properties = d
        return payment_create_request

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
