from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.attendee_input_request import AttendeeInputRequest





T = TypeVar("T", bound="RegistrationCreateRequest")



@_attrs_define
class RegistrationCreateRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            attendees (list[AttendeeInputRequest]):
            event_id (UUID):
            ticket_type_id (UUID):
     """

    attendees: list[AttendeeInputRequest]
    event_id: UUID
    ticket_type_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attendee_input_request import AttendeeInputRequest # noqa: PLC0415
        attendees = []
        for attendees_item_data in self.attendees:
            attendees_item = attendees_item_data.to_dict()
            attendees.append(attendees_item)



        event_id = str(self.event_id)

        ticket_type_id = str(self.ticket_type_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attendees": attendees,
            "eventId": event_id,
            "ticketTypeId": ticket_type_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attendee_input_request import AttendeeInputRequest # noqa: PLC0415
        d = dict(src_dict)
        attendees = []
        _attendees = d.pop("attendees")
        for attendees_item_data in (_attendees):
            attendees_item = AttendeeInputRequest.from_dict(attendees_item_data)



            attendees.append(attendees_item)


        event_id = UUID(d.pop("eventId"))




        ticket_type_id = UUID(d.pop("ticketTypeId"))




        registration_create_request = cls(
            attendees=attendees,
            event_id=event_id,
            ticket_type_id=ticket_type_id,
        )


        registration_create_request.additional_properties = d
        return registration_create_request

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
