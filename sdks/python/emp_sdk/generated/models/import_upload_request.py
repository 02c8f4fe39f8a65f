from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..models.import_kind_enum import ImportKindEnum
from ..types import File, FileTypes
from io import BytesIO
from uuid import UUID






T = TypeVar("T", bound="ImportUploadRequest")



@_attrs_define
class ImportUploadRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            event_id (UUID): The event the rows are for.
            file (File): A CSV (UTF-8) or XLSX file, a header row first.
            kind (ImportKindEnum): * `registrations` - New registrations
                * `attendees` - Attendee details of registrations
     """

    event_id: UUID
    file: File
    kind: ImportKindEnum
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        file = self.file.to_tuple()


        kind = self.kind.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "eventId": event_id,
            "file": file,
            "kind": kind,
        })

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("eventId", (None, str(self.event_id), "text/plain")))



        files.append(("file", self.file.to_tuple()))



        files.append(("kind",  (None, str(self.kind.value).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = UUID(d.pop("eventId"))




        file = File(
             payload = BytesIO(d.pop("file"))
        )




        kind = ImportKindEnum(d.pop("kind"))




        import_upload_request = cls(
            event_id=event_id,
            file=file,
            kind=kind,
        )


        import_upload_request.additional_properties = d
        return import_upload_request

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
