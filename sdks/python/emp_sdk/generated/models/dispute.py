from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.dispute_status_enum import DisputeStatusEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Dispute")



@_attrs_define
class Dispute:
    """ 
        Attributes:
            amount (str):
            closed_at (datetime.datetime | None):
            created_at (datetime.datetime):
            id (UUID):
            outcome (str):
            provider_reference (str):
            reason (str):
            status (DisputeStatusEnum): * `open` - Open
                * `won` - Won
                * `lost` - Lost
            vendor_status (str):
     """

    amount: str
    closed_at: datetime.datetime | None
    created_at: datetime.datetime
    id: UUID
    outcome: str
    provider_reference: str
    reason: str
    status: DisputeStatusEnum
    vendor_status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        created_at = self.created_at.isoformat()

        id = str(self.id)

        outcome = self.outcome

        provider_reference = self.provider_reference

        reason = self.reason

        status = self.status.value

        vendor_status = self.vendor_status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "closedAt": closed_at,
            "createdAt": created_at,
            "id": id,
            "outcome": outcome,
            "providerReference": provider_reference,
            "reason": reason,
            "status": status,
            "vendorStatus": vendor_status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)



                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closedAt"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = UUID(d.pop("id"))




        outcome = d.pop("outcome")

        provider_reference = d.pop("providerReference")

        reason = d.pop("reason")

        status = DisputeStatusEnum(d.pop("status"))




        vendor_status = d.pop("vendorStatus")

        dispute = cls(
            amount=amount,
            closed_at=closed_at,
            created_at=created_at,
            id=id,
            outcome=outcome,
            provider_reference=provider_reference,
            reason=reason,
            status=status,
            vendor_status=vendor_status,
        )


        dispute.additional_properties = d
        return dispute

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
