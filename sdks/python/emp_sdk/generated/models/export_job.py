from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.export_job_status_enum import ExportJobStatusEnum
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.export_progress import ExportProgress





T = TypeVar("T", bound="ExportJob")



@_attrs_define
class ExportJob:
    """ 
        Attributes:
            completed_at (datetime.datetime | None):
            created_at (datetime.datetime):
            download_url (None | str): A signed link, valid for `EXPORT_URL_TTL_SECONDS`; null until the file is ready.
            error (str):
            expires_at (datetime.datetime | None):
            file_size (int | None):
            filters (Any):
            format_ (str):
            id (UUID):
            progress (ExportProgress):
            started_at (datetime.datetime | None):
            status (ExportJobStatusEnum): * `queued` - Queued
                * `running` - Running
                * `succeeded` - Succeeded
                * `failed` - Failed
            type_ (str):
     """

    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    download_url: None | str
    error: str
    expires_at: datetime.datetime | None
    file_size: int | None
    filters: Any
    format_: str
    id: UUID
    progress: ExportProgress
    started_at: datetime.datetime | None
    status: ExportJobStatusEnum
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.export_progress import ExportProgress # noqa: PLC0415
        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        created_at = self.created_at.isoformat()

        download_url: None | str
        download_url = self.download_url

        error = self.error

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        file_size: int | None
        file_size = self.file_size

        filters = self.filters

        format_ = self.format_

        id = str(self.id)

        progress = self.progress.to_dict()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        status = self.status.value

        type_ = self.type_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "completedAt": completed_at,
            "createdAt": created_at,
            "downloadUrl": download_url,
            "error": error,
            "expiresAt": expires_at,
            "fileSize": file_size,
            "filters": filters,
            "format": format_,
            "id": id,
            "progress": progress,
            "startedAt": started_at,
            "status": status,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.export_progress import ExportProgress # noqa: PLC0415
        d = dict(src_dict)
        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)



                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completedAt"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_download_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        download_url = _parse_download_url(d.pop("downloadUrl"))


        error = d.pop("error")

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expiresAt"))


        def _parse_file_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        file_size = _parse_file_size(d.pop("fileSize"))


        filters = d.pop("filters")

        format_ = d.pop("format")

        id = UUID(d.pop("id"))




        progress = ExportProgress.from_dict(d.pop("progress"))




        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)



                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("startedAt"))


        status = ExportJobStatusEnum(d.pop("status"))




        type_ = d.pop("type")

        export_job = cls(
            completed_at=completed_at,
            created_at=created_at,
            download_url=download_url,
            error=error,
            expires_at=expires_at,
            file_size=file_size,
            filters=filters,
            format_=format_,
            id=id,
            progress=progress,
            started_at=started_at,
            status=status,
            type_=type_,
        )


        export_job.additional_properties = d
        return export_job

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
