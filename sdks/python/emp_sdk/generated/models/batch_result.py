from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.batch_result_error import BatchResultError
  from ..models.registration import Registration





T = TypeVar("T", bound="BatchResult")



@_attrs_define
class BatchResult:
    """ 
        Attributes:
            index (int):
            status (int):
            error (BatchResultError | Unset): The standard error body's `error` object.
            registration (Registration | Unset):
     """

    index: int
    status: int
    error: BatchResultError | Unset = UNSET
    registration: Registration | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_result_error import BatchResultError # noqa: PLC0415
        from ..models.registration import Registration # noqa: PLC0415
        index = self.index

        status = self.status

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        registration: dict[str, Any] | Unset = UNSET
        if not isinstance(self.registration, Unset):
            registration = self.registration.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "index": index,
            "status": status,
        })
        if error is not UNSET:
            field_dict["error"] = error
        if registration is not UNSET:
            field_dict["registration"] = registration

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_result_error import BatchResultError # noqa: PLC0415
        from ..models.registration import Registration # noqa: PLC0415
        d = dict(src_dict)
        index = d.pop("index")

        status = d.pop("status")

        _error = d.pop("error", UNSET)
        error: BatchResultError | Unset
        if isinstance(_error,  Unset):
            error = UNSET
        else:
            error = BatchResultError.from_dict(_error)




        _registration = d.pop("registration", UNSET)
        registration: Registration | Unset
        if isinstance(_registration,  Unset):
            registration = UNSET
        else:
            registration = Registration.from_dict(_registration)




        batch_result = cls(
            index=index,
            status=status,
            error=error,
            registration=registration,
        )


        batch_result.additional_properties = d
        return batch_result

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
