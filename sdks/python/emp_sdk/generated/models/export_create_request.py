from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.export_type_enum import ExportTypeEnum
from ..models.format_enum import FormatEnum
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.export_filters_request import ExportFiltersRequest





T = TypeVar("T", bound="ExportCreateRequest")



@_attrs_define
class ExportCreateRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            format_ (FormatEnum): * `csv` - csv
                * `jsonl` - jsonl
                * `xlsx` - xlsx
                * `xml` - xml
            type_ (ExportTypeEnum): * `attendees` - attendees
                * `audit` - audit
                * `checkins` - checkins
                * `feedback` - feedback
                * `invoices` - invoices
                * `payments` - payments
                * `registrations` - registrations
                * `sessions` - sessions
            filters (ExportFiltersRequest | Unset): Base for request bodies: plain fields, strict about unknown keys, never
                saves.
     """

    format_: FormatEnum
    type_: ExportTypeEnum
    filters: ExportFiltersRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.export_filters_request import ExportFiltersRequest # noqa: PLC0415
        format_ = self.format_.value

        type_ = self.type_.value

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "format": format_,
            "type": type_,
        })
        if filters is not UNSET:
            field_dict["filters"] = filters

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.export_filters_request import ExportFiltersRequest # noqa: PLC0415
        d = dict(src_dict)
        format_ = FormatEnum(d.pop("format"))




        type_ = ExportTypeEnum(d.pop("type"))




        _filters = d.pop("filters", UNSET)
        filters: ExportFiltersRequest | Unset
        if isinstance(_filters,  Unset):
            filters = UNSET
        else:
            filters = ExportFiltersRequest.from_dict(_filters)




        export_create_request = cls(
            format_=format_,
            type_=type_,
            filters=filters,
        )


        export_create_request.additional_properties = d
        return export_create_request

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
