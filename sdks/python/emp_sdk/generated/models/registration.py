from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.registration_status_enum import RegistrationStatusEnum
from ..models.source_enum import SourceEnum
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.ticket_type_summary import TicketTypeSummary





T = TypeVar("T", bound="Registration")



@_attrs_define
class Registration:
    """ 
        Attributes:
            answers (Any):
            attendee_email (str):
            attendee_name (str):
            cancellation_reason (str):
            cancelled_at (datetime.datetime | None):
            confirmed_at (datetime.datetime | None):
            created_at (datetime.datetime):
            created_by (str): The actor who created it (audit label).
            event_id (UUID):
            expires_at (datetime.datetime | None): When a pending payment gives up its seat.
            id (UUID):
            order_id (UUID):
            source (SourceEnum): * `user` - User
                * `api_client` - API client
                * `batch` - Batch
            status (RegistrationStatusEnum): * `pending_payment` - Pending payment
                * `confirmed` - Confirmed
                * `cancelled` - Cancelled
                * `waitlisted` - Waitlisted
            ticket_type (TicketTypeSummary):
            updated_at (datetime.datetime):
            user_id (None | UUID):
            waitlist_position (int | None):
     """

    answers: Any
    attendee_email: str
    attendee_name: str
    cancellation_reason: str
    cancelled_at: datetime.datetime | None
    confirmed_at: datetime.datetime | None
    created_at: datetime.datetime
    created_by: str
    event_id: UUID
    expires_at: datetime.datetime | None
    id: UUID
    order_id: UUID
    source: SourceEnum
    status: RegistrationStatusEnum
    ticket_type: TicketTypeSummary
    updated_at: datetime.datetime
    user_id: None | UUID
    waitlist_position: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.ticket_type_summary import TicketTypeSummary # noqa: PLC0415
        answers = self.answers

        attendee_email = self.attendee_email

        attendee_name = self.attendee_name

        cancellation_reason = self.cancellation_reason

        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        confirmed_at: None | str
        if isinstance(self.confirmed_at, datetime.datetime):
            confirmed_at = self.confirmed_at.isoformat()
        else:
            confirmed_at = self.confirmed_at

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        event_id = str(self.event_id)

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        id = str(self.id)

        order_id = str(self.order_id)

        source = self.source.value

        status = self.status.value

        ticket_type = self.ticket_type.to_dict()

        updated_at = self.updated_at.isoformat()

        user_id: None | str
        if isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id

        waitlist_position: int | None
        waitlist_position = self.waitlist_position


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "answers": answers,
            "attendeeEmail": attendee_email,
            "attendeeName": attendee_name,
            "cancellationReason": cancellation_reason,
            "cancelledAt": cancelled_at,
            "confirmedAt": confirmed_at,
            "createdAt": created_at,
            "createdBy": created_by,
            "eventId": event_id,
            "expiresAt": expires_at,
            "id": id,
            "orderId": order_id,
            "source": source,
            "status": status,
            "ticketType": ticket_type,
            "updatedAt": updated_at,
            "userId": user_id,
            "waitlistPosition": waitlist_position,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket_type_summary import TicketTypeSummary # noqa: PLC0415
        d = dict(src_dict)
        answers = d.pop("answers")

        attendee_email = d.pop("attendeeEmail")

        attendee_name = d.pop("attendeeName")

        cancellation_reason = d.pop("cancellationReason")

        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)



                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelledAt"))


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


        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        created_by = d.pop("createdBy")

        event_id = UUID(d.pop("eventId"))




        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expiresAt"))


        id = UUID(d.pop("id"))




        order_id = UUID(d.pop("orderId"))




        source = SourceEnum(d.pop("source"))




        status = RegistrationStatusEnum(d.pop("status"))




        ticket_type = TicketTypeSummary.from_dict(d.pop("ticketType"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_user_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)



                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        user_id = _parse_user_id(d.pop("userId"))


        def _parse_waitlist_position(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        waitlist_position = _parse_waitlist_position(d.pop("waitlistPosition"))


        registration = cls(
            answers=answers,
            attendee_email=attendee_email,
            attendee_name=attendee_name,
            cancellation_reason=cancellation_reason,
            cancelled_at=cancelled_at,
            confirmed_at=confirmed_at,
            created_at=created_at,
            created_by=created_by,
            event_id=event_id,
            expires_at=expires_at,
            id=id,
            order_id=order_id,
            source=source,
            status=status,
            ticket_type=ticket_type,
            updated_at=updated_at,
            user_id=user_id,
            waitlist_position=waitlist_position,
        )


        registration.additional_properties = d
        return registration

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
