from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.inbound_event_status_enum import InboundEventStatusEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="InboundEvent")



@_attrs_define
class InboundEvent:
    """ 
        Attributes:
            attempts (int):
            channel (str): The listener it came to (IPN, webhook).
            deliveries (int): How many times the vendor sent it.
            error (str):
            event_type (str):
            id (UUID):
            processed_at (datetime.datetime | None):
            received_at (datetime.datetime):
            status (InboundEventStatusEnum): * `received` - Received
                * `processed` - Processed
                * `ignored` - Ignored (no action for this type)
                * `failed` - Failed (retried by the sweep)
            vendor_event_id (str):
     """

    attempts: int
    channel: str
    deliveries: int
    error: str
    event_type: str
    id: UUID
    processed_at: datetime.datetime | None
    received_at: datetime.datetime
    status: InboundEventStatusEnum
    vendor_event_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        channel = self.channel

        deliveries = self.deliveries

        error = self.error

        event_type = self.event_type

        id = str(self.id)

        processed_at: None | str
        if isinstance(self.processed_at, datetime.datetime):
            processed_at = self.processed_at.isoformat()
        else:
            processed_at = self.processed_at

        received_at = self.received_at.isoformat()

        status = self.status.value

        vendor_event_id = self.vendor_event_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "channel": channel,
            "deliveries": deliveries,
            "error": error,
            "eventType": event_type,
            "id": id,
            "processedAt": processed_at,
            "receivedAt": received_at,
            "status": status,
            "vendorEventId": vendor_event_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        channel = d.pop("channel")

        deliveries = d.pop("deliveries")

        error = d.pop("error")

        event_type = d.pop("eventType")

        id = UUID(d.pop("id"))




        def _parse_processed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                processed_at_type_0 = datetime.datetime.fromisoformat(data)



                return processed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        processed_at = _parse_processed_at(d.pop("processedAt"))


        received_at = datetime.datetime.fromisoformat(d.pop("receivedAt"))




        status = InboundEventStatusEnum(d.pop("status"))




        vendor_event_id = d.pop("vendorEventId")

        inbound_event = cls(
            attempts=attempts,
            channel=channel,
            deliveries=deliveries,
            error=error,
            event_type=event_type,
            id=id,
            processed_at=processed_at,
            received_at=received_at,
            status=status,
            vendor_event_id=vendor_event_id,
        )


        inbound_event.additional_properties = d
        return inbound_event

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
