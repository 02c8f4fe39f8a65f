from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_status_enum import EventStatusEnum
from ..models.registration_status_enum import RegistrationStatusEnum
from ..models.session_status_enum import SessionStatusEnum
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="CheckInDetails")



@_attrs_define
class CheckInDetails:
    """ Why a scan was refused: the keys of its ``result`` (empty for ``ok`` and ``TICKET_NOT_FOUND``).

        Attributes:
            check_in_id (UUID | Unset): ALREADY_CHECKED_IN: the first check-in.
            checked_in_at (datetime.datetime | Unset): ALREADY_CHECKED_IN: when it was.
            device (str | Unset): ALREADY_CHECKED_IN: its device.
            event_id (UUID | Unset): WRONG_EVENT: the ticket's event.
            event_status (EventStatusEnum | Unset): * `draft` - Draft
                * `published` - Published
                * `cancelled` - Cancelled
                * `completed` - Completed
            scanned_by (str | Unset): ALREADY_CHECKED_IN: who scanned it.
            session_id (None | Unset | UUID): ALREADY_CHECKED_IN: its session.
            session_status (SessionStatusEnum | Unset): * `scheduled` - Scheduled
                * `cancelled` - Cancelled
            status (RegistrationStatusEnum | Unset): * `pending_payment` - Pending payment
                * `confirmed` - Confirmed
                * `cancelled` - Cancelled
                * `waitlisted` - Waitlisted
     """

    check_in_id: UUID | Unset = UNSET
    checked_in_at: datetime.datetime | Unset = UNSET
    device: str | Unset = UNSET
    event_id: UUID | Unset = UNSET
    event_status: EventStatusEnum | Unset = UNSET
    scanned_by: str | Unset = UNSET
    session_id: None | Unset | UUID = UNSET
    session_status: SessionStatusEnum | Unset = UNSET
    status: RegistrationStatusEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        check_in_id: str | Unset = UNSET
        if not isinstance(self.check_in_id, Unset):
            check_in_id = str(self.check_in_id)

        checked_in_at: str | Unset = UNSET
        if not isinstance(self.checked_in_at, Unset):
            checked_in_at = self.checked_in_at.isoformat()

        device = self.device

        event_id: str | Unset = UNSET
        if not isinstance(self.event_id, Unset):
            event_id = str(self.event_id)

        event_status: str | Unset = UNSET
        if not isinstance(self.event_status, Unset):
            event_status = self.event_status.value


        scanned_by = self.scanned_by

        session_id: None | str | Unset
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        elif isinstance(self.session_id, UUID):
            session_id = str(self.session_id)
        else:
            session_id = self.session_id

        session_status: str | Unset = UNSET
        if not isinstance(self.session_status, Unset):
            session_status = self.session_status.value


        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if check_in_id is not UNSET:
            field_dict["checkInId"] = check_in_id
        if checked_in_at is not UNSET:
            field_dict["checkedInAt"] = checked_in_at
        if device is not UNSET:
            field_dict["device"] = device
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if event_status is not UNSET:
            field_dict["eventStatus"] = event_status
        if scanned_by is not UNSET:
            field_dict["scannedBy"] = scanned_by
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id
        if session_status is not UNSET:
            field_dict["sessionStatus"] = session_status
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _check_in_id = d.pop("checkInId", UNSET)
        check_in_id: UUID | Unset
        if isinstance(_check_in_id,  Unset):
            check_in_id = UNSET
        else:
            check_in_id = UUID(_check_in_id)




        _checked_in_at = d.pop("checkedInAt", UNSET)
        checked_in_at: datetime.datetime | Unset
        if isinstance(_checked_in_at,  Unset):
            checked_in_at = UNSET
        else:
            checked_in_at = datetime.datetime.fromisoformat(_checked_in_at)




        device = d.pop("device", UNSET)

        _event_id = d.pop("eventId", UNSET)
        event_id: UUID | Unset
        if isinstance(_event_id,  Unset):
            event_id = UNSET
        else:
            event_id = UUID(_event_id)




        _event_status = d.pop("eventStatus", UNSET)
        event_status: EventStatusEnum | Unset
        if isinstance(_event_status,  Unset):
            event_status = UNSET
        else:
            event_status = EventStatusEnum(_event_status)




        scanned_by = d.pop("scannedBy", UNSET)

        def _parse_session_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                session_id_type_0 = UUID(data)



                return session_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        session_id = _parse_session_id(d.pop("sessionId", UNSET))


        _session_status = d.pop("sessionStatus", UNSET)
        session_status: SessionStatusEnum | Unset
        if isinstance(_session_status,  Unset):
            session_status = UNSET
        else:
            session_status = SessionStatusEnum(_session_status)




        _status = d.pop("status", UNSET)
        status: RegistrationStatusEnum | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = RegistrationStatusEnum(_status)




        check_in_details = cls(
            check_in_id=check_in_id,
            checked_in_at=checked_in_at,
            device=device,
            event_id=event_id,
            event_status=event_status,
            scanned_by=scanned_by,
            session_id=session_id,
            session_status=session_status,
            status=status,
        )


        check_in_details.additional_properties = d
        return check_in_details

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
