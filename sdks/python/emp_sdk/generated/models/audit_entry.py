from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="AuditEntry")



@_attrs_define
class AuditEntry:
    """ 
        Attributes:
            action (str):
            actor_id (str):
            actor_label (str):
            changes (Any):
            correlation_id (str):
            created_at (datetime.datetime):
            id (int):
            object_id (str):
            object_label (str):
            object_type (str):
     """

    action: str
    actor_id: str
    actor_label: str
    changes: Any
    correlation_id: str
    created_at: datetime.datetime
    id: int
    object_id: str
    object_label: str
    object_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor_id = self.actor_id

        actor_label = self.actor_label

        changes = self.changes

        correlation_id = self.correlation_id

        created_at = self.created_at.isoformat()

        id = self.id

        object_id = self.object_id

        object_label = self.object_label

        object_type = self.object_type


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "actorId": actor_id,
            "actorLabel": actor_label,
            "changes": changes,
            "correlationId": correlation_id,
            "createdAt": created_at,
            "id": id,
            "objectId": object_id,
            "objectLabel": object_label,
            "objectType": object_type,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        actor_id = d.pop("actorId")

        actor_label = d.pop("actorLabel")

        changes = d.pop("changes")

        correlation_id = d.pop("correlationId")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        object_id = d.pop("objectId")

        object_label = d.pop("objectLabel")

        object_type = d.pop("objectType")

        audit_entry = cls(
            action=action,
            actor_id=actor_id,
            actor_label=actor_label,
            changes=changes,
            correlation_id=correlation_id,
            created_at=created_at,
            id=id,
            object_id=object_id,
            object_label=object_label,
            object_type=object_type,
        )


        audit_entry.additional_properties = d
        return audit_entry

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
