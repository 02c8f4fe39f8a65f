from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.material_kind_enum import MaterialKindEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Material")



@_attrs_define
class Material:
    """ 
        Attributes:
            content_type (str):
            created_at (datetime.datetime):
            download_url (None | str):
            file_name (str):
            id (UUID):
            kind (MaterialKindEnum): * `file` - File
                * `link` - Link
            session_id (UUID):
            size (int | None):
            title (str):
            updated_at (datetime.datetime):
            url (None | str):
     """

    content_type: str
    created_at: datetime.datetime
    download_url: None | str
    file_name: str
    id: UUID
    kind: MaterialKindEnum
    session_id: UUID
    size: int | None
    title: str
    updated_at: datetime.datetime
    url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        content_type = self.content_type

        created_at = self.created_at.isoformat()

        download_url: None | str
        download_url = self.download_url

        file_name = self.file_name

        id = str(self.id)

        kind = self.kind.value

        session_id = str(self.session_id)

        size: int | None
        size = self.size

        title = self.title

        updated_at = self.updated_at.isoformat()

        url: None | str
        url = self.url


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "contentType": content_type,
            "createdAt": created_at,
            "downloadUrl": download_url,
            "fileName": file_name,
            "id": id,
            "kind": kind,
            "sessionId": session_id,
            "size": size,
            "title": title,
            "updatedAt": updated_at,
            "url": url,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content_type = d.pop("contentType")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_download_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        download_url = _parse_download_url(d.pop("downloadUrl"))


        file_name = d.pop("fileName")

        id = UUID(d.pop("id"))




        kind = MaterialKindEnum(d.pop("kind"))




        session_id = UUID(d.pop("sessionId"))




        def _parse_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size = _parse_size(d.pop("size"))


        title = d.pop("title")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))


        material = cls(
            content_type=content_type,
            created_at=created_at,
            download_url=download_url,
            file_name=file_name,
            id=id,
            kind=kind,
            session_id=session_id,
            size=size,
            title=title,
            updated_at=updated_at,
            url=url,
        )


        material.additional_properties = d
        return material

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
