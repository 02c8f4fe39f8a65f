from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.export_run_status_enum import ExportRunStatusEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ExportRun")



@_attrs_define
class ExportRun:
    """ 
        Attributes:
            attempts (int):
            delivered_to (str):
            error (str):
            finished_at (datetime.datetime | None):
            id (UUID):
            job_id (None | UUID):
            next_attempt_at (datetime.datetime | None):
            rows (int | None):
            scheduled_for (datetime.datetime):
            status (ExportRunStatusEnum): * `pending` - Exporting or delivering (retried until it succeeds or gives up)
                * `succeeded` - Delivered
                * `failed` - Failed (gave up; the owner was told)
     """

    attempts: int
    delivered_to: str
    error: str
    finished_at: datetime.datetime | None
    id: UUID
    job_id: None | UUID
    next_attempt_at: datetime.datetime | None
    rows: int | None
    scheduled_for: datetime.datetime
    status: ExportRunStatusEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        delivered_to = self.delivered_to

        error = self.error

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        id = str(self.id)

        job_id: None | str
        if isinstance(self.job_id, UUID):
            job_id = str(self.job_id)
        else:
            job_id = self.job_id

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        rows: int | None
        rows = self.rows

        scheduled_for = self.scheduled_for.isoformat()

        status = self.status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "deliveredTo": delivered_to,
            "error": error,
            "finishedAt": finished_at,
            "id": id,
            "jobId": job_id,
            "nextAttemptAt": next_attempt_at,
            "rows": rows,
            "scheduledFor": scheduled_for,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        delivered_to = d.pop("deliveredTo")

        error = d.pop("error")

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)



                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finishedAt"))


        id = UUID(d.pop("id"))




        def _parse_job_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                job_id_type_0 = UUID(data)



                return job_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        job_id = _parse_job_id(d.pop("jobId"))


        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)



                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("nextAttemptAt"))


        def _parse_rows(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rows = _parse_rows(d.pop("rows"))


        scheduled_for = datetime.datetime.fromisoformat(d.pop("scheduledFor"))




        status = ExportRunStatusEnum(d.pop("status"))




        export_run = cls(
            attempts=attempts,
            delivered_to=delivered_to,
            error=error,
            finished_at=finished_at,
            id=id,
            job_id=job_id,
            next_attempt_at=next_attempt_at,
            rows=rows,
            scheduled_for=scheduled_for,
            status=status,
        )


        export_run.additional_properties = d
        return export_run

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
