from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.api_key_status_enum import ApiKeyStatusEnum
from ..models.mode_enum import ModeEnum
from ..models.rate_tier_enum import RateTierEnum
from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="ApiKey")



@_attrs_define
class ApiKey:
    """ 
        Attributes:
            allowed_ips (Any): CIDR ranges; empty means any address.
            created_at (datetime.datetime):
            created_by (None | str):
            expires_at (datetime.datetime | None):
            id (UUID):
            last_used_at (datetime.datetime | None):
            mode (ModeEnum): * `live` - Live
                * `test` - Test
            name (str):
            prefix (str): The key's first characters, for recognising it.
            rate_tier (RateTierEnum): * `anonymous` - Anonymous
                * `user` - Authenticated user
                * `partner` - Partner integration
                * `internal` - Internal service
            replaced_by_id (None | UUID):
            revoked_at (datetime.datetime | None):
            scopes (Any):
            status (ApiKeyStatusEnum): * `active` - active
                * `expired` - expired
                * `revoked` - revoked
            updated_at (datetime.datetime):
     """

    allowed_ips: Any
    created_at: datetime.datetime
    created_by: None | str
    expires_at: datetime.datetime | None
    id: UUID
    last_used_at: datetime.datetime | None
    mode: ModeEnum
    name: str
    prefix: str
    rate_tier: RateTierEnum
    replaced_by_id: None | UUID
    revoked_at: datetime.datetime | None
    scopes: Any
    status: ApiKeyStatusEnum
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        allowed_ips = self.allowed_ips

        created_at = self.created_at.isoformat()

        created_by: None | str
        created_by = self.created_by

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        id = str(self.id)

        last_used_at: None | str
        if isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        mode = self.mode.value

        name = self.name

        prefix = self.prefix

        rate_tier = self.rate_tier.value

        replaced_by_id: None | str
        if isinstance(self.replaced_by_id, UUID):
            replaced_by_id = str(self.replaced_by_id)
        else:
            replaced_by_id = self.replaced_by_id

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        scopes = self.scopes

        status = self.status.value

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "allowedIps": allowed_ips,
            "createdAt": created_at,
            "createdBy": created_by,
            "expiresAt": expires_at,
            "id": id,
            "lastUsedAt": last_used_at,
            "mode": mode,
            "name": name,
            "prefix": prefix,
            "rateTier": rate_tier,
            "replacedById": replaced_by_id,
            "revokedAt": revoked_at,
            "scopes": scopes,
            "status": status,
            "updatedAt": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allowed_ips = d.pop("allowedIps")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        def _parse_created_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_by = _parse_created_by(d.pop("createdBy"))


        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expiresAt"))


        id = UUID(d.pop("id"))




        def _parse_last_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_used_at = _parse_last_used_at(d.pop("lastUsedAt"))


        mode = ModeEnum(d.pop("mode"))




        name = d.pop("name")

        prefix = d.pop("prefix")

        rate_tier = RateTierEnum(d.pop("rateTier"))




        def _parse_replaced_by_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                replaced_by_id_type_0 = UUID(data)



                return replaced_by_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        replaced_by_id = _parse_replaced_by_id(d.pop("replacedById"))


        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)



                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revokedAt"))


        scopes = d.pop("scopes")

        status = ApiKeyStatusEnum(d.pop("status"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        api_key = cls(
            allowed_ips=allowed_ips,
            created_at=created_at,
            created_by=created_by,
            expires_at=expires_at,
            id=id,
            last_used_at=last_used_at,
            mode=mode,
            name=name,
            prefix=prefix,
            rate_tier=rate_tier,
            replaced_by_id=replaced_by_id,
            revoked_at=revoked_at,
            scopes=scopes,
            status=status,
            updated_at=updated_at,
        )


        api_key.additional_properties = d
        return api_key

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
