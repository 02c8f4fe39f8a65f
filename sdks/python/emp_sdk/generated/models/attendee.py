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
  from ..models.attendee_ticket_type import AttendeeTicketType





T = TypeVar("T", bound="Attendee")



@_attrs_define
class Attendee:
    """ 
        Attributes:
            answers (Any):
            attendee_email (str):
            attendee_name (str):
            confirmed_at (datetime.datetime | None):
            id (UUID):
            ticket_type (AttendeeTicketType):
     """

    answers: Any
    attendee_email: str
    attendee_name: str
    confirmed_at: datetime.datetime | None
    id: UUID
    ticket_type: AttendeeTicketType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attendee_ticket_type import AttendeeTicketType # noqa: PLC0415
        answers = self.answers

        attendee_email = self.attendee_email

        attendee_name = self.attendee_name

        confirmed_at: None | str
        if isinstance(self.confirmed_at, datetime.datetime):
            confirmed_at = self.confirmed_at.isoformat()
        else:
            confirmed_at = self.confirmed_at

        id = str(self.id)

        ticket_type = self.ticket_type.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "answers": answers,
            "attendeeEmail": attendee_email,
            "attendeeName": attendee_name,
            "confirmedAt": confirmed_at,
            "id": id,
            "ticketType": ticket_type,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attendee_ticket_type import AttendeeTicketType # noqa: PLC0415
        d = dict(src_dict)
        answers = d.pop("answers")

        attendee_email = d.pop("attendeeEmail")

        attendee_name = d.pop("attendeeName")

        def _parse_confirmed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                confirmed_at_type_0 = datetime.datetime.fromisoformat(data)



                return confirmed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        confirmed_at = _parse_confirmed_at(d.pop("confirmedAt"))


        id = UUID(d.pop("id"))




        ticket_type = AttendeeTicketType.from_dict(d.pop("ticketType"))




        attendee = cls(
            answers=answers,
            attendee_email=attendee_email,
            attendee_name=attendee_name,
            confirmed_at=confirmed_at,
            id=id,
            ticket_type=ticket_type,
        )


        attendee.additional_properties = d
        return attendee

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
