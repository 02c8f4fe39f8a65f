from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.ping_kind_enum import PingKindEnum
from ..models.role_enum import RoleEnum
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.ping_client import PingClient
  from ..models.ping_organization import PingOrganization
  from ..models.ping_rate_limit import PingRateLimit
  from ..models.ping_user import PingUser





T = TypeVar("T", bound="Ping")



@_attrs_define
class Ping:
    """ 
        Attributes:
            client (None | PingClient): null for a session.
            kind (PingKindEnum): * `session` - session
                * `api_key` - api_key
                * `oauth` - oauth
            organization (PingOrganization):
            rate_limit (PingRateLimit):
            role (None | RoleEnum):
            scopes (list[str] | None): null: a session, limited by role.
            server_time (datetime.datetime):
            user (None | PingUser): null for a client without a user.
     """

    client: None | PingClient
    kind: PingKindEnum
    organization: PingOrganization
    rate_limit: PingRateLimit
    role: None | RoleEnum
    scopes: list[str] | None
    server_time: datetime.datetime
    user: None | PingUser
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.ping_client import PingClient # noqa: PLC0415
        from ..models.ping_organization import PingOrganization # noqa: PLC0415
        from ..models.ping_rate_limit import PingRateLimit # noqa: PLC0415
        from ..models.ping_user import PingUser # noqa: PLC0415
        client: dict[str, Any] | None
        if isinstance(self.client, PingClient):
            client = self.client.to_dict()
        else:
            client = self.client

        kind = self.kind.value

        organization = self.organization.to_dict()

        rate_limit = self.rate_limit.to_dict()

        role: None | str
        if isinstance(self.role, RoleEnum):
            role = self.role.value
        else:
            role = self.role

        scopes: list[str] | None
        if isinstance(self.scopes, list):
            scopes = self.scopes


        else:
            scopes = self.scopes

        server_time = self.server_time.isoformat()

        user: dict[str, Any] | None
        if isinstance(self.user, PingUser):
            user = self.user.to_dict()
        else:
            user = self.user


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "client": client,
            "kind": kind,
            "organization": organization,
            "rateLimit": rate_limit,
            "role": role,
            "scopes": scopes,
            "serverTime": server_time,
            "user": user,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ping_client import PingClient # noqa: PLC0415
        from ..models.ping_organization import PingOrganization # noqa: PLC0415
        from ..models.ping_rate_limit import PingRateLimit # noqa: PLC0415
        from ..models.ping_user import PingUser # noqa: PLC0415
        d = dict(src_dict)
        def _parse_client(data: object) -> None | PingClient:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                client_type_0 = PingClient.from_dict(data)



                return client_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PingClient, data)

        client = _parse_client(d.pop("client"))


        kind = PingKindEnum(d.pop("kind"))




        organization = PingOrganization.from_dict(d.pop("organization"))




        rate_limit = PingRateLimit.from_dict(d.pop("rateLimit"))




        def _parse_role(data: object) -> None | RoleEnum:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_0 = RoleEnum(data)



                return role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RoleEnum, data)

        role = _parse_role(d.pop("role"))


        def _parse_scopes(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scopes_type_0 = cast(list[str], data)

                return scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        scopes = _parse_scopes(d.pop("scopes"))


        server_time = datetime.datetime.fromisoformat(d.pop("serverTime"))




        def _parse_user(data: object) -> None | PingUser:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_type_0 = PingUser.from_dict(data)



                return user_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PingUser, data)

        user = _parse_user(d.pop("user"))


        ping = cls(
            client=client,
            kind=kind,
            organization=organization,
            rate_limit=rate_limit,
            role=role,
            scopes=scopes,
            server_time=server_time,
            user=user,
        )


        ping.additional_properties = d
        return ping

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
