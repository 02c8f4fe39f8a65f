from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.action_enum import ActionEnum
from typing import cast
import datetime






T = TypeVar("T", bound="Change")



@_attrs_define
class Change:
    """ 
        Attributes:
            action (ActionEnum): * `upsert` - upsert
                * `delete` - delete
            changed_at (datetime.datetime):
            id (str): The row's id.
            resource (str): The collection the row belongs to: events, registrations, checkins...
            sequence (int): The change's place in the feed; increases in commit order.
     """

    action: ActionEnum
    changed_at: datetime.datetime
    id: str
    resource: str
    sequence: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        changed_at = self.changed_at.isoformat()

        id = self.id

        resource = self.resource

        sequence = self.sequence


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "changedAt": changed_at,
            "id": id,
            "resource": resource,
            "sequence": sequence,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = ActionEnum(d.pop("action"))




        changed_at = datetime.datetime.fromisoformat(d.pop("changedAt"))




        id = d.pop("id")

        resource = d.pop("resource")

        sequence = d.pop("sequence")

        change = cls(
            action=action,
            changed_at=changed_at,
            id=id,
            resource=resource,
            sequence=sequence,
        )


        change.additional_properties = d
        return change

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
