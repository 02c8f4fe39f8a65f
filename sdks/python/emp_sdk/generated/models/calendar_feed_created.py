from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="CalendarFeedCreated")



@_attrs_define
class CalendarFeedCreated:
    """ 
        Attributes:
            attendee_email (str):
            created_at (datetime.datetime):
            id (UUID):
            last_read_at (datetime.datetime | None):
            revoked_at (datetime.datetime | None):
            updated_at (datetime.datetime):
            url (str): The secret feed address; shown only in this answer.
     """

    attendee_email: str
    created_at: datetime.datetime
    id: UUID
    last_read_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    updated_at: datetime.datetime
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attendee_email = self.attendee_email

        created_at = self.created_at.isoformat()

        id = str(self.id)

        last_read_at: None | str
        if isinstance(self.last_read_at, datetime.datetime):
            last_read_at = self.last_read_at.isoformat()
        else:
            last_read_at = self.last_read_at

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        updated_at = self.updated_at.isoformat()

        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attendeeEmail": attendee_email,
            "createdAt": created_at,
            "id": id,
            "lastReadAt": last_read_at,
            "revokedAt": revoked_at,
            "updatedAt": updated_at,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attendee_email = d.pop("attendeeEmail")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = UUID(d.pop("id"))




        def _parse_last_read_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_read_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_read_at = _parse_last_read_at(d.pop("lastReadAt"))


        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)



                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revokedAt"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        url = d.pop("url")

        calendar_feed_created = cls(
            attendee_email=attendee_email,
            created_at=created_at,
            id=id,
            last_read_at=last_read_at,
            revoked_at=revoked_at,
            updated_at=updated_at,
            url=url,
        )


        calendar_feed_created.additional_properties = d
        return calendar_feed_created

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
