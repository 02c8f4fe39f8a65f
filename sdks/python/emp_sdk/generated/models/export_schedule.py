from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.destination_enum import DestinationEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ExportSchedule")



@_attrs_define
class ExportSchedule:
    """ 
        Attributes:
            connection_id (None | UUID):
            created_at (datetime.datetime):
            created_by (str):
            cron (str):
            destination (DestinationEnum): * `email` - Email a download link
                * `sftp` - Upload to an SFTP server
                * `https` - POST to an HTTPS endpoint
            enabled (bool):
            filters (Any):
            format_ (str):
            id (UUID):
            last_run_at (datetime.datetime | None):
            name (str):
            next_run_at (datetime.datetime | None):
            recipients (list[str]):
            rrule (str):
            time_zone (str):
            type_ (str):
            updated_at (datetime.datetime):
            url (None | str): The https endpoint the file is POSTed to.
     """

    connection_id: None | UUID
    created_at: datetime.datetime
    created_by: str
    cron: str
    destination: DestinationEnum
    enabled: bool
    filters: Any
    format_: str
    id: UUID
    last_run_at: datetime.datetime | None
    name: str
    next_run_at: datetime.datetime | None
    recipients: list[str]
    rrule: str
    time_zone: str
    type_: str
    updated_at: datetime.datetime
    url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        connection_id: None | str
        if isinstance(self.connection_id, UUID):
            connection_id = str(self.connection_id)
        else:
            connection_id = self.connection_id

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        cron = self.cron

        destination = self.destination.value

        enabled = self.enabled

        filters = self.filters

        format_ = self.format_

        id = str(self.id)

        last_run_at: None | str
        if isinstance(self.last_run_at, datetime.datetime):
            last_run_at = self.last_run_at.isoformat()
        else:
            last_run_at = self.last_run_at

        name = self.name

        next_run_at: None | str
        if isinstance(self.next_run_at, datetime.datetime):
            next_run_at = self.next_run_at.isoformat()
        else:
            next_run_at = self.next_run_at

        recipients = self.recipients



        rrule = self.rrule

        time_zone = self.time_zone

        type_ = self.type_

        updated_at = self.updated_at.isoformat()

        url: None | str
        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "connectionId": connection_id,
            "createdAt": created_at,
            "createdBy": created_by,
            "cron": cron,
            "destination": destination,
            "enabled": enabled,
            "filters": filters,
            "format": format_,
            "id": id,
            "lastRunAt": last_run_at,
            "name": name,
            "nextRunAt": next_run_at,
            "recipients": recipients,
            "rrule": rrule,
            "timeZone": time_zone,
            "type": type_,
            "updatedAt": updated_at,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_connection_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                connection_id_type_0 = UUID(data)



                return connection_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        connection_id = _parse_connection_id(d.pop("connectionId"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        created_by = d.pop("createdBy")

        cron = d.pop("cron")

        destination = DestinationEnum(d.pop("destination"))




        enabled = d.pop("enabled")

        filters = d.pop("filters")

        format_ = d.pop("format")

        id = UUID(d.pop("id"))




        def _parse_last_run_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_run_at = _parse_last_run_at(d.pop("lastRunAt"))


        name = d.pop("name")

        def _parse_next_run_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_run_at_type_0 = datetime.datetime.fromisoformat(data)



                return next_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_run_at = _parse_next_run_at(d.pop("nextRunAt"))


        recipients = cast(list[str], d.pop("recipients"))


        rrule = d.pop("rrule")

        time_zone = d.pop("timeZone")

        type_ = d.pop("type")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))


        export_schedule = cls(
            connection_id=connection_id,
            created_at=created_at,
            created_by=created_by,
            cron=cron,
            destination=destination,
            enabled=enabled,
            filters=filters,
            format_=format_,
            id=id,
            last_run_at=last_run_at,
            name=name,
            next_run_at=next_run_at,
            recipients=recipients,
            rrule=rrule,
            time_zone=time_zone,
            type_=type_,
            updated_at=updated_at,
            url=url,
        )


        export_schedule.additional_properties = d
        return export_schedule

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
