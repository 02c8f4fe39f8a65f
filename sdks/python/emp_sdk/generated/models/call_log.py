from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.outcome_enum import OutcomeEnum
from typing import cast
import datetime






T = TypeVar("T", bound="CallLog")



@_attrs_define
class CallLog:
    """ 
        Attributes:
            attempt (int):
            created_at (datetime.datetime):
            duration_ms (int):
            error (str):
            id (int):
            idempotency_key (str):
            method (str):
            operation (str):
            outcome (OutcomeEnum): * `ok` - Succeeded
                * `rejected` - Refused by the vendor
                * `error` - Vendor error (retried)
                * `timeout` - Timed out or unreachable (retried)
                * `circuit_open` - Not attempted: circuit open
            path (str):
            status_code (int | None):
            vendor_request_id (str):
     """

    attempt: int
    created_at: datetime.datetime
    duration_ms: int
    error: str
    id: int
    idempotency_key: str
    method: str
    operation: str
    outcome: OutcomeEnum
    path: str
    status_code: int | None
    vendor_request_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        created_at = self.created_at.isoformat()

        duration_ms = self.duration_ms

        error = self.error

        id = self.id

        idempotency_key = self.idempotency_key

        method = self.method

        operation = self.operation

        outcome = self.outcome.value

        path = self.path

        status_code: int | None
        status_code = self.status_code

        vendor_request_id = self.vendor_request_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempt": attempt,
            "createdAt": created_at,
            "durationMs": duration_ms,
            "error": error,
            "id": id,
            "idempotencyKey": idempotency_key,
            "method": method,
            "operation": operation,
            "outcome": outcome,
            "path": path,
            "statusCode": status_code,
            "vendorRequestId": vendor_request_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempt = d.pop("attempt")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        duration_ms = d.pop("durationMs")

        error = d.pop("error")

        id = d.pop("id")

        idempotency_key = d.pop("idempotencyKey")

        method = d.pop("method")

        operation = d.pop("operation")

        outcome = OutcomeEnum(d.pop("outcome"))




        path = d.pop("path")

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("statusCode"))


        vendor_request_id = d.pop("vendorRequestId")

        call_log = cls(
            attempt=attempt,
            created_at=created_at,
            duration_ms=duration_ms,
            error=error,
            id=id,
            idempotency_key=idempotency_key,
            method=method,
            operation=operation,
            outcome=outcome,
            path=path,
            status_code=status_code,
            vendor_request_id=vendor_request_id,
        )


        call_log.additional_properties = d
        return call_log

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
