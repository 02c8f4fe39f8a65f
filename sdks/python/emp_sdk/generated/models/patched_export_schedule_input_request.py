from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.destination_enum import DestinationEnum
from ..models.export_type_enum import ExportTypeEnum
from ..models.format_enum import FormatEnum
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.export_filters_request import ExportFiltersRequest





T = TypeVar("T", bound="PatchedExportScheduleInputRequest")



@_attrs_define
class PatchedExportScheduleInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            connection_id (None | Unset | UUID): A file-transfer (SFTP) connection.
            cron (str | Unset): Five fields: minute hour day-of-month month day-of-week.
            destination (DestinationEnum | Unset): * `email` - Email a download link
                * `sftp` - Upload to an SFTP server
                * `https` - POST to an HTTPS endpoint
            enabled (bool | Unset):
            filters (ExportFiltersRequest | Unset): Base for request bodies: plain fields, strict about unknown keys, never
                saves.
            format_ (FormatEnum | Unset): * `csv` - csv
                * `jsonl` - jsonl
                * `xlsx` - xlsx
                * `xml` - xml
            name (str | Unset):
            recipients (list[str] | Unset):
            rrule (str | Unset): An RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=6;BYMINUTE=0.
            time_zone (str | Unset): IANA name; the rule is read in it (UTC if absent).
            type_ (ExportTypeEnum | Unset): * `attendees` - attendees
                * `audit` - audit
                * `checkins` - checkins
                * `feedback` - feedback
                * `invoices` - invoices
                * `payments` - payments
                * `registrations` - registrations
                * `sessions` - sessions
            url (str | Unset): The https endpoint the file is POSTed to.
     """

    connection_id: None | Unset | UUID = UNSET
    cron: str | Unset = UNSET
    destination: DestinationEnum | Unset = UNSET
    enabled: bool | Unset = UNSET
    filters: ExportFiltersRequest | Unset = UNSET
    format_: FormatEnum | Unset = UNSET
    name: str | Unset = UNSET
    recipients: list[str] | Unset = UNSET
    rrule: str | Unset = UNSET
    time_zone: str | Unset = UNSET
    type_: ExportTypeEnum | Unset = UNSET
    url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.export_filters_request import ExportFiltersRequest # noqa: PLC0415
        connection_id: None | str | Unset
        if isinstance(self.connection_id, Unset):
            connection_id = UNSET
        elif isinstance(self.connection_id, UUID):
            connection_id = str(self.connection_id)
        else:
            connection_id = self.connection_id

        cron = self.cron

        destination: str | Unset = UNSET
        if not isinstance(self.destination, Unset):
            destination = self.destination.value


        enabled = self.enabled

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value


        name = self.name

        recipients: list[str] | Unset = UNSET
        if not isinstance(self.recipients, Unset):
            recipients = self.recipients



        rrule = self.rrule

        time_zone = self.time_zone

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value


        url: str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if connection_id is not UNSET:
            field_dict["connectionId"] = connection_id
        if cron is not UNSET:
            field_dict["cron"] = cron
        if destination is not UNSET:
            field_dict["destination"] = destination
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if filters is not UNSET:
            field_dict["filters"] = filters
        if format_ is not UNSET:
            field_dict["format"] = format_
        if name is not UNSET:
            field_dict["name"] = name
        if recipients is not UNSET:
            field_dict["recipients"] = recipients
        if rrule is not UNSET:
            field_dict["rrule"] = rrule
        if time_zone is not UNSET:
            field_dict["timeZone"] = time_zone
        if type_ is not UNSET:
            field_dict["type"] = type_
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.export_filters_request import ExportFiltersRequest # noqa: PLC0415
        d = dict(src_dict)
        def _parse_connection_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                connection_id_type_0 = UUID(data)



                return connection_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        connection_id = _parse_connection_id(d.pop("connectionId", UNSET))


        cron = d.pop("cron", UNSET)

        _destination = d.pop("destination", UNSET)
        destination: DestinationEnum | Unset
        if isinstance(_destination,  Unset):
            destination = UNSET
        else:
            destination = DestinationEnum(_destination)




        enabled = d.pop("enabled", UNSET)

        _filters = d.pop("filters", UNSET)
        filters: ExportFiltersRequest | Unset
        if isinstance(_filters,  Unset):
            filters = UNSET
        else:
            filters = ExportFiltersRequest.from_dict(_filters)




        _format_ = d.pop("format", UNSET)
        format_: FormatEnum | Unset
        if isinstance(_format_,  Unset):
            format_ = UNSET
        else:
            format_ = FormatEnum(_format_)




        name = d.pop("name", UNSET)

        recipients = cast(list[str], d.pop("recipients", UNSET))


        rrule = d.pop("rrule", UNSET)

        time_zone = d.pop("timeZone", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: ExportTypeEnum | Unset
        if isinstance(_type_,  Unset):
            type_ = UNSET
        else:
            type_ = ExportTypeEnum(_type_)




        def _parse_url(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))


        patched_export_schedule_input_request = cls(
            connection_id=connection_id,
            cron=cron,
            destination=destination,
            enabled=enabled,
            filters=filters,
            format_=format_,
            name=name,
            recipients=recipients,
            rrule=rrule,
            time_zone=time_zone,
            type_=type_,
            url=url,
        )


        patched_export_schedule_input_request.additional_properties = d
        return patched_export_schedule_input_request

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
