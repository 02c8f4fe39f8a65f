from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.result_enum import ResultEnum
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.attendee_summary import AttendeeSummary
  from ..models.check_in_details import CheckInDetails
  from ..models.ticket_type_ref import TicketTypeRef





T = TypeVar("T", bound="CheckIn")



@_attrs_define
class CheckIn:
    """ A scan as the API (and the ``checkin.completed`` webhook) renders it.

    Built directly (see ADR 0002): bulk check-in renders up to 1,000 of these. The
    ticket code is not part of it, as with registrations.

        Attributes:
            accepted (bool):
            attendee (AttendeeSummary | None): The registration's attendee; null for unknown codes.
            created_at (datetime.datetime):
            details (CheckInDetails): Why a scan was refused: the keys of its ``result`` (empty for ``ok`` and
                ``TICKET_NOT_FOUND``).
            device (str):
            event_id (UUID):
            id (UUID):
            nonce (None | str):
            registration_id (None | UUID):
            result (ResultEnum): * `ok` - Checked in
                * `ALREADY_CHECKED_IN` - Already checked in
                * `TICKET_CANCELLED` - Ticket cancelled
                * `TICKET_NOT_PAID` - Payment pending
                * `TICKET_WAITLISTED` - Waitlisted
                * `TICKET_NOT_FOUND` - Unknown code
                * `WRONG_EVENT` - Ticket for another event
                * `CHECKIN_CLOSED` - Event or session not open for check-in
                * `CHECKIN_NOT_OPEN` - Check-in window not open yet
                * `CHECKIN_WINDOW_CLOSED` - Check-in window over
                * `TICKET_SIGNATURE_INVALID` - Signed ticket not valid
            scanned_by (str):
            session_id (None | UUID):
            ticket_type (None | TicketTypeRef): null for unknown codes.
            undone_at (datetime.datetime | None):
            undone_by (str):
     """

    accepted: bool
    attendee: AttendeeSummary | None
    created_at: datetime.datetime
    details: CheckInDetails
    device: str
    event_id: UUID
    id: UUID
    nonce: None | str
    registration_id: None | UUID
    result: ResultEnum
    scanned_by: str
    session_id: None | UUID
    ticket_type: None | TicketTypeRef
    undone_at: datetime.datetime | None
    undone_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.attendee_summary import AttendeeSummary # noqa: PLC0415
        from ..models.check_in_details import CheckInDetails # noqa: PLC0415
        from ..models.ticket_type_ref import TicketTypeRef # noqa: PLC0415
        accepted = self.accepted

        attendee: dict[str, Any] | None
        if isinstance(self.attendee, AttendeeSummary):
            attendee = self.attendee.to_dict()
        else:
            attendee = self.attendee

        created_at = self.created_at.isoformat()

        details = self.details.to_dict()

        device = self.device

        event_id = str(self.event_id)

        id = str(self.id)

        nonce: None | str
        nonce = self.nonce

        registration_id: None | str
        if isinstance(self.registration_id, UUID):
            registration_id = str(self.registration_id)
        else:
            registration_id = self.registration_id

        result = self.result.value

        scanned_by = self.scanned_by

        session_id: None | str
        if isinstance(self.session_id, UUID):
            session_id = str(self.session_id)
        else:
            session_id = self.session_id

        ticket_type: dict[str, Any] | None
        if isinstance(self.ticket_type, TicketTypeRef):
            ticket_type = self.ticket_type.to_dict()
        else:
            ticket_type = self.ticket_type

        undone_at: None | str
        if isinstance(self.undone_at, datetime.datetime):
            undone_at = self.undone_at.isoformat()
        else:
            undone_at = self.undone_at

        undone_by = self.undone_by


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "accepted": accepted,
            "attendee": attendee,
            "createdAt": created_at,
            "details": details,
            "device": device,
            "eventId": event_id,
            "id": id,
            "nonce": nonce,
            "registrationId": registration_id,
            "result": result,
            "scannedBy": scanned_by,
            "sessionId": session_id,
            "ticketType": ticket_type,
            "undoneAt": undone_at,
            "undoneBy": undone_by,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attendee_summary import AttendeeSummary # noqa: PLC0415
        from ..models.check_in_details import CheckInDetails # noqa: PLC0415
        from ..models.ticket_type_ref import TicketTypeRef # noqa: PLC0415
        d = dict(src_dict)
        accepted = d.pop("accepted")

        def _parse_attendee(data: object) -> AttendeeSummary | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attendee_type_0 = AttendeeSummary.from_dict(data)



                return attendee_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttendeeSummary | None, data)

        attendee = _parse_attendee(d.pop("attendee"))


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        details = CheckInDetails.from_dict(d.pop("details"))




        device = d.pop("device")

        event_id = UUID(d.pop("eventId"))




        id = UUID(d.pop("id"))




        def _parse_nonce(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        nonce = _parse_nonce(d.pop("nonce"))


        def _parse_registration_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                registration_id_type_0 = UUID(data)



                return registration_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        registration_id = _parse_registration_id(d.pop("registrationId"))


        result = ResultEnum(d.pop("result"))




        scanned_by = d.pop("scannedBy")

        def _parse_session_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                session_id_type_0 = UUID(data)



                return session_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        session_id = _parse_session_id(d.pop("sessionId"))


        def _parse_ticket_type(data: object) -> None | TicketTypeRef:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ticket_type_type_0 = TicketTypeRef.from_dict(data)



                return ticket_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TicketTypeRef, data)

        ticket_type = _parse_ticket_type(d.pop("ticketType"))


        def _parse_undone_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                undone_at_type_0 = datetime.datetime.fromisoformat(data)



                return undone_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        undone_at = _parse_undone_at(d.pop("undoneAt"))


        undone_by = d.pop("undoneBy")

        check_in = cls(
            accepted=accepted,
            attendee=attendee,
            created_at=created_at,
            details=details,
            device=device,
            event_id=event_id,
            id=id,
            nonce=nonce,
            registration_id=registration_id,
            result=result,
            scanned_by=scanned_by,
            session_id=session_id,
            ticket_type=ticket_type,
            undone_at=undone_at,
            undone_by=undone_by,
        )


        check_in.additional_properties = d
        return check_in

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
