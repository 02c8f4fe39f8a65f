from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.email_message_status_enum import EmailMessageStatusEnum
from ..models.email_message_type_enum import EmailMessageTypeEnum
from uuid import UUID






T = TypeVar("T", bound="EmailMessage")



@_attrs_define
class EmailMessage:
    """ 
        Attributes:
            id (UUID):
            recipient (str):
            status (EmailMessageStatusEnum): * `queued` - Queued
                * `sent` - Accepted by the vendor
                * `delivered` - Delivered
                * `deferred` - Deferred by the receiving server
                * `bounced` - Bounced
                * `dropped` - Dropped by the vendor
                * `spamreport` - Reported as spam
                * `suppressed` - Not sent: the address is suppressed
                * `failed` - Failed (gave up)
            type_ (EmailMessageTypeEnum): * `registration_confirmation` - Registration confirmation
                * `payment_receipt` - Payment receipt
                * `reminder` - Event reminder
                * `event_update` - Event update
                * `checkin_instructions` - Check-in instructions
                * `survey` - Post-event survey
                * `certificate` - Certificate of attendance
                * `other` - Other
            vendor (str):
            vendor_message_id (str):
     """

    id: UUID
    recipient: str
    status: EmailMessageStatusEnum
    type_: EmailMessageTypeEnum
    vendor: str
    vendor_message_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        recipient = self.recipient

        status = self.status.value

        type_ = self.type_.value

        vendor = self.vendor

        vendor_message_id = self.vendor_message_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "recipient": recipient,
            "status": status,
            "type": type_,
            "vendor": vendor,
            "vendorMessageId": vendor_message_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        recipient = d.pop("recipient")

        status = EmailMessageStatusEnum(d.pop("status"))




        type_ = EmailMessageTypeEnum(d.pop("type"))




        vendor = d.pop("vendor")

        vendor_message_id = d.pop("vendorMessageId")

        email_message = cls(
            id=id,
            recipient=recipient,
            status=status,
            type_=type_,
            vendor=vendor,
            vendor_message_id=vendor_message_id,
        )


        email_message.additional_properties = d
        return email_message

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
