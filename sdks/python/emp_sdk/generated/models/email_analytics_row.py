from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.email_message_type_enum import EmailMessageTypeEnum






T = TypeVar("T", bound="EmailAnalyticsRow")



@_attrs_define
class EmailAnalyticsRow:
    """ 
        Attributes:
            bounced (int):
            clicked (int): Messages with at least one click.
            delivered (int):
            failed (int):
            opened (int): Messages opened at least once.
            sent (int): Accepted by the email vendor (or the local backend).
            suppressed (int): Not sent: the address is on the suppression list.
            total (int):
            type_ (EmailMessageTypeEnum): * `registration_confirmation` - Registration confirmation
                * `payment_receipt` - Payment receipt
                * `reminder` - Event reminder
                * `event_update` - Event update
                * `checkin_instructions` - Check-in instructions
                * `survey` - Post-event survey
                * `certificate` - Certificate of attendance
                * `other` - Other
     """

    bounced: int
    clicked: int
    delivered: int
    failed: int
    opened: int
    sent: int
    suppressed: int
    total: int
    type_: EmailMessageTypeEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        bounced = self.bounced

        clicked = self.clicked

        delivered = self.delivered

        failed = self.failed

        opened = self.opened

        sent = self.sent

        suppressed = self.suppressed

        total = self.total

        type_ = self.type_.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "bounced": bounced,
            "clicked": clicked,
            "delivered": delivered,
            "failed": failed,
            "opened": opened,
            "sent": sent,
            "suppressed": suppressed,
            "total": total,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bounced = d.pop("bounced")

        clicked = d.pop("clicked")

        delivered = d.pop("delivered")

        failed = d.pop("failed")

        opened = d.pop("opened")

        sent = d.pop("sent")

        suppressed = d.pop("suppressed")

        total = d.pop("total")

        type_ = EmailMessageTypeEnum(d.pop("type"))




        email_analytics_row = cls(
            bounced=bounced,
            clicked=clicked,
            delivered=delivered,
            failed=failed,
            opened=opened,
            sent=sent,
            suppressed=suppressed,
            total=total,
            type_=type_,
        )


        email_analytics_row.additional_properties = d
        return email_analytics_row

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
