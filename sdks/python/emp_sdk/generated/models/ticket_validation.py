from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.ticket_validation_registration_type_0 import TicketValidationRegistrationType0





T = TypeVar("T", bound="TicketValidation")



@_attrs_define
class TicketValidation:
    """ 
        Attributes:
            reason (None | str): Why the ticket is not valid; null when it is.
            registration (None | TicketValidationRegistrationType0):
            valid (bool):
     """

    reason: None | str
    registration: None | TicketValidationRegistrationType0
    valid: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.ticket_validation_registration_type_0 import TicketValidationRegistrationType0 # noqa: PLC0415
        reason: None | str
        reason = self.reason

        registration: dict[str, Any] | None
        if isinstance(self.registration, TicketValidationRegistrationType0):
            registration = self.registration.to_dict()
        else:
            registration = self.registration

        valid = self.valid


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "reason": reason,
            "registration": registration,
            "valid": valid,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_validation_registration_type_0 import TicketValidationRegistrationType0 # noqa: PLC0415
        d = dict(src_dict)
        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))


        def _parse_registration(data: object) -> None | TicketValidationRegistrationType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                registration_type_0 = TicketValidationRegistrationType0.from_dict(data)



                return registration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TicketValidationRegistrationType0, data)

        registration = _parse_registration(d.pop("registration"))


        valid = d.pop("valid")

        ticket_validation = cls(
            reason=reason,
            registration=registration,
            valid=valid,
        )


        ticket_validation.additional_properties = d
        return ticket_validation

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
