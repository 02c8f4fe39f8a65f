from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.import_kind_enum import ImportKindEnum
from ..models.import_status_enum import ImportStatusEnum
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.import_job_detail_outcomes import ImportJobDetailOutcomes
  from ..models.import_progress import ImportProgress
  from ..models.import_row_error import ImportRowError





T = TypeVar("T", bound="ImportJobDetail")



@_attrs_define
class ImportJobDetail:
    """ An import with its dry run's report: every error of every row.

        Attributes:
            completed_at (datetime.datetime | None):
            created_at (datetime.datetime):
            error (str):
            event_id (UUID):
            file_name (str):
            file_size (int):
            id (UUID):
            kind (ImportKindEnum): * `registrations` - New registrations
                * `attendees` - Attendee details of registrations
            outcomes (ImportJobDetailOutcomes): Rows per outcome once the run started: confirmed, pending_payment,
                waitlisted, updated, failed, skipped.
            progress (ImportProgress):
            result_url (None | str): The result file (CSV, a line per row), a signed link; null until done.
            row_errors (list[ImportRowError]):
            rows_invalid (int):
            rows_total (int):
            started_at (datetime.datetime | None):
            status (ImportStatusEnum): * `validated` - Checked, no errors
                * `invalid` - Checked, with errors
                * `queued` - Queued
                * `running` - Running
                * `succeeded` - Succeeded
                * `failed` - Failed
            updated_at (datetime.datetime):
     """

    completed_at: datetime.datetime | None
    created_at: datetime.datetime
    error: str
    event_id: UUID
    file_name: str
    file_size: int
    id: UUID
    kind: ImportKindEnum
    outcomes: ImportJobDetailOutcomes
    progress: ImportProgress
    result_url: None | str
    row_errors: list[ImportRowError]
    rows_invalid: int
    rows_total: int
    started_at: datetime.datetime | None
    status: ImportStatusEnum
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.import_job_detail_outcomes import ImportJobDetailOutcomes # noqa: PLC0415
        from ..models.import_progress import ImportProgress # noqa: PLC0415
        from ..models.import_row_error import ImportRowError # noqa: PLC0415
        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        created_at = self.created_at.isoformat()

        error = self.error

        event_id = str(self.event_id)

        file_name = self.file_name

        file_size = self.file_size

        id = str(self.id)

        kind = self.kind.value

        outcomes = self.outcomes.to_dict()

        progress = self.progress.to_dict()

        result_url: None | str
        result_url = self.result_url

        row_errors = []
        for row_errors_item_data in self.row_errors:
            row_errors_item = row_errors_item_data.to_dict()
            row_errors.append(row_errors_item)



        rows_invalid = self.rows_invalid

        rows_total = self.rows_total

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        status = self.status.value

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "completedAt": completed_at,
            "createdAt": created_at,
            "error": error,
            "eventId": event_id,
            "fileName": file_name,
            "fileSize": file_size,
            "id": id,
            "kind": kind,
            "outcomes": outcomes,
            "progress": progress,
            "resultUrl": result_url,
            "rowErrors": row_errors,
            "rowsInvalid": rows_invalid,
            "rowsTotal": rows_total,
            "startedAt": started_at,
            "status": status,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.import_job_detail_outcomes import ImportJobDetailOutcomes # noqa: PLC0415
        from ..models.import_progress import ImportProgress # noqa: PLC0415
        from ..models.import_row_error import ImportRowError # noqa: PLC0415
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




        error = d.pop("error")

        event_id = UUID(d.pop("eventId"))




        file_name = d.pop("fileName")

        file_size = d.pop("fileSize")

        id = UUID(d.pop("id"))




        kind = ImportKindEnum(d.pop("kind"))




        outcomes = ImportJobDetailOutcomes.from_dict(d.pop("outcomes"))




        progress = ImportProgress.from_dict(d.pop("progress"))




        def _parse_result_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        result_url = _parse_result_url(d.pop("resultUrl"))


        row_errors = []
        _row_errors = d.pop("rowErrors")
        for row_errors_item_data in (_row_errors):
            row_errors_item = ImportRowError.from_dict(row_errors_item_data)



            row_errors.append(row_errors_item)


        rows_invalid = d.pop("rowsInvalid")

        rows_total = d.pop("rowsTotal")

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


        status = ImportStatusEnum(d.pop("status"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        import_job_detail = cls(
            completed_at=completed_at,
            created_at=created_at,
            error=error,
            event_id=event_id,
            file_name=file_name,
            file_size=file_size,
            id=id,
            kind=kind,
            outcomes=outcomes,
            progress=progress,
            result_url=result_url,
            row_errors=row_errors,
            rows_invalid=rows_invalid,
            rows_total=rows_total,
            started_at=started_at,
            status=status,
            updated_at=updated_at,
        )


        import_job_detail.additional_properties = d
        return import_job_detail

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
