from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.index_link import IndexLink
  from ..models.index_links import IndexLinks





T = TypeVar("T", bound="Index")



@_attrs_define
class Index:
    """ 
        Attributes:
            links (IndexLinks): self, schema (OpenAPI), docs (Swagger UI), errors.
            resources (list[IndexLink]):
            version (str): The minor version served (`X-API-Version`).
     """

    links: IndexLinks
    resources: list[IndexLink]
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.index_link import IndexLink # noqa: PLC0415
        from ..models.index_links import IndexLinks # noqa: PLC0415
        links = self.links.to_dict()

        resources = []
        for resources_item_data in self.resources:
            resources_item = resources_item_data.to_dict()
            resources.append(resources_item)



        version = self.version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "links": links,
            "resources": resources,
            "version": version,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.index_link import IndexLink # noqa: PLC0415
        from ..models.index_links import IndexLinks # noqa: PLC0415
        d = dict(src_dict)
        links = IndexLinks.from_dict(d.pop("links"))




        resources = []
        _resources = d.pop("resources")
        for resources_item_data in (_resources):
            resources_item = IndexLink.from_dict(resources_item_data)



            resources.append(resources_item)


        version = d.pop("version")

        index = cls(
            links=links,
            resources=resources,
            version=version,
        )


        index.additional_properties = d
        return index

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
