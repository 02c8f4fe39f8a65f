from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.attendee_input_request_answers import AttendeeInputRequestAnswers





T = TypeVar("T", bound="AttendeeInputRequest")



@_attrs_define
class AttendeeInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            email (str):
            name (str):
            answers (AttendeeInputRequestAnswers | Unset):
            user_id (None | Unset | UUID):
     """

    email: str
    name: str
    answers: AttendeeInputRequestAnswers | Unset = UNSET
    user_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attendee_input_request_answers import AttendeeInputRequestAnswers # noqa: PLC0415
        email = self.email

        name = self.name

        answers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.answers, Unset):
            answers = self.answers.to_dict()

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        elif isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "email": email,
            "name": name,
        })
        if answers is not UNSET:
            field_dict["answers"] = answers
        if user_id is not UNSET:
            field_dict["userId"] = user_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attendee_input_request_answers import AttendeeInputRequestAnswers # noqa: PLC0415
        d = dict(src_dict)
        email = d.pop("email")

        name = d.pop("name")

        _answers = d.pop("answers", UNSET)
        answers: AttendeeInputRequestAnswers | Unset
        if isinstance(_answers,  Unset):
            answers = UNSET
        else:
            answers = AttendeeInputRequestAnswers.from_dict(_answers)




        def _parse_user_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)



                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        user_id = _parse_user_id(d.pop("userId", UNSET))


        attendee_input_request = cls(
            email=email,
            name=name,
            answers=answers,
            user_id=user_id,
        )


        attendee_input_request.additional_properties = d
        return attendee_input_request

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
