from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.patched_registration_update_request_answers import PatchedRegistrationUpdateRequestAnswers





T = TypeVar("T", bound="PatchedRegistrationUpdateRequest")



@_attrs_define
class PatchedRegistrationUpdateRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            answers (PatchedRegistrationUpdateRequestAnswers | Unset):
            attendee_email (str | Unset):
            attendee_name (str | Unset):
     """

    answers: PatchedRegistrationUpdateRequestAnswers | Unset = UNSET
    attendee_email: str | Unset = UNSET
    attendee_name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.patched_registration_update_request_answers import PatchedRegistrationUpdateRequestAnswers # noqa: PLC0415
        answers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.answers, Unset):
            answers = self.answers.to_dict()

        attendee_email = self.attendee_email

        attendee_name = self.attendee_name


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if answers is not UNSET:
            field_dict["answers"] = answers
        if attendee_email is not UNSET:
            field_dict["attendeeEmail"] = attendee_email
        if attendee_name is not UNSET:
            field_dict["attendeeName"] = attendee_name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.patched_registration_update_request_answers import PatchedRegistrationUpdateRequestAnswers # noqa: PLC0415
        d = dict(src_dict)
        _answers = d.pop("answers", UNSET)
        answers: PatchedRegistrationUpdateRequestAnswers | Unset
        if isinstance(_answers,  Unset):
            answers = UNSET
        else:
            answers = PatchedRegistrationUpdateRequestAnswers.from_dict(_answers)




        attendee_email = d.pop("attendeeEmail", UNSET)

        attendee_name = d.pop("attendeeName", UNSET)

        patched_registration_update_request = cls(
            answers=answers,
            attendee_email=attendee_email,
            attendee_name=attendee_name,
        )


        patched_registration_update_request.additional_properties = d
        return patched_registration_update_request

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
