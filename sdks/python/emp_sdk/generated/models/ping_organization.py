from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.ping_organization_kind_enum import PingOrganizationKindEnum
from uuid import UUID






T = TypeVar("T", bound="PingOrganization")



@_attrs_define
class PingOrganization:
    """ 
        Attributes:
            id (UUID):
            kind (PingOrganizationKindEnum): * `organizer` - Event organizer
                * `developer` - Developer
                * `sandbox` - Sandbox
            name (str):
            slug (str):
     """

    id: UUID
    kind: PingOrganizationKindEnum
    name: str
    slug: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind.value

        name = self.name

        slug = self.slug


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "kind": kind,
            "name": name,
            "slug": slug,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        kind = PingOrganizationKindEnum(d.pop("kind"))




        name = d.pop("name")

        slug = d.pop("slug")

        ping_organization = cls(
            id=id,
            kind=kind,
            name=name,
            slug=slug,
        )


        ping_organization.additional_properties = d
        return ping_organization

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
