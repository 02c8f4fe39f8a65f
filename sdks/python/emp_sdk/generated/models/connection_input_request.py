from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.connection_kind_enum import ConnectionKindEnum
from ..models.mode_enum import ModeEnum
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.connection_input_request_credentials import ConnectionInputRequestCredentials
  from ..models.connection_input_request_settings import ConnectionInputRequestSettings





T = TypeVar("T", bound="ConnectionInputRequest")



@_attrs_define
class ConnectionInputRequest:
    """ Base for request bodies: plain fields, strict about unknown keys, never saves.

        Attributes:
            credentials (ConnectionInputRequestCredentials): The vendor's credentials (for Stripe: `secretKey`,
                `webhookSecret`); stored encrypted, never shown.
            kind (ConnectionKindEnum): * `payment` - Payments
                * `email` - Email
                * `calendar` - Calendar
                * `video` - Video conferencing
                * `crm` - CRM
                * `social` - Social media
                * `file_transfer` - File transfer
            vendor (str):
            mode (ModeEnum | Unset): * `live` - Live
                * `test` - Test Default: ModeEnum.TEST.
            name (str | Unset):  Default: ''.
            settings (ConnectionInputRequestSettings | Unset): What is not secret (for Stripe: `publishableKey`).
     """

    credentials: ConnectionInputRequestCredentials
    kind: ConnectionKindEnum
    vendor: str
    mode: ModeEnum | Unset = ModeEnum.TEST
    name: str | Unset = ''
    settings: ConnectionInputRequestSettings | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_input_request_credentials import ConnectionInputRequestCredentials # noqa: PLC0415
        from ..models.connection_input_request_settings import ConnectionInputRequestSettings # noqa: PLC0415
        credentials = self.credentials.to_dict()

        kind = self.kind.value

        vendor = self.vendor

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value


        name = self.name

        settings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.settings, Unset):
            settings = self.settings.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "credentials": credentials,
            "kind": kind,
            "vendor": vendor,
        })
        if mode is not UNSET:
            field_dict["mode"] = mode
        if name is not UNSET:
            field_dict["name"] = name
        if settings is not UNSET:
            field_dict["settings"] = settings

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_input_request_credentials import ConnectionInputRequestCredentials # noqa: PLC0415
        from ..models.connection_input_request_settings import ConnectionInputRequestSettings # noqa: PLC0415
        d = dict(src_dict)
        credentials = ConnectionInputRequestCredentials.from_dict(d.pop("credentials"))




        kind = ConnectionKindEnum(d.pop("kind"))




        vendor = d.pop("vendor")

        _mode = d.pop("mode", UNSET)
        mode: ModeEnum | Unset
        if isinstance(_mode,  Unset):
            mode = UNSET
        else:
            mode = ModeEnum(_mode)




        name = d.pop("name", UNSET)

        _settings = d.pop("settings", UNSET)
        settings: ConnectionInputRequestSettings | Unset
        if isinstance(_settings,  Unset):
            settings = UNSET
        else:
            settings = ConnectionInputRequestSettings.from_dict(_settings)




        connection_input_request = cls(
            credentials=credentials,
            kind=kind,
            vendor=vendor,
            mode=mode,
            name=name,
            settings=settings,
        )


        connection_input_request.additional_properties = d
        return connection_input_request

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
