from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.attendee_summary import AttendeeSummary
  from ..models.ticket_event import TicketEvent





T = TypeVar("T", bound="Certificate")



@_attrs_define
class Certificate:
    """ A certificate of attendance (as JSON; `Accept: application/pdf` gives the document).

        Attributes:
            attended_at (datetime.datetime): When the attendee was checked in at the entrance.
            attendee (AttendeeSummary):
            event (TicketEvent):
            registration_id (UUID):
     """

    attended_at: datetime.datetime
    attendee: AttendeeSummary
    event: TicketEvent
    registration_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attendee_summary import AttendeeSummary # noqa: PLC0415
        from ..models.ticket_event import TicketEvent # noqa: PLC0415
        attended_at = self.attended_at.isoformat()

        attendee = self.attendee.to_dict()

        event = self.event.to_dict()

        registration_id = str(self.registration_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attendedAt": attended_at,
            "attendee": attendee,
            "event": event,
            "registrationId": registration_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attendee_summary import AttendeeSummary # noqa: PLC0415
        from ..models.ticket_event import TicketEvent # noqa: PLC0415
        d = dict(src_dict)
        attended_at = datetime.datetime.fromisoformat(d.pop("attendedAt"))




        attendee = AttendeeSummary.from_dict(d.pop("attendee"))




        event = TicketEvent.from_dict(d.pop("event"))




        registration_id = UUID(d.pop("registrationId"))




        certificate = cls(
            attended_at=attended_at,
            attendee=attendee,
            event=event,
            registration_id=registration_id,
        )


        certificate.additional_properties = d
        return certificate

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
