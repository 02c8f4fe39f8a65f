from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_status_enum import EventStatusEnum
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.check_in_stats import CheckInStats
  from ..models.registration_stats import RegistrationStats
  from ..models.revenue_stats import RevenueStats
  from ..models.session_counts import SessionCounts





T = TypeVar("T", bound="EventStats")



@_attrs_define
class EventStats:
    """ GET /events/{id}/stats: the event's own figures and those the apps registered (``register_provider``).

        Attributes:
            capacity (int | None):
            check_ins (CheckInStats):
            event_id (UUID):
            registrations (RegistrationStats):
            revenue (list[RevenueStats]):
            sessions (SessionCounts):
            speakers (int):
            status (EventStatusEnum): * `draft` - Draft
                * `published` - Published
                * `cancelled` - Cancelled
                * `completed` - Completed
            sub_events (int):
     """

    capacity: int | None
    check_ins: CheckInStats
    event_id: UUID
    registrations: RegistrationStats
    revenue: list[RevenueStats]
    sessions: SessionCounts
    speakers: int
    status: EventStatusEnum
    sub_events: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.check_in_stats import CheckInStats # noqa: PLC0415
        from ..models.registration_stats import RegistrationStats # noqa: PLC0415
        from ..models.revenue_stats import RevenueStats # noqa: PLC0415
        from ..models.session_counts import SessionCounts # noqa: PLC0415
        capacity: int | None
        capacity = self.capacity

        check_ins = self.check_ins.to_dict()

        event_id = str(self.event_id)

        registrations = self.registrations.to_dict()

        revenue = []
        for revenue_item_data in self.revenue:
            revenue_item = revenue_item_data.to_dict()
            revenue.append(revenue_item)



        sessions = self.sessions.to_dict()

        speakers = self.speakers

        status = self.status.value

        sub_events = self.sub_events


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "capacity": capacity,
            "checkIns": check_ins,
            "eventId": event_id,
            "registrations": registrations,
            "revenue": revenue,
            "sessions": sessions,
            "speakers": speakers,
            "status": status,
            "subEvents": sub_events,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.check_in_stats import CheckInStats # noqa: PLC0415
        from ..models.registration_stats import RegistrationStats # noqa: PLC0415
        from ..models.revenue_stats import RevenueStats # noqa: PLC0415
        from ..models.session_counts import SessionCounts # noqa: PLC0415
        d = dict(src_dict)
        def _parse_capacity(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        capacity = _parse_capacity(d.pop("capacity"))


        check_ins = CheckInStats.from_dict(d.pop("checkIns"))




        event_id = UUID(d.pop("eventId"))




        registrations = RegistrationStats.from_dict(d.pop("registrations"))




        revenue = []
        _revenue = d.pop("revenue")
        for revenue_item_data in (_revenue):
            revenue_item = RevenueStats.from_dict(revenue_item_data)



            revenue.append(revenue_item)


        sessions = SessionCounts.from_dict(d.pop("sessions"))




        speakers = d.pop("speakers")

        status = EventStatusEnum(d.pop("status"))




        sub_events = d.pop("subEvents")

        event_stats = cls(
            capacity=capacity,
            check_ins=check_ins,
            event_id=event_id,
            registrations=registrations,
            revenue=revenue,
            sessions=sessions,
            speakers=speakers,
            status=status,
            sub_events=sub_events,
        )


        event_stats.additional_properties = d
        return event_stats

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
