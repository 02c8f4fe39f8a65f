from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.check_in import CheckIn
  from ..models.check_in_bulk_result_error_type_0 import CheckInBulkResultErrorType0





T = TypeVar("T", bound="CheckInBulkResult")



@_attrs_define
class CheckInBulkResult:
    """ 
        Attributes:
            check_in (CheckIn): A scan as the API (and the ``checkin.completed`` webhook) renders it.

                Built directly (see ADR 0002): bulk check-in renders up to 1,000 of these. The
                ticket code is not part of it, as with registrations.
            code (str): The code as sent.
            error (CheckInBulkResultErrorType0 | None): The standard error body's `error` object; null when checked in.
            index (int):
            status (int): 201 when checked in, else the status of the error.
     """

    check_in: CheckIn
    code: str
    error: CheckInBulkResultErrorType0 | None
    index: int
    status: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.check_in import CheckIn # noqa: PLC0415
        from ..models.check_in_bulk_result_error_type_0 import CheckInBulkResultErrorType0 # noqa: PLC0415
        check_in = self.check_in.to_dict()

        code = self.code

        error: dict[str, Any] | None
        if isinstance(self.error, CheckInBulkResultErrorType0):
            error = self.error.to_dict()
        else:
            error = self.error

        index = self.index

        status = self.status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "checkIn": check_in,
            "code": code,
            "error": error,
            "index": index,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.check_in import CheckIn # noqa: PLC0415
        from ..models.check_in_bulk_result_error_type_0 import CheckInBulkResultErrorType0 # noqa: PLC0415
        d = dict(src_dict)
        check_in = CheckIn.from_dict(d.pop("checkIn"))




        code = d.pop("code")

        def _parse_error(data: object) -> CheckInBulkResultErrorType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = CheckInBulkResultErrorType0.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CheckInBulkResultErrorType0 | None, data)

        error = _parse_error(d.pop("error"))


        index = d.pop("index")

        status = d.pop("status")

        check_in_bulk_result = cls(
            check_in=check_in,
            code=code,
            error=error,
            index=index,
            status=status,
        )


        check_in_bulk_result.additional_properties = d
        return check_in_bulk_result

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
