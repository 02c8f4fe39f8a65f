from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ExportFiltersRequest")



@_attrs_define
class ExportFiltersRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            created_after (datetime.datetime | Unset): Rows created at or after (inclusive).
            created_before (datetime.datetime | Unset): Rows created before (exclusive).
            event_id (UUID | Unset): Only rows of this event (types with an event).
            status (list[str] | Unset): Only rows in these statuses.
     """

    created_after: datetime.datetime | Unset = UNSET
    created_before: datetime.datetime | Unset = UNSET
    event_id: UUID | Unset = UNSET
    status: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_after: str | Unset = UNSET
        if not isinstance(self.created_after, Unset):
            created_after = self.created_after.isoformat()

        created_before: str | Unset = UNSET
        if not isinstance(self.created_before, Unset):
            created_before = self.created_before.isoformat()

        event_id: str | Unset = UNSET
        if not isinstance(self.event_id, Unset):
            event_id = str(self.event_id)

        status: list[str] | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if created_after is not UNSET:
            field_dict["createdAfter"] = created_after
        if created_before is not UNSET:
            field_dict["createdBefore"] = created_before
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _created_after = d.pop("createdAfter", UNSET)
        created_after: datetime.datetime | Unset
        if isinstance(_created_after,  Unset):
            created_after = UNSET
        else:
            created_after = datetime.datetime.fromisoformat(_created_after)




        _created_before = d.pop("createdBefore", UNSET)
        created_before: datetime.datetime | Unset
        if isinstance(_created_before,  Unset):
            created_before = UNSET
        else:
            created_before = datetime.datetime.fromisoformat(_created_before)




        _event_id = d.pop("eventId", UNSET)
        event_id: UUID | Unset
        if isinstance(_event_id,  Unset):
            event_id = UNSET
        else:
            event_id = UUID(_event_id)




        status = cast(list[str], d.pop("status", UNSET))


        export_filters_request = cls(
            created_after=created_after,
            created_before=created_before,
            event_id=event_id,
            status=status,
        )


        export_filters_request.additional_properties = d
        return export_filters_request

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
