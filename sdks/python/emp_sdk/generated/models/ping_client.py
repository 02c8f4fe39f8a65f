from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.mode_enum import ModeEnum
from ..models.ping_client_type_enum import PingClientTypeEnum
from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="PingClient")



@_attrs_define
class PingClient:
    """ The calling API key (id, prefix, mode) or OAuth application (clientId).

        Attributes:
            name (str):
            type_ (PingClientTypeEnum): * `api_key` - api_key
                * `oauth_application` - oauth_application
            client_id (str | Unset): OAuth applications only.
            id (UUID | Unset): API keys only.
            mode (ModeEnum | Unset): * `live` - Live
                * `test` - Test
            prefix (str | Unset): API keys only.
     """

    name: str
    type_: PingClientTypeEnum
    client_id: str | Unset = UNSET
    id: UUID | Unset = UNSET
    mode: ModeEnum | Unset = UNSET
    prefix: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_ = self.type_.value

        client_id = self.client_id

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value


        prefix = self.prefix


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "type": type_,
        })
        if client_id is not UNSET:
            field_dict["clientId"] = client_id
        if id is not UNSET:
            field_dict["id"] = id
        if mode is not UNSET:
            field_dict["mode"] = mode
        if prefix is not UNSET:
            field_dict["prefix"] = prefix

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        type_ = PingClientTypeEnum(d.pop("type"))




        client_id = d.pop("clientId", UNSET)

        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id,  Unset):
            id = UNSET
        else:
            id = UUID(_id)




        _mode = d.pop("mode", UNSET)
        mode: ModeEnum | Unset
        if isinstance(_mode,  Unset):
            mode = UNSET
        else:
            mode = ModeEnum(_mode)




        prefix = d.pop("prefix", UNSET)

        ping_client = cls(
            name=name,
            type_=type_,
            client_id=client_id,
            id=id,
            mode=mode,
            prefix=prefix,
        )


        ping_client.additional_properties = d
        return ping_client

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
