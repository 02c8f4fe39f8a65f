from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.circuit_state_enum import CircuitStateEnum
from ..models.connection_kind_enum import ConnectionKindEnum
from ..models.connection_status_enum import ConnectionStatusEnum
from ..models.mode_enum import ModeEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Connection")



@_attrs_define
class Connection:
    """ 
        Attributes:
            circuit_opened_at (datetime.datetime | None):
            circuit_state (CircuitStateEnum): * `closed` - Closed (calls go through)
                * `open` - Open (calls refused until the cool-down ends)
                * `half_open` - Half-open (one probe call allowed)
            consecutive_failures (int):
            created_at (datetime.datetime):
            created_by (str):
            credential_fields (list[str]): The names of the credentials stored (their values are never shown).
            disconnected_at (datetime.datetime | None):
            id (UUID):
            inbound_url (None | str): Where the vendor sends its notifications for this connection (set it in the vendor's
                dashboard); null for vendors that send none.
            kind (ConnectionKindEnum): * `payment` - Payments
                * `email` - Email
                * `calendar` - Calendar
                * `video` - Video conferencing
                * `crm` - CRM
                * `social` - Social media
                * `file_transfer` - File transfer
            last_error (str):
            last_error_at (datetime.datetime | None):
            last_success_at (datetime.datetime | None):
            mode (ModeEnum): * `live` - Live
                * `test` - Test
            name (str):
            settings (Any):
            status (ConnectionStatusEnum): * `connected` - Connected
                * `failing` - Failing
                * `disconnected` - Disconnected
            updated_at (datetime.datetime):
            vendor (str):
     """

    circuit_opened_at: datetime.datetime | None
    circuit_state: CircuitStateEnum
    consecutive_failures: int
    created_at: datetime.datetime
    created_by: str
    credential_fields: list[str]
    disconnected_at: datetime.datetime | None
    id: UUID
    inbound_url: None | str
    kind: ConnectionKindEnum
    last_error: str
    last_error_at: datetime.datetime | None
    last_success_at: datetime.datetime | None
    mode: ModeEnum
    name: str
    settings: Any
    status: ConnectionStatusEnum
    updated_at: datetime.datetime
    vendor: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        circuit_opened_at: None | str
        if isinstance(self.circuit_opened_at, datetime.datetime):
            circuit_opened_at = self.circuit_opened_at.isoformat()
        else:
            circuit_opened_at = self.circuit_opened_at

        circuit_state = self.circuit_state.value

        consecutive_failures = self.consecutive_failures

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        credential_fields = self.credential_fields



        disconnected_at: None | str
        if isinstance(self.disconnected_at, datetime.datetime):
            disconnected_at = self.disconnected_at.isoformat()
        else:
            disconnected_at = self.disconnected_at

        id = str(self.id)

        inbound_url: None | str
        inbound_url = self.inbound_url

        kind = self.kind.value

        last_error = self.last_error

        last_error_at: None | str
        if isinstance(self.last_error_at, datetime.datetime):
            last_error_at = self.last_error_at.isoformat()
        else:
            last_error_at = self.last_error_at

        last_success_at: None | str
        if isinstance(self.last_success_at, datetime.datetime):
            last_success_at = self.last_success_at.isoformat()
        else:
            last_success_at = self.last_success_at

        mode = self.mode.value

        name = self.name

        settings = self.settings

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        vendor = self.vendor


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "circuitOpenedAt": circuit_opened_at,
            "circuitState": circuit_state,
            "consecutiveFailures": consecutive_failures,
            "createdAt": created_at,
            "createdBy": created_by,
            "credentialFields": credential_fields,
            "disconnectedAt": disconnected_at,
            "id": id,
            "inboundUrl": inbound_url,
            "kind": kind,
            "lastError": last_error,
            "lastErrorAt": last_error_at,
            "lastSuccessAt": last_success_at,
            "mode": mode,
            "name": name,
            "settings": settings,
            "status": status,
            "updatedAt": updated_at,
            "vendor": vendor,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_circuit_opened_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                circuit_opened_at_type_0 = datetime.datetime.fromisoformat(data)



                return circuit_opened_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        circuit_opened_at = _parse_circuit_opened_at(d.pop("circuitOpenedAt"))


        circuit_state = CircuitStateEnum(d.pop("circuitState"))




        consecutive_failures = d.pop("consecutiveFailures")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        created_by = d.pop("createdBy")

        credential_fields = cast(list[str], d.pop("credentialFields"))


        def _parse_disconnected_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                disconnected_at_type_0 = datetime.datetime.fromisoformat(data)



                return disconnected_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        disconnected_at = _parse_disconnected_at(d.pop("disconnectedAt"))


        id = UUID(d.pop("id"))




        def _parse_inbound_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        inbound_url = _parse_inbound_url(d.pop("inboundUrl"))


        kind = ConnectionKindEnum(d.pop("kind"))




        last_error = d.pop("lastError")

        def _parse_last_error_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_error_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_error_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_error_at = _parse_last_error_at(d.pop("lastErrorAt"))


        def _parse_last_success_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_success_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_success_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_success_at = _parse_last_success_at(d.pop("lastSuccessAt"))


        mode = ModeEnum(d.pop("mode"))




        name = d.pop("name")

        settings = d.pop("settings")

        status = ConnectionStatusEnum(d.pop("status"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        vendor = d.pop("vendor")

        connection = cls(
            circuit_opened_at=circuit_opened_at,
            circuit_state=circuit_state,
            consecutive_failures=consecutive_failures,
            created_at=created_at,
            created_by=created_by,
            credential_fields=credential_fields,
            disconnected_at=disconnected_at,
            id=id,
            inbound_url=inbound_url,
            kind=kind,
            last_error=last_error,
            last_error_at=last_error_at,
            last_success_at=last_success_at,
            mode=mode,
            name=name,
            settings=settings,
            status=status,
            updated_at=updated_at,
            vendor=vendor,
        )


        connection.additional_properties = d
        return connection

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
