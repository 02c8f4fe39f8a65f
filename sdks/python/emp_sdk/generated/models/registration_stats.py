from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.status_counts import StatusCounts





T = TypeVar("T", bound="RegistrationStats")



@_attrs_define
class RegistrationStats:
    """ 
        Attributes:
            by_status (StatusCounts): Registrations of the event per status (every status present, 0 when none).
            seats_remaining (int | None): null: the event has no capacity limit.
            seats_taken (int):
     """

    by_status: StatusCounts
    seats_remaining: int | None
    seats_taken: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.status_counts import StatusCounts # noqa: PLC0415
        by_status = self.by_status.to_dict()

        seats_remaining: int | None
        seats_remaining = self.seats_remaining

        seats_taken = self.seats_taken


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "byStatus": by_status,
            "seatsRemaining": seats_remaining,
            "seatsTaken": seats_taken,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.status_counts import StatusCounts # noqa: PLC0415
        d = dict(src_dict)
        by_status = StatusCounts.from_dict(d.pop("byStatus"))




        def _parse_seats_remaining(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        seats_remaining = _parse_seats_remaining(d.pop("seatsRemaining"))


        seats_taken = d.pop("seatsTaken")

        registration_stats = cls(
            by_status=by_status,
            seats_remaining=seats_remaining,
            seats_taken=seats_taken,
        )


        registration_stats.additional_properties = d
        return registration_stats

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
