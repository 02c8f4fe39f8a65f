from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.revenue_row import RevenueRow
  from ..models.revenue_total import RevenueTotal





T = TypeVar("T", bound="RevenueReport")



@_attrs_define
class RevenueReport:
    """ 
        Attributes:
            data (list[RevenueRow]):
            group_by (str):
            totals (list[RevenueTotal]):
     """

    data: list[RevenueRow]
    group_by: str
    totals: list[RevenueTotal]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.revenue_row import RevenueRow # noqa: PLC0415
        from ..models.revenue_total import RevenueTotal # noqa: PLC0415
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)



        group_by = self.group_by

        totals = []
        for totals_item_data in self.totals:
            totals_item = totals_item_data.to_dict()
            totals.append(totals_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "data": data,
            "groupBy": group_by,
            "totals": totals,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.revenue_row import RevenueRow # noqa: PLC0415
        from ..models.revenue_total import RevenueTotal # noqa: PLC0415
        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = RevenueRow.from_dict(data_item_data)



            data.append(data_item)


        group_by = d.pop("groupBy")

        totals = []
        _totals = d.pop("totals")
        for totals_item_data in (_totals):
            totals_item = RevenueTotal.from_dict(totals_item_data)



            totals.append(totals_item)


        revenue_report = cls(
            data=data,
            group_by=group_by,
            totals=totals,
        )


        revenue_report.additional_properties = d
        return revenue_report

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
