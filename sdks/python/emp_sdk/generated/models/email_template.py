from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.email_message_type_enum import EmailMessageTypeEnum
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="EmailTemplate")



@_attrs_define
class EmailTemplate:
    """ 
        Attributes:
            created_at (datetime.datetime):
            html (str):
            id (UUID):
            subject (str):
            text (str):
            type_ (EmailMessageTypeEnum): * `registration_confirmation` - Registration confirmation
                * `payment_receipt` - Payment receipt
                * `reminder` - Event reminder
                * `event_update` - Event update
                * `checkin_instructions` - Check-in instructions
                * `survey` - Post-event survey
                * `certificate` - Certificate of attendance
                * `other` - Other
            updated_at (datetime.datetime):
            language (str | Unset):
     """

    created_at: datetime.datetime
    html: str
    id: UUID
    subject: str
    text: str
    type_: EmailMessageTypeEnum
    updated_at: datetime.datetime
    language: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        html = self.html

        id = str(self.id)

        subject = self.subject

        text = self.text

        type_ = self.type_.value

        updated_at = self.updated_at.isoformat()

        language = self.language


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "html": html,
            "id": id,
            "subject": subject,
            "text": text,
            "type": type_,
            "updatedAt": updated_at,
        })
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        html = d.pop("html")

        id = UUID(d.pop("id"))




        subject = d.pop("subject")

        text = d.pop("text")

        type_ = EmailMessageTypeEnum(d.pop("type"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        language = d.pop("language", UNSET)

        email_template = cls(
            created_at=created_at,
            html=html,
            id=id,
            subject=subject,
            text=text,
            type_=type_,
            updated_at=updated_at,
            language=language,
        )


        email_template.additional_properties = d
        return email_template

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
