from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Refund")



@_attrs_define
class Refund:
    """ 
        Attributes:
            amount (str):
            created_at (datetime.datetime):
            created_by (str):
            failure_reason (str):
            id (UUID):
            provider_reference (str):
            reason (str):
            status (WebhookDeliveryStatusEnum): * `pending` - Pending
                * `succeeded` - Succeeded
                * `failed` - Failed
     """

    amount: str
    created_at: datetime.datetime
    created_by: str
    failure_reason: str
    id: UUID
    provider_reference: str
    reason: str
    status: WebhookDeliveryStatusEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        failure_reason = self.failure_reason

        id = str(self.id)

        provider_reference = self.provider_reference

        reason = self.reason

        status = self.status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "createdAt": created_at,
            "createdBy": created_by,
            "failureReason": failure_reason,
            "id": id,
            "providerReference": provider_reference,
            "reason": reason,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        created_by = d.pop("createdBy")

        failure_reason = d.pop("failureReason")

        id = UUID(d.pop("id"))




        provider_reference = d.pop("providerReference")

        reason = d.pop("reason")

        status = WebhookDeliveryStatusEnum(d.pop("status"))




        refund = cls(
            amount=amount,
            created_at=created_at,
            created_by=created_by,
            failure_reason=failure_reason,
            id=id,
            provider_reference=provider_reference,
            reason=reason,
            status=status,
        )


        refund.additional_properties = d
        return refund

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
