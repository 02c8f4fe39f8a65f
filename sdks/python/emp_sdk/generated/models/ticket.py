from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.registration_status_enum import RegistrationStatusEnum
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.attendee_summary import AttendeeSummary
  from ..models.ticket_event import TicketEvent
  from ..models.ticket_type_ref import TicketTypeRef





T = TypeVar("T", bound="Ticket")



@_attrs_define
class Ticket:
    """ What a ticket shows (and what a wallet pass or PDF is made of).

        Attributes:
            attendee (AttendeeSummary):
            code (str):
            event (TicketEvent):
            qr_payload (str): What the ticket's QR code carries: the code and event signed with the organization's Ed25519
                key (`EPT1.<keyId>.<payload>.<signature>`), verifiable offline with `GET /api/v1/ticket-keys`; check-in accepts
                it.
            registration_id (UUID):
            status (RegistrationStatusEnum): * `pending_payment` - Pending payment
                * `confirmed` - Confirmed
                * `cancelled` - Cancelled
                * `waitlisted` - Waitlisted
            ticket_type (TicketTypeRef):
     """

    attendee: AttendeeSummary
    code: str
    event: TicketEvent
    qr_payload: str
    registration_id: UUID
    status: RegistrationStatusEnum
    ticket_type: TicketTypeRef
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attendee_summary import AttendeeSummary # noqa: PLC0415
        from ..models.ticket_event import TicketEvent # noqa: PLC0415
        from ..models.ticket_type_ref import TicketTypeRef # noqa: PLC0415
        attendee = self.attendee.to_dict()

        code = self.code

        event = self.event.to_dict()

        qr_payload = self.qr_payload

        registration_id = str(self.registration_id)

        status = self.status.value

        ticket_type = self.ticket_type.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attendee": attendee,
            "code": code,
            "event": event,
            "qrPayload": qr_payload,
            "registrationId": registration_id,
            "status": status,
            "ticketType": ticket_type,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attendee_summary import AttendeeSummary # noqa: PLC0415
        from ..models.ticket_event import TicketEvent # noqa: PLC0415
        from ..models.ticket_type_ref import TicketTypeRef # noqa: PLC0415
        d = dict(src_dict)
        attendee = AttendeeSummary.from_dict(d.pop("attendee"))




        code = d.pop("code")

        event = TicketEvent.from_dict(d.pop("event"))




        qr_payload = d.pop("qrPayload")

        registration_id = UUID(d.pop("registrationId"))




        status = RegistrationStatusEnum(d.pop("status"))




        ticket_type = TicketTypeRef.from_dict(d.pop("ticketType"))




        ticket = cls(
            attendee=attendee,
            code=code,
            event=event,
            qr_payload=qr_payload,
            registration_id=registration_id,
            status=status,
            ticket_type=ticket_type,
        )


        ticket.additional_properties = d
        return ticket

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
