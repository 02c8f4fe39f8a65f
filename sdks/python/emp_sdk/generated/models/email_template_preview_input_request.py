from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.email_template_type_enum import EmailTemplateTypeEnum






T = TypeVar("T", bound="EmailTemplatePreviewInputRequest")



@_attrs_define
class EmailTemplatePreviewInputRequest:
    """ 
        Attributes:
            html (str):
            subject (str):
            text (str):
            type_ (EmailTemplateTypeEnum): * `registration_confirmation` - registration_confirmation
                * `payment_receipt` - payment_receipt
                * `reminder` - reminder
                * `event_update` - event_update
                * `checkin_instructions` - checkin_instructions
                * `survey` - survey
                * `certificate` - certificate
     """

    html: str
    subject: str
    text: str
    type_: EmailTemplateTypeEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        html = self.html

        subject = self.subject

        text = self.text

        type_ = self.type_.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "html": html,
            "subject": subject,
            "text": text,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        html = d.pop("html")

        subject = d.pop("subject")

        text = d.pop("text")

        type_ = EmailTemplateTypeEnum(d.pop("type"))




        email_template_preview_input_request = cls(
            html=html,
            subject=subject,
            text=text,
            type_=type_,
        )


        email_template_preview_input_request.additional_properties = d
        return email_template_preview_input_request

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
